using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Merging;

/// <summary>
/// The parts of a scenario's result beyond counts and latency, merged: HTTP figures and operation kinds added, agents
/// joined (their ids are global), agent faults added, the scenario's own figures added, fault windows on the merged
/// clock, and the resources as the worst segment's.
/// </summary>
internal static class ScenarioParts
{
    /// <summary>Status codes, bytes and connections added; bytes per second over the merged duration.</summary>
    public static HttpFigures? SumHttp(IReadOnlyList<ScenarioMerge.Part> parts, double durationSeconds)
    {
        var all = parts.Select(p => p.Scenario.Http).OfType<HttpFigures>().ToList();
        if (all.Count == 0) return null;
        long bytesIn = all.Sum(h => h.BytesIn), bytesOut = all.Sum(h => h.BytesOut);
        return all[0] with
        {
            StatusCodes = [.. all.SelectMany(h => h.StatusCodes).GroupBy(c => c.Code).OrderBy(g => g.Key).Select(g => new StatusCodeCount(g.Key, g.Sum(c => c.Count)))],
            BytesIn = bytesIn,
            BytesOut = bytesOut,
            BytesInPerSecond = durationSeconds > 0 ? Math.Round(bytesIn / durationSeconds, 1) : 0,
            BytesOutPerSecond = durationSeconds > 0 ? Math.Round(bytesOut / durationSeconds, 1) : 0,
            ConnectionsOpened = all.Sum(h => h.ConnectionsOpened),
            ServerCloses = all.Sum(h => h.ServerCloses),
            Phases = all.All(h => h.Phases is null) ? null : new HttpPhases
            {
                Connect = SumPhase(all, p => p.Connect),
                Tls = SumPhase(all, p => p.Tls),
                Ttfb = SumPhase(all, p => p.Ttfb),
                Transfer = SumPhase(all, p => p.Transfer),
            },
            Sse = all.All(h => h.Sse is null) ? null : new SseFigures
            {
                Streams = all.Sum(h => h.Sse?.Streams ?? 0),
                Events = all.Sum(h => h.Sse?.Events ?? 0),
                Cut = all.Sum(h => h.Sse?.Cut ?? 0),
                FirstEvent = SumSummaries(all.Select(h => h.Sse?.FirstEvent)),
                Gap = SumSummaries(all.Select(h => h.Sse?.Gap)),
                EventsPerStream = SumSummaries(all.Select(h => h.Sse?.EventsPerStream)),
            },
        };
    }

    /// <summary>A phase from the segments' added histograms; null when no segment measured it.</summary>
    private static LatencySummary? SumPhase(List<HttpFigures> all, Func<HttpPhases, LatencySummary?> of)
    {
        var summaries = all.Select(h => h.Phases is null ? null : of(h.Phases)).ToList();
        return summaries.All(s => s is null) ? null : SumSummaries(summaries);
    }

    /// <summary>The histograms added (exactly); an empty summary when a segment kept none, so no percentile is ever averaged.</summary>
    private static LatencySummary SumSummaries(IEnumerable<LatencySummary?> summaries) =>
        Histograms.Sum(summaries.OfType<LatencySummary>()) is { } sum ? Histograms.Summarize(sum) : new LatencySummary();

    /// <summary>
    /// WebSocket connections, messages and bytes added; the connect time from the added histograms (absent, never
    /// averaged, when a segment kept none); bytes per second over the merged duration.
    /// </summary>
    public static WebSocketFigures? SumWebSocket(IReadOnlyList<ScenarioMerge.Part> parts, double durationSeconds)
    {
        var all = parts.Select(p => p.Scenario.WebSocket).OfType<WebSocketFigures>().ToList();
        if (all.Count == 0) return null;
        long bytesIn = all.Sum(w => w.BytesIn), bytesOut = all.Sum(w => w.BytesOut);
        var connects = all.Select(w => w.ConnectTime).OfType<LatencySummary>().ToList();
        var connect = connects.Count == 0 ? null : Histograms.Sum(connects);
        return new WebSocketFigures
        {
            ConnectionsOpened = all.Sum(w => w.ConnectionsOpened),
            ServerCloses = all.Sum(w => w.ServerCloses),
            ConnectTime = connect is null || connect.TotalCount == 0 ? null : Histograms.Summarize(connect),
            MessagesSent = all.Sum(w => w.MessagesSent),
            MessagesReceived = all.Sum(w => w.MessagesReceived),
            MessagesLost = all.Sum(w => w.MessagesLost),
            BytesIn = bytesIn,
            BytesOut = bytesOut,
            BytesInPerSecond = durationSeconds > 0 ? Math.Round(bytesIn / durationSeconds, 1) : 0,
            BytesOutPerSecond = durationSeconds > 0 ? Math.Round(bytesOut / durationSeconds, 1) : 0,
        };
    }

