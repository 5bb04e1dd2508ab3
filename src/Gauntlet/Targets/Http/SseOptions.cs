using System.Text;
using System.Text.RegularExpressions;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// A response read as a stream of Server-Sent Events (<c>text/event-stream</c>), as LLM APIs send tokens: set
/// <see cref="HttpOperationOptions.Sse"/>. The operation's latency is the whole stream's; its figures add the time to
/// the first event, the gaps between events and the events per stream (<see cref="Results.SseFigures"/>). A stream that
/// ends before its end (the connection closed mid-stream, or before <see cref="Until"/>) fails as
/// <see cref="HttpErrors.SseCut"/>. The last event's data is the operation's output, which a history label can read.
/// </summary>
public sealed record SseOptions
{
    /// <summary>
    /// The data of the event that ends a stream, such as <c>[DONE]</c>: reading stops there, and a stream that closes
    /// before it is cut. Null: a stream ends when the server closes it, and only a connection closed mid-response is cut.
    /// </summary>
    public string? Until { get; init; }

    /// <summary>The fewest events a stream must carry (the terminating one included); fewer fails the stream's check.</summary>
    public int MinEvents { get; init; }

    /// <summary>A check on the last event's data; null for none.</summary>
    public SseEventCheck? LastEvent { get; init; }

    internal void Validate(ProblemList problems)
    {
        if (MinEvents < 0) problems.Add("minEvents", $"must be 0 or more, found {MinEvents}");
        if (Until is { Length: 0 }) problems.Add("until", "must not be empty; write the data of the event that ends a stream, such as until: \"[DONE]\"");
    }
}

/// <summary>A check on one event's data (the last one of a stream). A closed set.</summary>
public abstract record SseEventCheck
{
    private SseEventCheck() { }

    /// <summary>Null when <paramref name="data"/> passes; otherwise what was wrong.</summary>
    internal abstract string? Evaluate(ReadOnlySpan<byte> data);

    /// <summary>The data is exactly <see cref="Text"/>.</summary>
    public sealed record Equal(string Text) : SseEventCheck
    {
        private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(Text);

        internal override string? Evaluate(ReadOnlySpan<byte> data) =>
            data.SequenceEqual(_utf8) ? null : $"the last event is '{Shown(data)}', expected '{Text}'";
    }

    /// <summary>The data matches the regular expression <see cref="Pattern"/>.</summary>
    public sealed record Matches(Regex Pattern) : SseEventCheck
    {
        internal override string? Evaluate(ReadOnlySpan<byte> data) =>
            Pattern.IsMatch(Encoding.UTF8.GetString(data)) ? null : $"the last event '{Shown(data)}' does not match /{Pattern}/";
    }

    /// <summary>The data is JSON and the value at <see cref="Path"/> equals <see cref="Expected"/>.</summary>
    public sealed record Json(JsonPath Path, string Expected) : SseEventCheck
    {
        private readonly HttpCheck.JsonEquals _check = new(Path, Expected);

        internal override string? Evaluate(ReadOnlySpan<byte> data) =>
            _check.Evaluate(data, static _ => null) is { } failure ? "the last event: " + failure : null;
    }

    private const int ShownChars = 80;

    private static string Shown(ReadOnlySpan<byte> data)
    {
        var text = Encoding.UTF8.GetString(data[..Math.Min(data.Length, ShownChars * 4)]);
        return text.Length > ShownChars ? string.Concat(text.AsSpan(0, ShownChars), "…") : text;
    }
}
