using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Engine;

/// <summary>
/// Whether the load generator, not the target, limited a scenario beyond its validity tolerances
/// (<see cref="ValidityOptions"/>, echoed in <see cref="ScenarioConfig.Validity"/>): arrivals dropped, arrivals started
/// late, Gauntlet's own CPU saturated. Each is a <see cref="ReasonCode.GeneratorLimited"/> reason that names its
/// figures and seconds; <see cref="ScenarioVerdict"/> makes a scenario with no other reason <see cref="Verdict.Invalid"/>,
/// so no threshold passes on figures the generator distorted. Judged from the result's own figures, so a merged run is
/// judged as one machine's would be.
/// </summary>
/// <remarks>
/// The per-second marks (<see cref="TimelinePoint.LimitedBy"/>, the <see cref="WarningCode.GeneratorLimited"/> warning)
/// are deliberately more sensitive than these tolerances: a warning asks a reader to look, a verdict throws the run's
/// judgement away, so it waits for a clearer sign (see <see cref="ValidityOptions"/> for why a closed model's CPU is
/// not judged by default).
/// </remarks>
internal static class GeneratorValidity
{
    /// <summary>What the tolerances found: the reasons that make the run invalid, or, when the scenario accepts them, the same as warnings.</summary>
    public sealed record Finding(IReadOnlyList<VerdictReason> Reasons, IReadOnlyList<Warning> Warnings)
    {
        public static readonly Finding None = new([], []);
    }

    /// <summary>The generator's limits on <paramref name="draft"/>, judged by the tolerances it echoes.</summary>
    public static Finding Judge(ScenarioResult draft)
    {
        var options = ValidityOptions.From(draft.Config.Validity);
        var reasons = Reasons(draft, options);
        if (reasons.Count == 0) return Finding.None;
        return options.Accept
            ? new([], [.. reasons.Select(r => new Warning(WarningCode.InvalidAccepted, $"accepted (validity: {{ accept: true }}), the run would otherwise be INVALID: {r.Message}"))])
            : new(reasons, []);
    }

    /// <summary>One reason per tolerance exceeded: dropped arrivals, late starts, Gauntlet's CPU.</summary>
    public static List<VerdictReason> Reasons(ScenarioResult draft, ValidityOptions options)
    {
        var reasons = new List<VerdictReason>(3);
        var open = draft.Config.Model == "open";
        var judged = JudgedSeconds(draft);
        if (judged.Count == 0) return reasons;
        if (open && Dropped(draft, options, judged) is { } dropped) reasons.Add(dropped);
        if (open && Late(draft, options, judged) is { } late) reasons.Add(late);
        if (Cpu(draft, options, open, judged) is { } cpu) reasons.Add(cpu);
        return reasons;
    }

    /// <summary>
    /// The seconds judged: those of the issuing window (not the drain after it), without the first one unless a warm-up
    /// ran before it. The first second of a cold run is the run starting (code compiling, threads and connections
    /// starting): its late and dropped arrivals say how Gauntlet starts, not whether it kept up, and every short quick
    /// run would otherwise be invalid. A run that issued for one second only, without a warm-up, is too short to judge.
    /// </summary>
    internal static List<TimelinePoint> JudgedSeconds(ScenarioResult draft)
    {
        var timeline = draft.Timeline;
        var issuing = 0;
        // A point whose interval began in the last sliver of issuing (or after it) holds too little of the window to judge.
        while (issuing < timeline.Count && (issuing == 0 ? 0 : timeline[issuing - 1].Second) < draft.IssuingSeconds - GeneratorSaturation.MinCpuWindowSeconds) issuing++;
        return [.. timeline.Take(issuing).Skip(draft.Warmup is null ? 1 : 0)];
    }

    /// <summary>
    /// Open model: more arrivals dropped in the judged seconds than the tolerance allows. A dropped arrival is load the
    /// target never got and a latency never measured, so the figures look better than the target was, whoever was slow
    /// (the target filling the in-flight slots, or Gauntlet not handing them back in time).
    /// </summary>
    private static VerdictReason? Dropped(ScenarioResult draft, ValidityOptions options, List<TimelinePoint> judged)
    {
        var dropped = judged.Sum(p => p.Dropped);
        // Each arrival dispatched in a second either started an operation or was dropped.
        var arrivals = judged.Sum(p => p.Started + p.Dropped);
        if (dropped <= 0 || arrivals <= 0 || dropped <= options.Dropped * arrivals) return null;
        var inAll = draft.Arrivals is { Scheduled: > 0 } a ? $" ({draft.Counts.Dropped} of {a.Scheduled} scheduled in all)" : "";
        return new(ReasonCode.GeneratorLimited,
            $"the load asked for was not delivered: {dropped} of {arrivals} arrivals ({Format.Percent(dropped / (double)arrivals)}) were dropped{Seconds(judged, p => p.Dropped > 0)}{inAll}, "
            + $"above the {Format.Percent(options.Dropped)} tolerance (validity.dropped), because all {draft.Config.MaxConcurrency} in-flight slots were busy; "
            + "the dropped arrivals' latency was never measured, so no threshold can pass on these figures: raise maxInFlight or lower the rate (a slow target), "
            + "or give Gauntlet more cores or split the run with --segment (a busy generator)");
    }

