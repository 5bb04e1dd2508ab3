namespace Gauntlet.Targets.Http;

/// <summary>
/// The event-stream format (WHATWG HTML, "Server-sent events"), parsed as bytes arrive: lines end with CRLF, LF or CR;
/// <c>data:</c> lines add to the event's data (joined with LF), <c>event:</c> and <c>id:</c> set its type and id, lines
/// starting with <c>:</c> are comments, and a blank line dispatches the event when it has data. One per worker,
/// reused: its buffers grow to the largest line and event, and nothing is allocated per event after that.
/// </summary>
internal sealed class SseParser
{
    private readonly BodyBuffer _line = new(long.MaxValue);
    private readonly BodyBuffer _data = new(long.MaxValue);
    private readonly BodyBuffer _last = new(long.MaxValue);
    private bool _hasData;
    private bool _afterCr;

    /// <summary>The data of the last event dispatched.</summary>
    public ReadOnlySpan<byte> LastData => _last.Span;

    /// <summary>Events dispatched since <see cref="Reset"/>.</summary>
    public long Events { get; private set; }

    public void Reset()
    {
        _line.Clear();
        _data.Clear();
        _last.Clear();
        _hasData = false;
        _afterCr = false;
        Events = 0;
    }

    /// <summary>
    /// Parses <paramref name="bytes"/> from <paramref name="offset"/>; returns the offset just after the first event it
    /// dispatched (then <see cref="LastData"/> holds that event), or -1 when it parsed them all without dispatching one.
    /// Call again from the returned offset for the rest.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> bytes, int offset)
    {
        var i = offset;
        while (i < bytes.Length)
        {
            if (_afterCr)
            {
                _afterCr = false;
                if (bytes[i] == (byte)'\n')
                {
                    i++;
                    continue;
                }
            }
            var rest = bytes[i..];
            var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                _line.Append(rest);
                return -1;
            }
            _line.Append(rest[..end]);
            _afterCr = rest[end] == (byte)'\r';
            i += end + 1;
            if (Line()) return i;
        }
        return -1;
    }

    /// <summary>One complete line in <see cref="_line"/>; true when it dispatched an event.</summary>
    private bool Line()
    {
        var line = _line.Span;
        try
        {
            if (line.Length == 0)
            {
                if (!_hasData) return false;
                _last.Clear();
                _last.Append(_data.Span);
                _data.Clear();
                _hasData = false;
                Events++;
                return true;
            }
            if (line[0] == (byte)':') return false; // a comment
            var colon = line.IndexOf((byte)':');
            var name = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? default : line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ') value = value[1..];
            // event: and id: name and number an event; this reader keeps only the data, which the checks and the output read.
            if (name.SequenceEqual("data"u8))
            {
                if (_hasData) _data.Append("\n"u8);
                _data.Append(value);
                _hasData = true;
            }
            return false;
        }
        finally
        {
            _line.Clear();
        }
    }
}
