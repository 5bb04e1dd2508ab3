using Gauntlet.Engine.Executors;
using Gauntlet.Metrics;
using Gauntlet.Monitoring;
using Gauntlet.Monitoring.Prometheus;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Thresholds;

namespace Gauntlet.Engine;

/// <summary>Turns a finished <see cref="ScenarioRun"/> into a <see cref="ScenarioResult"/>: counts, figures, thresholds, warnings and the verdict.</summary>
internal static class ResultBuilder
{
    /// <summary>Below this share of the requested arrival rate the generator is reported as having fallen behind.</summary>
    public const double AchievedRateWarningRatio = 0.99;

    public sealed record Inputs(ScenarioRun Run, Collector Collector, IExecutor Executor, DateTimeOffset StartedAt, long IssuingTicks, long TotalTicks, long CutOff)
    {
        public HistoryInfo? History { get; init; }
        public IReadOnlyList<VerificationResult> Verifications { get; init; } = [];
        public ResourceUsage? Resources { get; init; }

        /// <summary>The target's own metrics and the warnings of their failed reads; null when none were read.</summary>
        public TargetMetricsReading? TargetMetrics { get; init; }
        public AgentFigures? Agents { get; init; }
        public AgentFaultFigures? AgentFaults { get; init; }
        public RecoveryResult? Recovery { get; init; }

        /// <summary>The operation's own figures (HTTP status codes, per-kind counts), added before thresholds are judged so they can name them.</summary>
        public Operation? Operation { get; init; }
        public IReadOnlyList<TimelineWindow> Windows { get; init; } = [];
    }