    /// <summary>
    /// Each kind's counts added and its latency from the added histograms. A kind whose segments carry no histogram gets
    /// an empty latency (its percentiles absent, so a per-kind latency threshold is not judged) and a warning: a
    /// percentile is never averaged.
    /// </summary>
    public static List<OperationKindFigures>? SumKinds(IReadOnlyList<ScenarioMerge.Part> parts, List<Warning> warnings)
    {
        if (parts.All(p => p.Scenario.OperationKinds is null)) return null;
        var merged = new List<OperationKindFigures>();
        foreach (var kind in parts.SelectMany(p => p.Scenario.OperationKinds ?? []).GroupBy(k => k.Name, StringComparer.Ordinal))
        {
            var latency = Histograms.Sum(kind.Select(k => k.Latency));
            if (latency is null)
                warnings.Add(new(WarningCode.MergeIncomplete, $"operation kind '{kind.Key}': a segment kept no latency histogram for it, so its merged percentiles are absent (never averaged)"));
            merged.Add(kind.First() with
            {
                Count = kind.Sum(k => k.Count),
                Ok = kind.Sum(k => k.Ok),
                NotOk = kind.Sum(k => k.NotOk),
                Latency = latency is null ? new LatencySummary() : Histograms.Summarize(latency),
            });
        }
        return merged;
    }

    /// <summary>
    /// The agents of every segment, in agent order (ids are global, so they never collide). The spreads come from the
    /// joined rows when every segment kept them; otherwise the smallest and largest are exact and the median of the
    /// operations is the median of the segments' medians, which a warning says.
    /// </summary>
    public static AgentFigures? JoinAgents(IReadOnlyList<ScenarioMerge.Part> parts, List<Warning> warnings)
    {
        var all = parts.Select(p => p.Scenario.Agents).OfType<AgentFigures>().ToList();
        if (all.Count == 0) return null;
        var joined = new AgentFigures
        {
            Launched = all.Sum(a => a.Launched),
            Started = all.Sum(a => a.Started),
            NeverStarted = [.. all.SelectMany(a => a.NeverStarted).Order()],
            Retired = [.. all.SelectMany(a => a.Retired)],
            Operations = all[0].Operations,
        };
        if (all.All(a => a.Rows is not null))
        {
            List<AgentRow> rows = [.. all.SelectMany(a => a.Rows!).OrderBy(r => r.Agent)];
            var withLatency = rows.Where(r => r.Latency is { Count: > 0 }).ToList();
            return joined with
            {
                Operations = AgentAccounting.Spread(rows, r => r.Started) ?? all[0].Operations,
                P99Micros = all.Any(a => a.P99Micros is not null) ? AgentAccounting.Spread(withLatency, r => r.Latency!.P99Micros) : null,
                Rows = rows.Count <= AgentFigures.MaxRows ? rows : null,
            };
        }
        warnings.Add(new(WarningCode.MergeIncomplete, $"a segment had more than {AgentFigures.MaxRows} agents and kept only their spreads: the merged smallest and largest per agent are exact, the median is the median of the segments' medians"));
        return joined with { Operations = JoinSpreads(all.Select(a => a.Operations).ToList()), P99Micros = all.Any(a => a.P99Micros is null) ? null : JoinSpreads([.. all.Select(a => a.P99Micros!)]) };
    }

    private static AgentSpread JoinSpreads(List<AgentSpread> spreads)
    {
        var min = spreads.MinBy(s => s.Min)!;
        var max = spreads.MaxBy(s => s.Max)!;
        return new AgentSpread(min.Min, Statistics.Median([.. spreads.Select(s => s.Median)]), max.Max, min.MinAgent, max.MaxAgent);
    }

    /// <summary>Faults delivered added by action, misses added, the events on the merged clock in time order (capped as one run's are).</summary>
    public static AgentFaultFigures? SumAgentFaults(IReadOnlyList<ScenarioMerge.Part> parts)
    {
        var all = parts.Where(p => p.Scenario.AgentFaults is not null).ToList();
        if (all.Count == 0) return null;
        return new AgentFaultFigures
        {
            Delivered = [.. all.SelectMany(p => p.Scenario.AgentFaults!.Delivered).GroupBy(d => d.Action, StringComparer.Ordinal).Select(g => new AgentFaultCount(g.Key, g.Sum(d => d.Count)))],
            Missed = all.Sum(p => p.Scenario.AgentFaults!.Missed),
            Events = [.. all.SelectMany(p => p.Scenario.AgentFaults!.Events.Select(e => e with { AtSecond = Round(e.AtSecond + p.OffsetSeconds), UntilSecond = Round(e.UntilSecond + p.OffsetSeconds) }))
                .OrderBy(e => e.AtSecond).Take(AgentFaultFigures.MaxEvents)],
        };
    }

