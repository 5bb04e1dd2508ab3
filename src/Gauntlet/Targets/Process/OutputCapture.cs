namespace Gauntlet.Targets.Process;

/// <summary>
/// What is kept of one output stream of a child: its first <see cref="HeadLimit"/> bytes and its last
/// <see cref="TailLimit"/> bytes, with the count of bytes dropped between them, so a child writing gigabytes costs a
/// fixed amount of memory. Optionally every byte up to a cap also goes to a log file. Written by one thread.
/// The buffers grow with what is kept, so a quiet child (most of them) costs nothing but this object.
/// </summary>
internal sealed class OutputCapture : IDisposable
{
    /// <summary>The head buffer's first size; it then doubles up to its limit.</summary>
    private const int FirstHeadBytes = 512;

    private readonly int _headLimit;
    private readonly int _tailLimit;
    private byte[] _head = [];
    private byte[] _tail = [];
    private int _headCount;
    private long _tailWritten;
    private readonly FileStream? _log;
    private readonly long _logLimit;
    private long _logged;

    public OutputCapture(int headLimit, int tailLimit, string? logPath = null, long logLimit = 0)
    {
        _headLimit = headLimit;
        _tailLimit = tailLimit;
        if (logPath is not null)
        {
            _log = new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
            _logLimit = logLimit;
        }
    }

    public int HeadLimit => _headLimit;
    public int TailLimit => _tailLimit;

    /// <summary>Bytes the child wrote in all.</summary>
    public long Total { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        Total += data.Length;
        if (_log is not null && _logged < _logLimit)
        {
            var room = (int)Math.Min(data.Length, _logLimit - _logged);
            _log.Write(data[..room]);
            _logged += room;
            if (_logged == _logLimit) _log.Write("\n[gauntlet: log limit reached; the rest of the output was not written here]\n"u8);
        }
        var toHead = Math.Min(data.Length, _headLimit - _headCount);
        if (_headCount + toHead > _head.Length)
            Array.Resize(ref _head, Math.Min(_headLimit, Math.Max(_headCount + toHead, Math.Max(FirstHeadBytes, _head.Length * 2))));
        data[..toHead].CopyTo(_head.AsSpan(_headCount));
        _headCount += toHead;
        data = data[toHead..];
        if (data.Length == 0 || _tailLimit == 0) return;
        if (_tail.Length == 0) _tail = new byte[_tailLimit];
        if (data.Length > _tail.Length) data = data[^_tail.Length..];
        var at = (int)(_tailWritten % _tail.Length);
        var first = Math.Min(data.Length, _tail.Length - at);
        data[..first].CopyTo(_tail.AsSpan(at));
        data[first..].CopyTo(_tail);
        _tailWritten += data.Length;
    }

    /// <summary>The kept bytes as an immutable value.</summary>
    public CapturedOutput Freeze()
    {
        _log?.Flush();
        var head = _head.AsSpan(0, _headCount).ToArray();
        var tailCount = (int)Math.Min(_tailWritten, _tail.Length);
        var tail = new byte[tailCount];
        if (tailCount > 0)
        {
            var start = (int)((_tailWritten - tailCount) % _tail.Length);
            var first = Math.Min(tailCount, _tail.Length - start);
            _tail.AsSpan(start, first).CopyTo(tail);
            _tail.AsSpan(0, tailCount - first).CopyTo(tail.AsSpan(first));
        }
        return new CapturedOutput(head, tail, Total);
    }

    public void Dispose() => _log?.Dispose();
}

/// <summary>
/// What was kept of a child's output stream: the head, the tail, and how many bytes were written in all
/// (<see cref="Dropped"/> = the bytes between head and tail that were not kept).
/// </summary>
/// <param name="Head">The first bytes written.</param>
/// <param name="Tail">The last bytes written after the head, when the output overflowed the head.</param>
/// <param name="TotalBytes">Every byte the child wrote to the stream.</param>
public sealed record CapturedOutput(byte[] Head, byte[] Tail, long TotalBytes)
{
    /// <summary>No output.</summary>
    public static CapturedOutput Empty { get; } = new([], [], 0);

    /// <summary>Bytes written but not kept.</summary>
    public long Dropped => TotalBytes - Head.Length - Tail.Length;

    /// <summary>True when every byte written was kept.</summary>
    public bool Complete => Dropped == 0;

    /// <summary>The kept text (UTF-8), with a marker saying how many bytes were dropped between head and tail.</summary>
    public string Text => Complete
        ? System.Text.Encoding.UTF8.GetString(Head) + System.Text.Encoding.UTF8.GetString(Tail)
        : System.Text.Encoding.UTF8.GetString(Head) + $"\n[... {Dropped} bytes not kept ...]\n" + System.Text.Encoding.UTF8.GetString(Tail);

    /// <summary>The last <paramref name="lines"/> lines of the kept text.</summary>
    public string LastLines(int lines)
    {
        var text = Text.TrimEnd('\n');
        var at = text.Length;
        for (var i = 0; i < lines && at > 0; i++) at = text.LastIndexOf('\n', at - 1) is var n and >= 0 ? n : 0;
        return at == 0 ? text : text[(at + 1)..];
    }
}
