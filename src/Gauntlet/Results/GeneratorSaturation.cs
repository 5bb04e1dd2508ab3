namespace Gauntlet.Results;

/// <summary>
/// Whether Gauntlet itself, not the target, limited the rate in a second of the timeline, and the warning that names
/// those seconds. Judged per second from the point's own figures (<see cref="TimelinePoint.GauntletCpu"/>,
/// <see cref="TimelinePoint.LagP99Micros"/>), so the engine, a merge and every report read the same marks
/// (<see cref="TimelinePoint.LimitedBy"/>), and a verdict can later be built on them without parsing a sentence.
/// </summary>
internal static class GeneratorSaturation
{
    /// <summary>
    /// A second in which Gauntlet's own process used at least this share of the cores available to it
    /// (<see cref="Environment.ProcessorCount"/>: affinity and container limits included) is limited by its CPU. At 90%
    /// of every core the dispatcher, the workers and the collector queue for a CPU, so the times Gauntlet keeps and the
    /// rate it issues are no longer its own; the other 10% is left for the kernel and the short bursts of other
    /// processes that a one-second average hides.
    /// </summary>
    public const double CpuShare = 0.9;

    /// <summary>
    /// Open model: a p99 scheduling lag above this (microseconds) is late enough to matter, in a second and over the
    /// whole run (the run-level lag warning, <see cref="LagMatters"/>): a millisecond is beyond a timer's and a thread wake-up's
    /// jitter on an idle machine, so a lag above it says the generator could not keep its schedule.
    /// </summary>
    public const double LagMicros = 1000;

    /// <summary>
    /// The lag must also be above this share of the same operations' p99 latency: a lag
    /// that is small next to what was measured, such as the burst of arrivals due while the target stalled, is not news.
    /// </summary>
    public const double LagShare = 0.1;

    /// <summary>
    /// Shortest real interval (seconds) over which Gauntlet's CPU is read. A shorter one (the last sliver of a scenario)
    /// gives a figure dominated by whichever thread happened to run in it.
    /// </summary>
    public const double MinCpuWindowSeconds = 0.2;

    /// <summary>Up to this many limited seconds the warning gives each one's figures; past it, the worst of each reason.</summary>
    public const int MaxSecondsListed = 6;

    /// <summary>True when a p99 scheduling lag is late enough to matter next to the same operations' p99 latency (<see cref="LagMicros"/>, <see cref="LagShare"/>).</summary>
    public static bool LagMatters(double lagP99Micros, double latencyP99Micros) => lagP99Micros > LagMicros && lagP99Micros > LagShare * latencyP99Micros;

    /// <summary>Why Gauntlet limited the rate in <paramref name="point"/>, or null when it did not.</summary>
    public static GeneratorLimits? Judge(TimelinePoint point)
    {
        var cpu = point.GauntletCpu is { } share && share >= CpuShare;
        var lag = point.LagP99Micros is { } micros && LagMatters(micros, point.P99Micros);
        return cpu || lag ? new GeneratorLimits { Cpu = cpu, SchedulingLag = lag } : null;
    }

    /// <summary>True when <paramref name="point"/> is marked generator-limited.</summary>
    public static bool IsLimited(TimelinePoint point) => point.LimitedBy is { Cpu: true } or { SchedulingLag: true };

    /// <summary>
    /// The timeline with each second of the issuing window judged (<see cref="TimelinePoint.LimitedBy"/> set or cleared).
    /// Seconds after issuing stopped (the drain) are left unmarked: no rate was being issued in them to limit.
    /// </summary>
    public static List<TimelinePoint> Mark(IReadOnlyList<TimelinePoint> timeline, double issuingSeconds)
    {
        var marked = new List<TimelinePoint>(timeline.Count);
        var previous = 0.0;
        foreach (var point in timeline)
        {
            var issuing = previous < issuingSeconds;
            marked.Add(point with { LimitedBy = issuing ? Judge(point) : null });
            previous = point.Second;
        }
        return marked;
    }