    /// <summary>
    /// The scenario's own figures by key: counts and rates added (each segment counted its share: items per second, GC
    /// collections), any other unit (a time, a size) the largest segment's.
    /// </summary>
    public static List<Figure>? SumFigures(IReadOnlyList<ScenarioMerge.Part> parts)
    {
        if (parts.All(p => p.Scenario.Figures is null)) return null;
        return [.. parts.SelectMany(p => p.Scenario.Figures ?? []).GroupBy(f => f.Key, StringComparer.Ordinal)
            .Select(g => g.First() with { Value = g.First().Unit is Figure.CountUnit or Figure.RateUnit ? g.Sum(f => f.Value) : g.Max(f => f.Value) })];
    }

    /// <summary>The warm-ups' counts added, their latency from the added histograms, the longest warm-up's length.</summary>
    public static WarmupResult? SumWarmup(IReadOnlyList<ScenarioMerge.Part> parts)
    {
        var all = parts.Select(p => p.Scenario.Warmup).OfType<WarmupResult>().ToList();
        if (all.Count == 0) return null;
        var latency = Histograms.Sum(all.Select(w => w.Latency));
        return new WarmupResult
        {
            Seconds = all.Max(w => w.Seconds),
            Counts = ScenarioMerge.SumCounts(all.Select(w => w.Counts)),
            Throughput = all.Sum(w => w.Throughput),
            Latency = latency is null ? new LatencySummary() : Histograms.Summarize(latency),
        };
    }

    /// <summary>
    /// Resources are per machine, so they are not added: the merged figures are the worst segment's for each figure
    /// (largest RSS, CPU, threads, descriptors, growth; a leak suspected in any), and the samples are the first
    /// segment's, as a note says. Each segment's own result keeps its samples.
    /// </summary>
    public static ResourceUsage? WorstResources(IReadOnlyList<ScenarioMerge.Part> parts)
    {
        var all = parts.Select(p => p.Scenario.Resources).OfType<ResourceUsage>().ToList();
        if (all.Count == 0) return null;
        if (all.Count == 1) return all[0];
        return all[0] with
        {
            TargetFigures = Worst([.. all.Select(r => r.TargetFigures).OfType<ResourceFigures>()]),
            SelfFigures = Worst([.. all.Select(r => r.SelfFigures).OfType<ResourceFigures>()]),
            Notes = [.. all[0].Notes, $"merged from {all.Count} segments: each figure is the worst segment's (resources are per machine, not added); the samples are the first segment's"],
        };
    }

    private static ResourceFigures? Worst(List<ResourceFigures> figures) => figures.Count == 0 ? null : new ResourceFigures
    {
        SampleCount = figures.Sum(f => f.SampleCount),
        MaxRssBytes = figures.Max(f => f.MaxRssBytes),
        LastRssBytes = figures.Max(f => f.LastRssBytes),
        RssSlopeBytesPerSecond = figures.Max(f => f.RssSlopeBytesPerSecond),
        MeanCpu = figures.Max(f => f.MeanCpu),
        MaxCpu = figures.Max(f => f.MaxCpu),
        MaxThreads = figures.Max(f => f.MaxThreads),
        MaxFds = figures.Max(f => f.MaxFds),
        FdGrowth = figures.Max(f => f.FdGrowth),
        LeakSuspected = figures.Any(f => f.LeakSuspected),
        FdLeakSuspected = figures.Any(f => f.FdLeakSuspected),
    };

    /// <summary>Every segment's fault windows on the merged clock, each once, in time order.</summary>
    public static List<TimelineWindow>? Windows(IReadOnlyList<ScenarioMerge.Part> parts)
    {
        List<TimelineWindow> all = [.. parts.SelectMany(p => (p.Scenario.Windows ?? []).Select(w => new TimelineWindow(Round(w.FromSecond + p.OffsetSeconds), Round(w.ToSecond + p.OffsetSeconds), w.Label)))
            .Distinct().OrderBy(w => w.FromSecond)];
        return all.Count == 0 ? null : all;
    }

    private static double Round(double seconds) => Math.Round(seconds, 6);
}
