using System.Globalization;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// What a gRPC scenario adds to the reports: the method, calls by status, and for server streaming the messages per
/// call, the time to the first message and the gap between messages. Reads <see cref="GrpcFigures"/> only.
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

    /// <summary>The Markdown section <c>### gRPC</c>.</summary>
    public static void Markdown(StringBuilder md, GrpcFigures? grpc)
    {
        if (grpc is null) return;
        md.Append("### gRPC\n\n");
        md.Append(MarkdownText.Inline(grpc.Method)).Append(" (").Append(grpc.Shape).Append(") on ")
            .Append(grpc.Channels.ToString(CultureInfo.InvariantCulture)).Append(grpc.Channels == 1 ? " channel" : " channels")
            .Append(", ").Append(Figures.Count(grpc.MessagesReceived)).Append(" response messages.\n\n");
        if (grpc.Statuses.Count > 0)
        {
            var table = new MarkdownTable("status", ">code", ">calls");
            foreach (var status in grpc.Statuses) table.Add(status.Status, status.Code.ToString(CultureInfo.InvariantCulture), Figures.Count(status.Count));
            table.WriteTo(md);
        }
        if (grpc.FirstMessage is { } first && grpc.MessageGap is { } gap)
        {
            md.Append(CultureInfo.InvariantCulture, $"Server streaming: {Figures.Count(grpc.StreamsEnded)} calls ended, {grpc.MessagesPerCall.ToString("0.##", CultureInfo.InvariantCulture)} messages per call on average, at most {Figures.Count(grpc.MaxMessagesPerCall)}.\n\n");
            var table = new MarkdownTable("statistic", ">first message", ">gap between messages");
            table.Add("samples", Figures.Count(first.Count), Figures.Count(gap.Count));
            foreach (var (name, value) in Figures.LatencyStatistics) table.Add(name, Figures.Latency(first, value(first)), Figures.Latency(gap, value(gap)));
            table.WriteTo(md);
        }
    }
}
