using System.Globalization;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// What a gRPC scenario adds to the reports: the method, calls by status, and for server streaming the messages per
/// call, the time to the first message and the gap between messages. Reads <see cref="GrpcFigures"/> only; the
/// Markdown and HTML reports build their tables from the same rows.
/// </summary>
internal static class GrpcText
{
    /// <summary>One line: <c>gauntlet.echo.Echo/Say (unary) on 1 channel; statuses OK 1,000, UNAVAILABLE 3</c>.</summary>
    public static string Line(GrpcFigures grpc)
    {
        ArgumentNullException.ThrowIfNull(grpc);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{grpc.Method} ({grpc.Shape}) on {grpc.Channels} channel{(grpc.Channels == 1 ? "" : "s")}");
        if (grpc.Statuses.Count > 0) s.Append("; statuses ").Append(string.Join(", ", grpc.Statuses.Select(c => $"{c.Status} {Figures.Count(c.Count)}")));
        return s.ToString();
    }

    /// <summary>Server streaming: <c>3,000 messages in 300 calls (10 per call, at most 10); first message p50 ..., gap p50 ...</c>; null for unary.</summary>
    public static string? StreamLine(GrpcFigures grpc)
    {
        ArgumentNullException.ThrowIfNull(grpc);
        if (grpc.FirstMessage is not { } first || grpc.MessageGap is not { } gap) return null;
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{Figures.Count(grpc.MessagesReceived)} messages in {Figures.Count(grpc.StreamsEnded)} calls ");
        s.Append(CultureInfo.InvariantCulture, $"({grpc.MessagesPerCall.ToString("0.##", CultureInfo.InvariantCulture)} per call, at most {Figures.Count(grpc.MaxMessagesPerCall)})");
        s.Append(CultureInfo.InvariantCulture, $"; first message p50 {Figures.Latency(first, first.P50Micros)}, p99 {Figures.Latency(first, first.P99Micros)}");
        s.Append(CultureInfo.InvariantCulture, $"; gap p50 {Figures.Latency(gap, gap.P50Micros)}, p99 {Figures.Latency(gap, gap.P99Micros)}, max {Figures.Latency(gap, gap.MaxMicros)}");
        return s.ToString();
    }

    /// <summary>The status table's headers; <c>&gt;</c> marks a right-aligned column.</summary>
    public static readonly string[] StatusHeaders = ["status", ">code", ">calls"];

    /// <summary>The stream table's headers.</summary>
    public static readonly string[] StreamHeaders = ["statistic", ">first message", ">gap between messages"];

    /// <summary>What follows the method: <c> (unary) on 1 channel, 1,000 response messages.</c></summary>
    public static string Lead(GrpcFigures grpc) =>
        $" ({grpc.Shape}) on {grpc.Channels.ToString(CultureInfo.InvariantCulture)} {(grpc.Channels == 1 ? "channel" : "channels")}, {Figures.Count(grpc.MessagesReceived)} response messages.";

    /// <summary>One row per status the calls ended with: name, code, calls.</summary>
    public static List<string[]> StatusRows(GrpcFigures grpc) =>
        [.. grpc.Statuses.Select(s => new[] { s.Status, s.Code.ToString(CultureInfo.InvariantCulture), Figures.Count(s.Count) })];

    /// <summary>Server streaming: <c>Server streaming: 300 calls ended, 10 messages per call on average, at most 10.</c>; null for unary.</summary>
    public static string? StreamSentence(GrpcFigures grpc) =>
        grpc.FirstMessage is null || grpc.MessageGap is null ? null
            : $"Server streaming: {Figures.Count(grpc.StreamsEnded)} calls ended, {grpc.MessagesPerCall.ToString("0.##", CultureInfo.InvariantCulture)} messages per call on average, at most {Figures.Count(grpc.MaxMessagesPerCall)}.";

    /// <summary>Server streaming: the time to the first message and the gap between messages, side by side (samples, then each statistic); none for unary.</summary>
    public static List<string[]> StreamRows(GrpcFigures grpc)
    {
        var rows = new List<string[]>();
        if (grpc.FirstMessage is not { } first || grpc.MessageGap is not { } gap) return rows;
        rows.Add(["samples", Figures.Count(first.Count), Figures.Count(gap.Count)]);
        foreach (var (name, value) in Figures.LatencyStatistics) rows.Add([name, Figures.Latency(first, value(first)), Figures.Latency(gap, value(gap))]);
        return rows;
    }

    /// <summary>The Markdown section <c>### gRPC</c>.</summary>
    public static void Markdown(StringBuilder md, GrpcFigures? grpc)
    {
        if (grpc is null) return;
        md.Append("### gRPC\n\n").Append(MarkdownText.Inline(grpc.Method)).Append(Lead(grpc)).Append("\n\n");
        if (StatusRows(grpc) is { Count: > 0 } statuses)
        {
            var table = new MarkdownTable(StatusHeaders);
            foreach (var row in statuses) table.Add([.. row.Select(cell => MarkdownText.Inline(cell))]);
            table.WriteTo(md);
        }
        if (StreamSentence(grpc) is { } sentence)
        {
            md.Append(sentence).Append("\n\n");
            var table = new MarkdownTable(StreamHeaders);
            foreach (var row in StreamRows(grpc)) table.Add(row);
            table.WriteTo(md);
        }
    }
}
