using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Monitoring;

/// <summary>
/// Derives figures from resource samples: maxima, mean CPU, the RSS growth slope by least squares after the warm-up,
/// descriptor growth, and the leak flags. Also the throughput drift of a scenario's per-second completions.
/// </summary>
internal static class ResourceAnalysis
{
    /// <summary>Fewest samples after the warm-up for a slope.</summary>
    public const int MinSlopeSamples = 3;

    /// <summary>A leak is flagged only when the slope is at least this many standard errors above flat.</summary>
    public const double LeakTStatistic = 4;

    /// <summary>A memory leak is flagged only when RSS grew by at least this much after the warm-up (bytes).</summary>
    public const long LeakMinGrowthBytes = 4 * 1024 * 1024;

    /// <summary>... and by at least this share of the RSS at the end of the warm-up: a runtime's heap settles in steps.</summary>
    public const double LeakMinGrowthShare = 0.10;

    /// <summary>... and over at least this many seconds after the warm-up.</summary>
    public const double LeakMinSpanSeconds = 5;

    /// <summary>A descriptor leak is flagged only when at least this many more were open at the end than after the warm-up.</summary>
    public const int FdLeakMinGrowth = 10;

    /// <summary>Fewest whole seconds for a throughput drift: two windows of at least <see cref="MinDriftWindow"/> seconds.</summary>
    public const int MinDriftWindow = 3;

    /// <summary>Throughput is flagged as degraded when it drifted below this (a fraction; -0.1 = 10% slower at the end).</summary>
    public const double DegradedDrift = -0.1;

    /// <summary>... and the two windows differ with a Mann-Whitney p below this.</summary>
    public const double DegradedP = 0.05;

    /// <summary>Builds a <see cref="ResourceUsage"/> from the samples; <paramref name="neverSeen"/> is the note when a target was watched but never seen.</summary>
    public static ResourceUsage Build(string? target, double intervalSeconds, double warmupSeconds,
        IReadOnlyList<ResourceSample> targetSamples, IReadOnlyList<ResourceSample> selfSamples, IReadOnlyList<string> notes,
        string neverSeen = "the target was never found running, so its figures are missing; check the pid or process name")
    {
        var allNotes = notes.ToList();
        var targetFigures = target is null ? null : Figures(targetSamples, warmupSeconds);
        if (target is not null && targetFigures is null && !allNotes.Any(n => n.Contains("/proc", StringComparison.Ordinal)))
            allNotes.Add(neverSeen);
        return new ResourceUsage
        {
            Target = target,
            IntervalSeconds = intervalSeconds,
            WarmupSeconds = Math.Round(warmupSeconds, 3),
            Samples = targetSamples,
            Self = selfSamples,
            TargetFigures = targetFigures,
            SelfFigures = Figures(selfSamples, warmupSeconds),
            Notes = allNotes,
        };
    }

    /// <summary>Figures over the samples in which the tree was running; null when there is none.</summary>
    public static ResourceFigures? Figures(IReadOnlyList<ResourceSample> samples, double warmupSeconds)
    {
        var running = samples.Where(s => s.Processes > 0).ToList();
        if (running.Count == 0) return null;
        // The first sample has no CPU baseline.
        var cpu = running.Skip(1).Select(s => s.Cpu).ToList();
        var after = running.Where(s => s.Second >= warmupSeconds).ToList();
        Statistics.Line? rssLine = null, fdLine = null;
        if (after.Count >= MinSlopeSamples)
        {
            var xs = after.Select(s => s.Second).ToList();
            rssLine = Statistics.LeastSquares(xs, after.Select(s => (double)s.RssBytes).ToList());
            fdLine = Statistics.LeastSquares(xs, after.Select(s => (double)s.Fds).ToList());
        }
        var fdGrowth = after.Count >= 2 ? after[^1].Fds - after[0].Fds : 0;
        var leak = false;
        if (rssLine is { } line && after.Count >= MinSlopeSamples)
        {
            var span = after[^1].Second - after[0].Second;
            var growth = line.Slope * span;
            leak = span >= LeakMinSpanSeconds && line.TStatistic >= LeakTStatistic && growth >= Math.Max(LeakMinGrowthBytes, LeakMinGrowthShare * after[0].RssBytes);
        }
        return new ResourceFigures
        {
            SampleCount = running.Count,
            MaxRssBytes = running.Max(s => s.RssBytes),
            LastRssBytes = running[^1].RssBytes,
            RssSlopeBytesPerSecond = rssLine is { } l ? Math.Round(l.Slope, 1) : null,
            MeanCpu = cpu.Count > 0 ? Math.Round(cpu.Average(), 4) : 0,
            MaxCpu = cpu.Count > 0 ? cpu.Max() : 0,
            MaxThreads = running.Max(s => s.Threads),
            MaxFds = running.Max(s => s.Fds),
            FdGrowth = fdGrowth,
            LeakSuspected = leak,
            FdLeakSuspected = fdLine is { } f && fdGrowth >= FdLeakMinGrowth && f.TStatistic >= LeakTStatistic,
        };
    }

    /// <summary>
    /// Throughput drift over whole seconds: the mean of the last window over the mean of the first, minus one, where a
    /// window is a fifth of the seconds (at least <see cref="MinDriftWindow"/>); and whether that is a degradation.
    /// Null when there are fewer than two windows' worth of seconds or the first window completed nothing.
    /// </summary>
    public static (double Drift, bool Degraded)? Drift(IReadOnlyList<double> perSecond)
    {
        ArgumentNullException.ThrowIfNull(perSecond);
        var window = Math.Max(MinDriftWindow, perSecond.Count / 5);
        if (perSecond.Count < 2 * window) return null;
        var first = perSecond.Take(window).ToList();
        var last = perSecond.Skip(perSecond.Count - window).ToList();
        var firstMean = Statistics.Mean(first);
        if (firstMean <= 0) return null;
        var drift = Statistics.Mean(last) / firstMean - 1;
        var degraded = drift < DegradedDrift && Statistics.MannWhitneyP(first, last) < DegradedP;
        return (Math.Round(drift, 6), degraded);
    }
}