    public static ScenarioResult Build(Inputs inputs)
    {
        var run = inputs.Run;
        var scenario = run.Scenario;
        var totals = Collector.Totals.Read(run.Slots);
        var counts = new Counts
        {
            Started = totals.Started,
            Ok = totals.Ok,
            Failed = totals.Failed,
            TimedOut = totals.TimedOut,
            Crashed = totals.Crashed,
            CutOff = inputs.CutOff,
            Dropped = run.Dropped,
        };
        var issuingSeconds = Clock.ToSeconds(inputs.IssuingTicks);
        var totalSeconds = Clock.ToSeconds(inputs.TotalTicks);
        // Each second of the issuing window is judged: did Gauntlet's CPU or scheduling lag, not the target, limit the rate?
        var timeline = GeneratorSaturation.Mark(inputs.Collector.Timeline, issuingSeconds);
        var warnings = new List<Warning>();

        var perSecond = WholeSeconds(timeline, issuingSeconds);
        var throughput = ThroughputStatistics.Compute(perSecond, totalSeconds > 0 ? counts.Completed / totalSeconds : 0);
        if (ResourceAnalysis.Drift(perSecond) is var (drift, degraded))
        {
            throughput = throughput with { Drift = drift, Degraded = degraded };
            if (degraded)
                warnings.Add(new(WarningCode.ThroughputDegraded, $"throughput degraded during the run: the last seconds completed {Format.Percent(-drift)} fewer operations per second than the first"));
        }
        var resources = inputs.Resources;
        if (resources is not null) warnings.AddRange(ResourceWarnings(resources));
        if (inputs.TargetMetrics is { } target) warnings.AddRange(target.Warnings);
        var latency = Histograms.Summarize(run.Latency.Total);
        LatencySummary? service = run.ServiceTime is { } s ? Histograms.Summarize(s.Total) : null;
        LatencySummary? lag = run.SchedulingLag is { } l ? Histograms.Summarize(l.Total) : null;

        ArrivalStats? arrivals = null;
        if (inputs.Executor is OpenExecutor open)
        {
            arrivals = new ArrivalStats
            {
                Scheduled = open.Scheduled,
                // Over the schedule's window, which ends at the duration, not when a thread noticed it: 500/s for
                // 3 s reads 500/s, not the count over a window a few milliseconds longer.
                RequestedRate = open.ScheduledSeconds > 0 ? open.Scheduled / open.ScheduledSeconds : 0,
                AchievedRate = open.ScheduledSeconds > 0 ? run.ArrivalsDispatched / open.ScheduledSeconds : 0,
            };
            if (open.Scheduled > 0 && run.ArrivalsDispatched < open.Scheduled * AchievedRateWarningRatio)
                warnings.Add(new(WarningCode.GeneratorBehind, $"the load generator fell behind: it dispatched {run.ArrivalsDispatched} of {open.Scheduled} scheduled arrivals ({Format.Percent(run.ArrivalsDispatched / (double)open.Scheduled)}); the target saw less load than requested"));
            // Lag matters when it is a sizeable share of what was measured; a burst after a stall is not news.
            if (lag is { Count: > 0 } && GeneratorSaturation.LagMatters(lag.P99Micros, latency.P99Micros))
                warnings.Add(new(WarningCode.SchedulingLag, $"the load generator started operations late: p99 scheduling lag {Format.Micros(lag.P99Micros)} (max {Format.Micros(lag.MaxMicros)}); latency is measured from the intended start and includes it, but the machine running Gauntlet may be saturated"));
            if (counts.Dropped > 0)
            {
                // Drops that all happened in the first second, followed by at least a whole second without any, are the
                // run starting (connections opening, code compiling), not a saturated target: say so rather than blame it.
                var startOnly = issuingSeconds >= 2 && timeline.Count > 1 && timeline[0].Dropped == counts.Dropped;
                warnings.Add(new(WarningCode.ArrivalsDropped, $"{counts.Dropped} arrivals ({Format.Percent(counts.Dropped / (double)Math.Max(1, run.ArrivalsDispatched))}) were dropped because {run.Slots.Length} operations were already in flight; "
                    + (startOnly
                        ? "all of them in the first second, while the run was starting (connections opening, code compiling): the target was not necessarily saturated; judge the steady state from the later seconds"
                        : "the target is saturated or maxInFlight is too low")));
            }
        }
        // Per second, beside the run-level lag and dispatch warnings above: those say how much, this one says when and why.
        if (GeneratorSaturation.Warning(timeline, Environment.ProcessorCount, inProcessTarget: resources is { Target: null }) is { } limited)
            warnings.Add(limited);
        foreach (var stuck in inputs.Collector.StuckWhileOthersRan)
            warnings.Add(new(WarningCode.WorkerStuck, $"worker {stuck.Worker} was stuck in operation {stuck.OperationId} for more than {Format.Duration(scenario.Bounds.HangAfter!.Value)} while other workers went on completing theirs (seen at {Format.Duration(TimeSpan.FromSeconds(stuck.RunningSeconds))}); a deadlock or a lost wake-up in that worker's path? Set a timeout to bound it"));
        if (counts.CutOff > 0)
            warnings.Add(new(WarningCode.CutOff, $"{counts.CutOff} operations were still running when the scenario ended and were cut off; their fate is unknown"));

        StartSpread? spread = inputs.Executor.Barrier is { } barrier ? Spread(run.Slots, barrier) : null;
        var config = Config(scenario, run);
        var built = new ScenarioResult
        {
            Name = scenario.Name,
            Config = config,
            StartedAt = inputs.StartedAt,
            IssuingSeconds = Math.Round(issuingSeconds, 6),
            DurationSeconds = Math.Round(totalSeconds, 6),
            Counts = counts,
            AccountingBalanced = counts.Balanced,
            Errors = run.Errors.Snapshot(),
            Latency = latency,
            ServiceTime = service,
            SchedulingLag = lag,
            Throughput = throughput,
            Arrivals = arrivals,
            StartSpread = spread,
            Timeline = timeline,
            Hang = inputs.Collector.Hang,
            Warnings = warnings,
            History = inputs.History,
            Verifications = inputs.Verifications.Count == 0 ? null : inputs.Verifications,
            Resources = resources,
            TargetMetrics = inputs.TargetMetrics is { Series.Count: > 0 } read ? read.Series : null,
            Agents = inputs.Agents,
            AgentFaults = inputs.AgentFaults,
            Recovery = inputs.Recovery,
            Windows = FaultWindows(inputs.Windows, inputs.AgentFaults),
        };
        // Per-kind thresholds such as p99(valid) read the operation's figures, so they go in before the thresholds are judged.
        var draft = inputs.Operation is null ? built : inputs.Operation.AddFigures(built);
        if (inputs.History is { StallSeconds: > 0 } stalled)
            warnings.Add(new(WarningCode.HistoryStalled, $"workers waited {Format.Duration(TimeSpan.FromSeconds(stalled.StallSeconds))} in all for the history writer; the disk slowed the run down"));

        var source = new ScenarioMetricSource(draft, run.Latency.Total);
        // A segment's figures are its share: a count or a rate judged on them would be wrong. The merge judges them.
        var thresholds = scenario.Segment.IsWhole
            ? Judge(scenario.Thresholds, source, inputs.Collector.Seconds(timeline, issuingSeconds))
            : [];
        if (!scenario.Segment.IsWhole && (scenario.Thresholds.Count > 0 || scenario.Verifiers.Count > 0 || scenario.Recovery is not null))
            warnings.Add(new(WarningCode.JudgedByMerge, $"segment {scenario.Segment}: thresholds, recovery and verifiers are judged once on the merged run (gauntlet merge), not on this segment's share"
                + (scenario.Thresholds.Any(t => t.AbortAfter is not null) ? "; a threshold's abort is not watched in a segment, whose share cannot judge the whole run" : "")));
        var aborted = inputs.Collector.Aborted;

        var deadline = run.StopReason == StopReason.Deadline
            ? new VerdictReason(ReasonCode.DeadlineReached, $"deadline of {Format.Duration(scenario.Bounds.Deadline!.Value)} reached before the scenario finished")
            : null;
        var judged = ScenarioVerdict.Judge(draft with { Thresholds = thresholds, Aborted = aborted },
            new ScenarioVerdict.Ending(run.StopReason == StopReason.Cancelled, deadline, scenario.Thresholds.Count)
            {
                JudgedByMerge = !scenario.Segment.IsWhole,
                Aborted = aborted is null ? null : AbortWatch.Reason(aborted, scenario.Thresholds.FirstOrDefault(t => t.Expression == aborted.Threshold)?.AbortAfter),
            });
        return judged with { Fingerprint = Fingerprint(scenario) };
    }

