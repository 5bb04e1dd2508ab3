using System.Text;
using System.Text.RegularExpressions;
using Gauntlet.Targets.Http;

namespace Gauntlet.Targets.WebSocket;

/// <summary>How a WebSocket operation judges its reply.</summary>
public enum WebSocketReplyKind
{
    /// <summary>No reply is read: the operation ends once the message is sent (fire and forget).</summary>
    None,
    /// <summary>One message back, with the same bytes and frame type as the one sent.</summary>
    Echo,
    /// <summary>One message back, exactly the given text (a template, rendered with the operation's values).</summary>
    Exact,
    /// <summary>One message back that passes a check: contains, regex, or a JSON path's value (<see cref="HttpCheck"/>).</summary>
    Check,
}

/// <summary>What a WebSocket operation expects back. Immutable; shared by every worker.</summary>
public sealed class WebSocketExpectation
{
    /// <summary>The error kind of a reply that is not the one expected.</summary>
    public const string WrongReplyKind = "wrong_reply";

    private WebSocketExpectation(WebSocketReplyKind kind, Template? text, HttpCheck? check, string description)
    {
        Kind = kind;
        Text = text;
        Check = check;
        Description = description;
    }

    /// <summary>Which rule this is.</summary>
    public WebSocketReplyKind Kind { get; }

    /// <summary>The exact reply (<see cref="WebSocketReplyKind.Exact"/>).</summary>
    public Template? Text { get; }

    /// <summary>The check the reply passes (<see cref="WebSocketReplyKind.Check"/>).</summary>
    public HttpCheck? Check { get; }

    /// <summary>For reports: <c>echo</c>, <c>no reply</c>, <c>regex ^ok</c>.</summary>
    public string Description { get; }

    /// <summary>True when a reply is read.</summary>
    public bool ReadsReply => Kind != WebSocketReplyKind.None;

    /// <summary>Send only; read nothing.</summary>
    public static WebSocketExpectation None { get; } = new(WebSocketReplyKind.None, null, null, "no reply");

    /// <summary>The message sent, back, exactly (bytes and frame type).</summary>
    public static WebSocketExpectation Echo { get; } = new(WebSocketReplyKind.Echo, null, null, "echo");

    /// <summary>Exactly <paramref name="text"/>, rendered with the same values and feeder rows as the message.</summary>
    public static WebSocketExpectation Exactly(Template text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(WebSocketReplyKind.Exact, text, null, $"equals \"{text.Text}\"");
    }

    /// <summary>A reply that contains <paramref name="text"/> (ordinal, UTF-8).</summary>
    public static WebSocketExpectation Containing(string text) => Checked(new HttpCheck.Contains(text), $"contains \"{text}\"");

    /// <summary>A reply (as UTF-8 text) in which <paramref name="pattern"/> finds a match.</summary>
    public static WebSocketExpectation Matching(Regex pattern) => Checked(new HttpCheck.Matches(pattern), $"regex {pattern}");

    /// <summary>A JSON reply whose value at <paramref name="path"/> is <paramref name="expected"/>.</summary>
    public static WebSocketExpectation Json(JsonPath path, string expected) =>
        Checked(new HttpCheck.JsonEquals(path, expected), $"json {path?.Text} == {expected}");

    private static WebSocketExpectation Checked(HttpCheck check, string description) => new(WebSocketReplyKind.Check, null, check, description);

    /// <summary>Null when <paramref name="reply"/> is right; else what was wrong.</summary>
    internal string? Judge(ReadOnlySpan<byte> reply, bool replyBinary, ReadOnlySpan<byte> sent, bool sentBinary, ReadOnlySpan<byte> expected)
    {
        switch (Kind)
        {
            case WebSocketReplyKind.None:
                return null;
            case WebSocketReplyKind.Echo:
                if (replyBinary != sentBinary) return $"the reply is a {(replyBinary ? "binary" : "text")} message, the one sent a {(sentBinary ? "binary" : "text")} one";
                return reply.SequenceEqual(sent) ? null : Differs(sent, reply);
            case WebSocketReplyKind.Exact:
                return reply.SequenceEqual(expected) ? null : Differs(expected, reply);
            case WebSocketReplyKind.Check:
                return Check!.Evaluate(reply, static _ => null);
            default:
                throw new InvalidOperationException($"unknown reply kind {Kind}");
        }
    }

    private static string Differs(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var at = expected.CommonPrefixLength(actual);
        return expected.Length != actual.Length && at == Math.Min(expected.Length, actual.Length)
            ? $"the reply has {actual.Length} B, expected {expected.Length} B"
            : $"the reply differs at byte {at}: expected {Shown(expected, at)}, got {Shown(actual, at)}";
    }

    private static string Shown(ReadOnlySpan<byte> bytes, int at) =>
        Tcp.TcpReplyReader.Printable(bytes[Math.Min(at, bytes.Length)..Math.Min(bytes.Length, at + 24)]);

    /// <summary>A reply as text for a history label or a message.</summary>
    internal static string AsText(ReadOnlySpan<byte> reply) => Encoding.UTF8.GetString(reply);
}
