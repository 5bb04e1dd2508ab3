using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Monitoring;
using Gauntlet.Results;
using HdrHistogram;

namespace Gauntlet.Merging;

/// <summary>
/// One scenario's figures from its segments, as one machine running every segment's share would have counted them:
/// counts and errors added, latencies from the added histograms, throughput from the merged per-second series, the
/// timeline on the merged clock. Judging (thresholds, verifiers, verdict) is <see cref="SegmentMerge"/>'s.
/// </summary>
internal static class ScenarioMerge
{
    /// <summary>One segment's result of the scenario, the file it came from, and how many seconds after the merged start it began.</summary>
    public sealed record Part(ScenarioResult Scenario, string File, double OffsetSeconds);

    /// <summary>The merged figures, with the merged latency histogram that percentile thresholds read.</summary>
    public sealed record Merged(ScenarioResult Draft, HistogramBase Latency)
    {
        /// <summary>Each merged second's latency counts, which windowed thresholds read.</summary>
        public IReadOnlyList<LatencyCounts?> SecondLatency { get; init; } = [];
    }

    /// <summary>The parts of one scenario, each on the clock of the earliest segment's start.</summary>
    public static List<Part> Parts(IReadOnlyList<SegmentResult> segments, int scenario)
    {
        var start = segments.Min(s => s.Result.Scenarios[scenario].StartedAt);
        return [.. segments.Select(s => new Part(s.Result.Scenarios[scenario], s.File, (s.Result.Scenarios[scenario].StartedAt - start).TotalSeconds))];
    }

    /// <param name="parts">The segments' results of the scenario.</param>
    /// <param name="windowed">True when a threshold is judged over windows, which read each merged second's latency.</param>
    public static Merged Figures(IReadOnlyList<Part> parts, bool windowed = true)
    {
        var first = parts[0].Scenario;
        var warnings = new List<Warning>();
        var counts = SumCounts(parts.Select(p => p.Scenario.Counts));
        var latency = SumLatency(parts, p => p.Latency) ?? throw new SegmentMergeException($"{parts.First(p => p.Scenario.Latency.Histogram is null).File}: scenario '{first.Name}' has latency without its histogram, so it cannot be merged exactly; run the segments again with this Gauntlet.", parts[0].File);
        var issuing = parts.Max(p => p.OffsetSeconds + p.Scenario.IssuingSeconds);
        var duration = parts.Max(p => p.OffsetSeconds + p.Scenario.DurationSeconds);
        // Each merged second's latency is kept for windowed thresholds only: they are the ones that read it.
        var secondLatency = windowed ? new List<LatencyCounts?>() : null;
        var (timeline, exactSeconds) = TimelineMerge.Merge([.. parts.Select(p => new TimelineMerge.Part(p.Scenario.Timeline, p.OffsetSeconds))], duration, secondLatency);
        // The segments' own warnings name seconds on their own clocks: the merged one names them on the merged clock.
        if (GeneratorSaturation.Warning(timeline, cores: null, inProcessTarget: first.Resources is { Target: null }) is { } limited)
            warnings.Add(limited);
        if (!exactSeconds)
            warnings.Add(new(WarningCode.MergeIncomplete, "a segment's timeline has seconds without their latency histogram, so those merged seconds show no p50 or p99 (they are never averaged); run the segments with this Gauntlet to have them"));
        var draft = first with
        {
            Config = first.Config with { MaxConcurrency = parts.Sum(p => p.Scenario.Config.MaxConcurrency) },
            StartedAt = parts.Min(p => p.Scenario.StartedAt),
            IssuingSeconds = Math.Round(issuing, 6),
            DurationSeconds = Math.Round(duration, 6),
            Counts = counts,
            AccountingBalanced = counts.Balanced,
            Errors = SumErrors(parts),
            Latency = Histograms.Summarize(latency),
            ServiceTime = SumOptionalLatency(parts, p => p.ServiceTime),
            SchedulingLag = SumOptionalLatency(parts, p => p.SchedulingLag),
            Throughput = Throughput(timeline, issuing, counts.Completed / Math.Max(duration, double.Epsilon), warnings),
            Arrivals = SumArrivals(parts),
            StartSpread = null,
            Timeline = timeline,
            Hang = FirstHang(parts),
            Figures = ScenarioParts.SumFigures(parts),
            Warmup = ScenarioParts.SumWarmup(parts),
            Resources = ScenarioParts.WorstResources(parts),
            TargetMetrics = TargetMetrics(parts),
            Windows = ScenarioParts.Windows(parts),
            Http = ScenarioParts.SumHttp(parts, duration),
            Grpc = GrpcParts.Sum(parts),
            WebSocket = ScenarioParts.SumWebSocket(parts, duration),
            OperationKinds = ScenarioParts.SumKinds(parts, warnings),
            Agents = ScenarioParts.JoinAgents(parts, warnings),
            AgentFaults = ScenarioParts.SumAgentFaults(parts),
            Recovery = parts.Select(p => p.Scenario.Recovery).FirstOrDefault(r => r is { Ok: false }) ?? first.Recovery,
            Thresholds = [],
            Verifications = null,
            History = null,
            Reasons = [],
        };
        return new Merged(draft with { Warnings = SegmentWarnings(parts).Concat(warnings).ToList() }, latency) { SecondLatency = secondLatency ?? [] };
    }

