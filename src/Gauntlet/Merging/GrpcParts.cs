using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Merging;

/// <summary>The gRPC figures of a split run's segments, merged: statuses and messages added, the per-message latencies from the added histograms.</summary>
internal static class GrpcParts
{
    public static GrpcFigures? Sum(IReadOnlyList<ScenarioMerge.Part> parts)
    {
        var all = parts.Select(p => p.Scenario.Grpc).OfType<GrpcFigures>().ToList();
        if (all.Count == 0) return null;
        var messages = all.Sum(g => g.MessagesReceived);
        var streams = all.Sum(g => g.StreamsEnded);
        return all[0] with
        {
            Statuses = [.. all.SelectMany(g => g.Statuses).GroupBy(s => s.Code).OrderBy(g => g.Key).Select(g => g.First() with { Count = g.Sum(s => s.Count) })],
            MessagesReceived = messages,
            StreamsEnded = streams,
            MessagesPerCall = streams > 0 ? Math.Round((double)messages / streams, 2) : 0,
            MaxMessagesPerCall = all.Max(g => g.MaxMessagesPerCall),
            // A percentile is never averaged: without every segment's histogram the merged figure is left out.
            FirstMessage = Latency(all.Select(g => g.FirstMessage)),
            MessageGap = Latency(all.Select(g => g.MessageGap)),
        };
    }

    private static LatencySummary? Latency(IEnumerable<LatencySummary?> summaries)
    {
        var list = summaries.ToList();
        if (list.Any(s => s is null)) return null;
        return Histograms.Sum(list.Select(s => s!)) is { } sum ? Histograms.Summarize(sum) : null;
    }
}