    /// <summary>
    /// Each threshold judged: one with a window on every window of the per-second data (<see cref="ThresholdWindows"/>),
    /// any other on the whole run's figures. Shared with the merge of segments.
    /// </summary>
    internal static List<ThresholdResult> Judge(IEnumerable<Threshold> thresholds, IMetricSource whole, SecondSeries seconds) =>
        [.. thresholds.Select(threshold => threshold.Window is not null && threshold.Error is null
            ? ThresholdWindows.Judge(threshold, seconds)
            : ThresholdEvaluator.Evaluate(threshold, whole))];

    /// <summary>
    /// Every injected fault as a timeline mark, in time order: the proxy's windows, and the agents' faults (a pause spans
    /// its stop and resume, a kill or interrupt is an instant). Null when there were none.
    /// </summary>
    private static IReadOnlyList<TimelineWindow>? FaultWindows(IReadOnlyList<TimelineWindow> proxy, AgentFaultFigures? agents)
    {
        var marks = (agents?.Events ?? []).Select(e => new TimelineWindow(e.AtSecond, e.UntilSecond, $"{e.Action} agent {e.Agent}" + (e.Retired ? " (retired)" : "")));
        List<TimelineWindow> all = [.. proxy.Concat(marks).OrderBy(w => w.FromSecond)];
        return all.Count == 0 ? null : all;
    }

    private static IEnumerable<Warning> ResourceWarnings(ResourceUsage resources)
    {
        var figures = resources.TargetFigures ?? (resources.Target is null ? resources.SelfFigures : null);
        var who = resources.Target ?? "Gauntlet's own process (the in-process target)";
        if (figures is null) yield break;
        if (figures.LeakSuspected && figures.RssSlopeBytesPerSecond is { } slope)
            yield return new(WarningCode.MemoryLeakSuspected, $"possible memory leak in {who}: resident memory grew steadily by {Format.BytesPerMinute(slope)} after the warm-up");
        if (figures.FdLeakSuspected)
            yield return new(WarningCode.FdLeakSuspected, $"possible file descriptor leak in {who}: {figures.FdGrowth} more descriptors were open at the end than after the warm-up");
    }

    /// <summary>Per-second completions over the whole seconds of the issuing window (the last, partial one is left out).</summary>
    internal static List<double> WholeSeconds(IReadOnlyList<TimelinePoint> timeline, double issuingSeconds)
    {
        var values = new List<double>();
        var previous = 0.0;
        foreach (var point in timeline)
        {
            var length = point.Second - previous;
            if (length >= 0.9 && point.Second <= issuingSeconds + 0.05) values.Add(point.Completed / length);
            previous = point.Second;
        }
        return values;
    }

    private static StartSpread? Spread(WorkerSlot[] slots, BarrierRelease barrier)
    {
        var delays = new List<double>(slots.Length);
        foreach (var slot in slots)
            if (slot.ReleasedAt != 0) delays.Add(Clock.ToSeconds(slot.ReleasedAt - barrier.ReleaseTicks) * 1_000_000);
        if (delays.Count == 0) return null;
        delays.Sort();
        return new StartSpread(delays.Count, Math.Round(delays[^1] - delays[0], 1), Math.Round(delays[delays.Count / 2], 1), Math.Round(delays[^1], 1));
    }

    /// <summary>
    /// A hash of what makes the scenario this scenario, the same in every segment of a split run: its name, operation,
    /// load, bounds, thresholds, verifiers, faults and recovery as described, and the number of segments (not which
    /// one). Hex SHA-256, first 16 bytes.
    /// </summary>
    internal static string Fingerprint(Scenario scenario)
    {
        var text = string.Join('\n', [
            scenario.Name, scenario.Operation.Name, scenario.Operation.DescribeAbilities(), scenario.Load.Describe(),
            scenario.Bounds.Describe(), .. scenario.Thresholds.Select(t => t.Expression),
            .. scenario.Verifiers.Select(v => $"{v.Name}:{v.Kind}"), scenario.Faults?.Describe() ?? "",
            scenario.Recovery?.Description ?? "", $"segments {scenario.Segment.Count}"]);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    private static ScenarioConfig Config(Scenario scenario, ScenarioRun run) => new()
    {
        Model = scenario.Load switch
        {
            ClosedProfile => "closed",
            OpenProfile => "open",
            IterationsProfile => "iterations",
            _ => scenario.Load.GetType().Name,
        },
        Load = scenario.Load.Describe(),
        Bounds = scenario.Bounds.Describe(),
        Faults = scenario.Faults?.Describe() is { Length: > 0 } faults ? faults : null,
        MaxConcurrency = run.Slots.Length,
        DurationSeconds = (scenario.Bounds.Duration ?? scenario.Load.NaturalDuration)?.TotalSeconds,
        TimeoutMs = scenario.Bounds.OperationTimeout?.TotalMilliseconds,
        Thresholds = [.. scenario.Thresholds.Select(t => t.Expression)],
        Validity = scenario.Validity.ToConfig(),
    };
}