    /// <summary>Every count added; the accounting invariant holds in the sum when it holds in each part.</summary>
    public static Counts SumCounts(IEnumerable<Counts> parts) => parts.Aggregate(new Counts(), (sum, c) => new Counts
    {
        Started = sum.Started + c.Started,
        Ok = sum.Ok + c.Ok,
        Failed = sum.Failed + c.Failed,
        TimedOut = sum.TimedOut + c.TimedOut,
        Crashed = sum.Crashed + c.Crashed,
        CutOff = sum.CutOff + c.CutOff,
        Dropped = sum.Dropped + c.Dropped,
    });

    /// <summary>Errors of one kind, status and class added, the first sample message kept, most frequent first.</summary>
    public static List<ErrorKindCount> SumErrors(IReadOnlyList<Part> parts) =>
        [.. parts.SelectMany(p => p.Scenario.Errors)
            .GroupBy(e => (e.Kind, e.Status, e.Class))
            .Select(g => new ErrorKindCount(g.Key.Kind, g.Key.Status, g.Sum(e => e.Count), g.Select(e => e.SampleMessage).FirstOrDefault(m => m is not null), g.Key.Class))
            .OrderByDescending(e => e.Count).ThenBy(e => e.Kind, StringComparer.Ordinal)];

    private static HistogramBase? SumLatency(IReadOnlyList<Part> parts, Func<ScenarioResult, LatencySummary?> of) =>
        Histograms.Sum(parts.Select(p => of(p.Scenario)).OfType<LatencySummary>());

    private static LatencySummary? SumOptionalLatency(IReadOnlyList<Part> parts, Func<ScenarioResult, LatencySummary?> of)
    {
        if (parts.All(p => of(p.Scenario) is null)) return null;
        var sum = SumLatency(parts, of);
        return sum is null ? new LatencySummary() : Histograms.Summarize(sum);
    }

    /// <summary>Throughput statistics over the merged per-second series, as the engine computes them for one run.</summary>
    private static ThroughputStats Throughput(IReadOnlyList<TimelinePoint> timeline, double issuingSeconds, double overall, List<Warning> warnings)
    {
        var perSecond = ResultBuilder.WholeSeconds(timeline, issuingSeconds);
        var throughput = ThroughputStatistics.Compute(perSecond, overall);
        if (ResourceAnalysis.Drift(perSecond) is not var (drift, degraded)) return throughput;
        if (degraded)
            warnings.Add(new(WarningCode.ThroughputDegraded, $"throughput degraded during the run: the last seconds completed {Format.Percent(-drift)} fewer operations per second than the first"));
        return throughput with { Drift = drift, Degraded = degraded };
    }

    /// <summary>
    /// Scheduled arrivals added; the rates over the schedule's window (the same window in every segment, since each runs
    /// its share of one schedule): requested = scheduled / window, achieved = dispatched / window.
    /// </summary>
    private static ArrivalStats? SumArrivals(IReadOnlyList<Part> parts)
    {
        var arrivals = parts.Select(p => p.Scenario.Arrivals).OfType<ArrivalStats>().ToList();
        if (arrivals.Count == 0) return null;
        var windows = arrivals.Select(a => a.RequestedRate > 0 ? a.Scheduled / a.RequestedRate : 0).ToList();
        var window = windows.Max();
        var scheduled = arrivals.Sum(a => a.Scheduled);
        var dispatched = arrivals.Select((a, i) => a.AchievedRate * windows[i]).Sum();
        return new ArrivalStats
        {
            Scheduled = scheduled,
            RequestedRate = window > 0 ? scheduled / window : 0,
            AchievedRate = window > 0 ? Math.Round(dispatched) / window : 0,
        };
    }

    /// <summary>
    /// The target's own metrics, as the one segment that read them (segment 0: every segment would read the same target)
    /// saw them, on the merged clock; null when none did.
    /// </summary>
    private static List<TargetMetricSeries>? TargetMetrics(IReadOnlyList<Part> parts)
    {
        var reader = parts.FirstOrDefault(p => p.Scenario.TargetMetrics is { Count: > 0 });
        if (reader is null) return null;
        return [.. reader.Scenario.TargetMetrics!.Select(s => s with
        {
            Points = [.. s.Points.Select(p => p with { Second = Math.Round(p.Second + reader.OffsetSeconds, 3) })],
        })];
    }

    /// <summary>The first segment's hang, on the merged clock.</summary>
    private static HangReport? FirstHang(IReadOnlyList<Part> parts) =>
        parts.Where(p => p.Scenario.Hang is not null).Select(p => p.Scenario.Hang! with { AtSecond = Math.Round(p.Scenario.Hang!.AtSecond + p.OffsetSeconds, 6) }).FirstOrDefault();

    /// <summary>
    /// The segments' warnings, each once (same code and message), without the segment's note that its thresholds and
    /// verifiers are left to the merge: the merge judges them. Their generator-limited warnings are left out too: they
    /// name seconds on each segment's clock, and the merge writes one from the merged timeline.
    /// </summary>
    private static IEnumerable<Warning> SegmentWarnings(IReadOnlyList<Part> parts) =>
        parts.SelectMany(p => p.Scenario.Warnings)
            .Where(w => w.Code is not (WarningCode.JudgedByMerge or WarningCode.GeneratorLimited))
            .DistinctBy(w => (w.Code, w.Message));
}
