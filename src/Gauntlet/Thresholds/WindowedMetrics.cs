namespace Gauntlet.Thresholds;

/// <summary>
/// Which metrics the scenario's per-second data holds, so that a threshold may be judged over a sliding window of it
/// (<c>p99 &lt; 50ms over 10s</c>) or watched while the scenario runs (<see cref="Threshold.AbortAfter"/>): latency
/// from each second's histogram, completions, errors, starts and drops from each second's counts.
/// </summary>
internal static class WindowedMetrics
{
    /// <summary>The metrics (besides <c>pNN</c>) a window can judge, as messages list them.</summary>
    public const string List = "pNN (such as p99), min, max, mean, stddev, error_rate, success_rate, throughput, count(started), count(ok) and count(dropped)";

    private static readonly HashSet<string> Windowed = new(StringComparer.Ordinal)
    {
        "min", "max", "mean", "stddev", "error_rate", "success_rate", "throughput", "count(started)", "count(ok)", "count(dropped)",
    };

    /// <summary>Counts the live watch reads from the workers' running totals: the per-second data does not split errors by outcome.</summary>
    private static readonly HashSet<string> LiveTotals = new(StringComparer.Ordinal) { "count(failed)", "count(timed_out)", "count(crashed)" };

    /// <summary>True for a metric a window of per-second data judges.</summary>
    public static bool IsWindowed(string key) => Windowed.Contains(key) || IsPercentile(key);

    /// <summary>True for a metric the live watch can read from the data so far without a window.</summary>
    public static bool IsLive(string key) => IsWindowed(key) || LiveTotals.Contains(key);

    /// <summary>Null when the metric <paramref name="key"/> can be judged over a window; else why not, and what to write instead.</summary>
    public static string? WhyNot(string key, string? operationKind, string? targetSeries)
    {
        if (targetSeries is not null)
            return "a series of the target's metrics is read at its own interval, not per second of the scenario; the metrics a window judges are " + List;
        if (operationKind is not null)
            return "the per-second data is the whole scenario's, not each operation kind's; drop 'over', or judge the scenario's own metric (such as p99) over the window";
        if (IsWindowed(key)) return null;
        return key switch
        {
            "count(failed)" or "count(timed_out)" or "count(crashed)" =>
                "the per-second data counts errors together, not by outcome; write 'error_rate < ... over ...', or drop 'over'",
            "count(cut_off)" => "operations are cut off only when the scenario ends, never inside a window",
            "cv(throughput)" or "drift(throughput)" =>
                "it is already a figure of the per-second throughput over the whole run; write 'throughput >= ... over ...' to judge each window's",
            _ => "it is a figure of the whole run, not of each second; the metrics a window judges are " + List,
        };
    }

    /// <summary>Null when <paramref name="threshold"/> can be watched while the scenario runs (an abort); else why not.</summary>
    public static string? WhyNotLive(Threshold threshold)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        if (threshold.Error is not null || IsLive(threshold.Metric) && threshold.OperationKind is null && threshold.TargetSeries is null) return null;
        return $"'{threshold.Metric}' cannot abort a run: it is known only when the scenario has ended; the metrics an abort can watch are {List}, count(failed), count(timed_out) and count(crashed)";
    }

    private static bool IsPercentile(string key) =>
        key.Length > 1 && key[0] == 'p' && key.IndexOf('(', StringComparison.Ordinal) < 0 && char.IsAsciiDigit(key[1]);
}
