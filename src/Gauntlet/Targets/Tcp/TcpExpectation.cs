using System.Text.RegularExpressions;

namespace Gauntlet.Targets.Tcp;

/// <summary>How a TCP operation knows its reply is complete, and whether it is right.</summary>
public enum TcpReplyKind
{
    /// <summary>No reply is read: the operation ends once the payload is sent.</summary>
    None,
    /// <summary>Exactly the bytes sent, back.</summary>
    Echo,
    /// <summary>Exactly the given bytes.</summary>
    Fixed,
    /// <summary>A given number of bytes, whatever they are.</summary>
    Bytes,
    /// <summary>Anything up to and including a delimiter.</summary>
    Delimiter,
    /// <summary>A reply up to a delimiter that matches a regular expression.</summary>
    Regex,
}

/// <summary>What a TCP operation expects back. Immutable; shared by every worker.</summary>
public sealed class TcpExpectation
{
    /// <summary>Default longest reply read up to a delimiter: 64 KiB.</summary>
    public const int DefaultMaxReply = 64 * 1024;

    private TcpExpectation(TcpReplyKind kind, byte[] bytes, int count, Regex? pattern, string description)
    {
        Kind = kind;
        Bytes = bytes;
        Count = count;
        Pattern = pattern;
        Description = description;
    }

    /// <summary>Which rule this is.</summary>
    public TcpReplyKind Kind { get; }

    /// <summary>The exact reply (<see cref="TcpReplyKind.Fixed"/>) or the delimiter (<see cref="TcpReplyKind.Delimiter"/>, <see cref="TcpReplyKind.Regex"/>).</summary>
    internal byte[] Bytes { get; }

    /// <summary>Bytes to read (<see cref="TcpReplyKind.Bytes"/>), or the longest reply (delimiter and regex), in bytes.</summary>
    public int Count { get; }

    /// <summary>The pattern a <see cref="TcpReplyKind.Regex"/> reply must match (searched, not anchored).</summary>
    public Regex? Pattern { get; }

    /// <summary>For reports: <c>echo</c>, <c>regex ^\+PONG</c>.</summary>
    public string Description { get; }

    /// <summary>Send only; read nothing.</summary>
    public static TcpExpectation None { get; } = new(TcpReplyKind.None, [], 0, null, "no reply");

    /// <summary>The bytes sent, back, exactly.</summary>
    public static TcpExpectation Echo { get; } = new(TcpReplyKind.Echo, [], 0, null, "echo");

    /// <summary>Exactly <paramref name="reply"/>.</summary>
    public static TcpExpectation Exactly(ReadOnlySpan<byte> reply, string description) =>
        reply.Length == 0 ? throw new ArgumentException("an expected reply has at least one byte", nameof(reply))
            : new(TcpReplyKind.Fixed, reply.ToArray(), reply.Length, null, "reply " + description);

    /// <summary><paramref name="count"/> bytes, whatever they are.</summary>
    public static TcpExpectation ByteCount(int count) =>
        count <= 0 ? throw new ArgumentOutOfRangeException(nameof(count), count, "at least one byte")
            : new(TcpReplyKind.Bytes, [], count, null, $"{count} B");

    /// <summary>Anything up to and including <paramref name="delimiter"/>, at most <paramref name="maxReply"/> bytes.</summary>
    public static TcpExpectation UpTo(ReadOnlySpan<byte> delimiter, string description, int maxReply = DefaultMaxReply) =>
        delimiter.Length == 0 ? throw new ArgumentException("a delimiter has at least one byte", nameof(delimiter))
            : new(TcpReplyKind.Delimiter, delimiter.ToArray(), maxReply, null, "up to " + description);

    /// <summary>A reply up to <paramref name="delimiter"/> (included in the text matched) that <paramref name="pattern"/> finds a match in.</summary>
    public static TcpExpectation Matching(Regex pattern, ReadOnlySpan<byte> delimiter, int maxReply = DefaultMaxReply) =>
        delimiter.Length == 0 ? throw new ArgumentException("a delimiter has at least one byte", nameof(delimiter))
            : new(TcpReplyKind.Regex, delimiter.ToArray(), maxReply, pattern, "regex " + pattern);

    /// <summary>The receive buffer a worker needs for a payload of at most <paramref name="payloadLength"/> bytes.</summary>
    internal int BufferLength(int payloadLength) => Kind switch
    {
        TcpReplyKind.None => 1,
        TcpReplyKind.Echo => payloadLength,
        TcpReplyKind.Fixed or TcpReplyKind.Bytes or TcpReplyKind.Delimiter or TcpReplyKind.Regex => Count,
        _ => throw new InvalidOperationException($"unknown reply kind {Kind}"),
    };
}
