using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// An HTTP operation's phases (<see cref="HttpFigures.Phases"/>) and its Server-Sent Events (<see cref="HttpFigures.Sse"/>)
/// as every report writes them: one row per phase and per event figure, so the console, Markdown and HTML say the same.
/// </summary>
internal static class HttpPhaseText
{
    /// <summary>The table's headers; <c>&gt;</c> marks a right-aligned column.</summary>
    public static readonly string[] Headers = ["phase", ">count", ">p50", ">p90", ">p99", ">max", "counts"];

    /// <summary>What the rows count, said once under the table.</summary>
    public const string Note =
        "Connect and TLS count only the requests that opened a connection (once per connection); time to first byte runs from the request written "
        + "(httpclient: handed to HttpClient, so waiting for a connection is in it) to the first response byte (httpclient: its headers), transfer from there to the last byte.";

    /// <summary>The rows: each measured phase, then the stream's figures when responses were read as events.</summary>
    public static List<string[]> Rows(HttpFigures http)
    {
        var rows = new List<string[]>();
        if (http.Phases is { } p)
        {
            Add(rows, "connect", p.Connect, "connections opened");
            Add(rows, "TLS handshake", p.Tls, "connections opened");
            Add(rows, "time to first byte", p.Ttfb, "responses");
            Add(rows, "transfer", p.Transfer, "responses");
        }
        if (http.Sse is { } sse)
        {
            Add(rows, "first event", sse.FirstEvent, "streams with an event");
            Add(rows, "gap between events", sse.Gap, "gaps");
            rows.Add(["events per stream", Figures.Count(sse.EventsPerStream.Count), Events(sse.EventsPerStream, sse.EventsPerStream.P50Micros),
                Events(sse.EventsPerStream, sse.EventsPerStream.P90Micros), Events(sse.EventsPerStream, sse.EventsPerStream.P99Micros),
                Events(sse.EventsPerStream, sse.EventsPerStream.MaxMicros), "streams"]);
        }
        return rows;
    }

    /// <summary>One line on the streams: <c>100 streams, 2,100 events, 0 cut</c>.</summary>
    public static string Streams(SseFigures sse) =>
        $"{Figures.Count(sse.Streams)} streams, {Figures.Count(sse.Events)} events, {Figures.Count(sse.Cut)} cut (sse_cut)";

    /// <summary>One line for a terminal: <c>ttfb p50 120us, p99 1.2ms</c>, each phase measured.</summary>
    public static string Line(HttpFigures http) =>
        string.Join("; ", Rows(http).Select(r => $"{r[0]} p50 {r[2]}, p99 {r[4]}, max {r[5]} ({r[1]} {r[6]})"));

    private static void Add(List<string[]> rows, string name, LatencySummary? summary, string counts)
    {
        if (summary is null) return;
        rows.Add([name, Figures.Count(summary.Count), Figures.Latency(summary, summary.P50Micros), Figures.Latency(summary, summary.P90Micros),
            Figures.Latency(summary, summary.P99Micros), Figures.Latency(summary, summary.MaxMicros), counts]);
    }

    private static string Events(LatencySummary summary, double value) =>
        summary.Count == 0 ? Figures.NotAvailable : Figures.Count((long)value);
}