    /// <summary>
    /// Open model: the whole run's p99 scheduling lag above the tolerance and above a tenth of the p99 latency (a lag small
    /// next to what was measured, such as arrivals bunched behind a stalled target, is not the generator's doing), with
    /// judged seconds late by the same rule: lag only while the run was starting is start-up.
    /// </summary>
    private static VerdictReason? Late(ScenarioResult draft, ValidityOptions options, List<TimelinePoint> judged)
    {
        if (draft.SchedulingLag is not { Count: > 0 } lag) return null;
        var limit = options.LateP99.TotalMicroseconds;
        if (!IsLate(lag.P99Micros, draft.Latency.P99Micros, limit)) return null;
        bool LateSecond(TimelinePoint p) => p.LagP99Micros is { } micros && IsLate(micros, p.P99Micros, limit);
        if (!judged.Any(LateSecond)) return null;
        return new(ReasonCode.GeneratorLimited,
            $"the load generator started operations late: p99 scheduling lag {Format.Micros(lag.P99Micros)} (max {Format.Micros(lag.MaxMicros)}), "
            + $"above the {Format.Micros(limit)} tolerance (validity.lateP99), late{Seconds(judged, LateSecond)}; the target got the arrivals bunched, not at the rate asked for, "
            + "and the latency measured from their intended start holds Gauntlet's own delay: give Gauntlet more cores, lower the rate or split the run with --segment");
    }

    private static bool IsLate(double lagP99Micros, double latencyP99Micros, double limitMicros) =>
        lagP99Micros > limitMicros && lagP99Micros > GeneratorSaturation.LagShare * latencyP99Micros;

    /// <summary>
    /// Gauntlet's own CPU at or above the tolerance in a judged second. Judged by default in an open model only.
    /// </summary>
    private static VerdictReason? Cpu(ScenarioResult draft, ValidityOptions options, bool open, List<TimelinePoint> judged)
    {
        if ((options.Cpu ?? (open ? ValidityOptions.DefaultCpu : null)) is not { } share) return null;
        var busy = judged.Where(p => p.GauntletCpu is { } cpu && cpu >= share).ToList();
        if (busy.Count == 0) return null;
        var worst = busy.MaxBy(p => p.GauntletCpu!.Value)!;
        var inProcess = draft.Resources is { Target: null } ? " (a target that runs inside Gauntlet counts in its CPU)" : "";
        return new(ReasonCode.GeneratorLimited,
            $"Gauntlet's own CPU was at or above {Format.Percent(share)} of the cores available to it (validity.cpu){Seconds(judged, busy.Contains)}, "
            + $"at worst {Format.Percent(worst.GauntletCpu!.Value)} in second {Format.Number(worst.Second)}{inProcess}; its threads queued for a CPU, "
            + "so the rate it issued and the times it kept were not its own: give Gauntlet more cores, lower the rate or split the run with --segment");
    }

    /// <summary><c> in seconds 3-5 and 9</c>, <c> in second 4</c>: the points that match, consecutive ones as a range; empty when none does.</summary>
    private static string Seconds(IReadOnlyList<TimelinePoint> timeline, Func<TimelinePoint, bool> match)
    {
        var ranges = new List<string>();
        var count = 0;
        for (var i = 0; i < timeline.Count; i++)
        {
            if (!match(timeline[i])) continue;
            var last = i;
            while (last + 1 < timeline.Count && match(timeline[last + 1])) last++;
            ranges.Add(last == i ? Format.Number(timeline[i].Second) : $"{Format.Number(timeline[i].Second)}-{Format.Number(timeline[last].Second)}");
            count += last - i + 1;
            i = last;
        }
        if (ranges.Count == 0) return "";
        var list = ranges.Count == 1 ? ranges[0] : string.Join(", ", ranges.Take(ranges.Count - 1)) + " and " + ranges[^1];
        return count == 1 ? $" in second {list}" : $" in seconds {list}";
    }
}