    /// <summary>
    /// The marked seconds as the timeline table writes them, consecutive ones as a range: <c>1-3 and 7</c>. Each is the
    /// end of its interval in seconds since the scenario start (<see cref="TimelinePoint.Second"/>).
    /// </summary>
    public static string Seconds(IReadOnlyList<TimelinePoint> timeline)
    {
        var ranges = new List<string>();
        for (var i = 0; i < timeline.Count; i++)
        {
            if (!IsLimited(timeline[i])) continue;
            var last = i;
            while (last + 1 < timeline.Count && IsLimited(timeline[last + 1])) last++;
            ranges.Add(last == i ? Format.Number(timeline[i].Second) : $"{Format.Number(timeline[i].Second)}-{Format.Number(timeline[last].Second)}");
            i = last;
        }
        return ranges.Count <= 1 ? string.Join("", ranges) : string.Join(", ", ranges.Take(ranges.Count - 1)) + " and " + ranges[^1];
    }

    /// <summary>
    /// The run-level warning: which seconds were generator-limited and the figure of each (or, past
    /// <see cref="MaxSecondsListed"/>, the worst of each reason); null when none was.
    /// </summary>
    /// <param name="timeline">The judged timeline.</param>
    /// <param name="cores">The cores available to Gauntlet, to write its CPU as <c>1.96 of 2 cores</c>; null (a merge of segments that may have run on different machines) writes it as a share.</param>
    /// <param name="inProcessTarget">True when the target may run inside Gauntlet's process (no separate target was monitored), whose work then counts in Gauntlet's CPU.</param>
    public static Warning? Warning(IReadOnlyList<TimelinePoint> timeline, int? cores, bool inProcessTarget)
    {
        var limited = new List<TimelinePoint>();
        foreach (var point in timeline)
            if (IsLimited(point)) limited.Add(point);
        if (limited.Count == 0) return null;

        string Cpu(TimelinePoint p) => cores is { } n
            ? $"Gauntlet used {Format.Number(p.GauntletCpu!.Value * n)} of {n} {(n == 1 ? "core" : "cores")}"
            : $"Gauntlet used {Format.Percent(p.GauntletCpu!.Value)} of its cores";
        static string Lag(TimelinePoint p) => $"p99 scheduling lag {Format.Micros(p.LagP99Micros!.Value)}";

        string figures;
        if (limited.Count <= MaxSecondsListed)
        {
            figures = string.Join(", ", limited.Select(p =>
            {
                var what = new List<string>(2);
                if (p.LimitedBy!.Cpu) what.Add(Cpu(p));
                if (p.LimitedBy.SchedulingLag) what.Add(Lag(p));
                return $"{string.Join(" and ", what)} (second {Format.Number(p.Second)})";
            }));
        }
        else
        {
            var worst = new List<string>(2);
            if (limited.Where(p => p.LimitedBy!.Cpu).MaxBy(p => p.GauntletCpu) is { } cpu) worst.Add($"{Cpu(cpu)} (second {Format.Number(cpu.Second)})");
            if (limited.Where(p => p.LimitedBy!.SchedulingLag).MaxBy(p => p.LagP99Micros) is { } lag) worst.Add($"{Lag(lag)} (second {Format.Number(lag.Second)})");
            figures = $"at worst {string.Join(", ", worst)}; every second's figures are in the timeline";
        }
        var seconds = limited.Count == 1 ? $"second {Seconds(timeline)}" : $"seconds {Seconds(timeline)}";
        var inProcess = inProcessTarget && limited.Any(p => p.LimitedBy!.Cpu)
            ? "; a target that runs inside Gauntlet counts in its CPU"
            : "";
        // Like dropped arrivals, trouble only in the first second, followed by seconds without any, is the run starting
        // (code compiling, threads and connections starting), not a generator that cannot keep up: say so.
        var startOnly = limited.Count == 1 && timeline.Count > 1 && ReferenceEquals(limited[0], timeline[0]);
        return new Warning(WarningCode.GeneratorLimited, startOnly
            ? $"the load generator limited the rate in the first second only, while the run was starting (code compiling, threads starting): {figures}{inProcess}; the later seconds were not limited, so judge the target from them"
            : $"the load generator, not the target, limited the rate in {limited.Count} of {timeline.Count} seconds ({seconds}): {figures}{inProcess}; "
              + "in those seconds the target got the load Gauntlet could issue, not the load asked for: give Gauntlet more cores or a lower rate, or split the run into segments (--segment)");
    }
}
