using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>Settings of <see cref="RunComparison.Compare"/>.</summary>
public sealed record CompareOptions
{
    /// <summary>Default <see cref="Tolerance"/>: 10%.</summary>
    public const double DefaultTolerance = 0.10;

    /// <summary>Default <see cref="Alpha"/>: 1%.</summary>
    public const double DefaultAlpha = 0.01;

    /// <summary>How much worse (as a fraction: 0.1 = 10%) a metric may get before it counts as a regression.</summary>
    public double Tolerance { get; init; } = DefaultTolerance;

    /// <summary>
    /// The largest probability that the difference is noise for it to count: the per-second values of the two runs
    /// must differ with a Mann-Whitney p below this.
    /// </summary>
    public double Alpha { get; init; } = DefaultAlpha;
}

/// <summary>How one metric moved, taking noise into account.</summary>
public enum ChangeVerdict
{
    /// <summary>Within the tolerance, or not distinguishable from noise.</summary>
    Unchanged,
    /// <summary>Better beyond the tolerance, and not noise.</summary>
    Improved,
    /// <summary>Worse beyond the tolerance, and not noise.</summary>
    Regressed,
}

/// <summary>One metric of one scenario in both runs.</summary>
/// <param name="Metric">The metric's name as thresholds spell it: <c>throughput</c>, <c>p50</c>, <c>p99</c>, <c>error_rate</c>, <c>max(rss)</c>.</param>
/// <param name="Baseline">The baseline's value (base unit: per second, microseconds, fraction, bytes).</param>
/// <param name="Current">The new run's value.</param>
/// <param name="Ratio">Current over baseline; null when the baseline is 0.</param>
/// <param name="P">Probability that a difference this large is noise (Mann-Whitney over the per-second values, or a two-proportion test for error rates); null without per-second data.</param>
/// <param name="Verdict">The judgement.</param>
/// <param name="Text">The values as reports show them: <c>1200/s</c>, <c>3.1ms</c>.</param>
/// <param name="Note">Why the verdict is what it is, in a few words.</param>
public sealed record MetricChange(string Metric, double Baseline, double Current, double? Ratio, double? P, ChangeVerdict Verdict, (string Baseline, string Current) Text, string Note);

/// <summary>One scenario in both runs.</summary>
public sealed record ScenarioComparison(string Name, Verdict BaselineVerdict, Verdict CurrentVerdict, IReadOnlyList<MetricChange> Metrics)
{
    /// <summary>True when a metric regressed.</summary>
    public bool Regressed => Metrics.Any(m => m.Verdict == ChangeVerdict.Regressed);
}

/// <summary>Two runs compared scenario by scenario: what regressed, what improved, what only one run has.</summary>
public sealed record ComparisonResult(CompareOptions Options, IReadOnlyList<ScenarioComparison> Scenarios, IReadOnlyList<string> OnlyInBaseline, IReadOnlyList<string> OnlyInCurrent)
{
    /// <summary>True when a metric regressed or a baseline scenario is missing from the new run.</summary>
    public bool Regressed => OnlyInBaseline.Count > 0 || Scenarios.Any(s => s.Regressed);
}

/// <summary>
/// Compares a new run with a baseline, per scenario (matched by name) and metric. A metric counts as regressed only
/// when it is worse by more than the tolerance <em>and</em> the per-second values of the two runs differ beyond noise
/// (Mann-Whitney U test), so a rerun that differs by a few per cent in one direction is not a regression, and neither
/// is a ratio driven by one noisy second. Reads two <see cref="RunResult"/>s only.
/// </summary>
public static class RunComparison
{
    /// <summary>Per-second points shorter than this (the partial last second) are left out of the distributions.</summary>
    private const double MinPointSeconds = 0.9;

    /// <summary>An error rate must rise by at least this much (a fraction: 0.001 = 0.1 point) to regress, whatever the ratio.</summary>
    public const double MinErrorRateRise = 0.001;

    /// <summary>Compares <paramref name="current"/> with <paramref name="baseline"/>.</summary>
    public static ComparisonResult Compare(RunResult baseline, RunResult current, CompareOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        options ??= new CompareOptions();
        var scenarios = new List<ScenarioComparison>();
        foreach (var now in current.Scenarios)
        {
            var before = baseline.Scenarios.FirstOrDefault(s => s.Name == now.Name);
            if (before is null) continue;
            scenarios.Add(new ScenarioComparison(now.Name, before.Verdict, now.Verdict, Metrics(before, now, options)));
        }
        var onlyBaseline = baseline.Scenarios.Where(b => current.Scenarios.All(c => c.Name != b.Name)).Select(b => b.Name).ToList();
        var onlyCurrent = current.Scenarios.Where(c => baseline.Scenarios.All(b => b.Name != c.Name)).Select(c => c.Name).ToList();
        return new ComparisonResult(options, scenarios, onlyBaseline, onlyCurrent);
    }

    private static List<MetricChange> Metrics(ScenarioResult before, ScenarioResult now, CompareOptions options)
    {
        var metrics = new List<MetricChange>
        {
            Distribution("throughput", higherIsBetter: true, PerSecondRate(before), PerSecondRate(now),
                before.Throughput.Overall, now.Throughput.Overall, Format.Rate, options),
            Distribution("p50", higherIsBetter: false, PerSecond(before, p => p.P50Micros), PerSecond(now, p => p.P50Micros),
                before.Latency.P50Micros, now.Latency.P50Micros, Format.Micros, options),
            Distribution("p99", higherIsBetter: false, PerSecond(before, p => p.P99Micros), PerSecond(now, p => p.P99Micros),
                before.Latency.P99Micros, now.Latency.P99Micros, Format.Micros, options),
            ErrorRate(before, now, options),
        };
        if (Rss(before) is { } beforeRss && Rss(now) is { } nowRss)
            metrics.Add(Distribution("max(rss)", higherIsBetter: false, beforeRss.Samples, nowRss.Samples, beforeRss.Max, nowRss.Max, Format.Bytes, options));
        return metrics;
    }

    private static MetricChange Distribution(string metric, bool higherIsBetter, List<double> before, List<double> now,
        double baselineValue, double currentValue, Func<double, string> format, CompareOptions options)
    {
        var text = (format(baselineValue), format(currentValue));
        double? ratio = baselineValue != 0 ? currentValue / baselineValue : null;
        // Worse as a positive fraction: throughput falling 20% and latency rising 20% are both +0.2.
        double? worse = ratio is { } r ? (higherIsBetter ? 1 - r : r - 1) : null;
        double? p = before.Count >= 2 && now.Count >= 2 ? Statistics.MannWhitneyP(before, now) : null;
        if (worse is not { } w)
            return new(metric, baselineValue, currentValue, ratio, p, ChangeVerdict.Unchanged, text, "baseline is 0: no ratio");
        if (Math.Abs(w) <= options.Tolerance)
            return new(metric, baselineValue, currentValue, ratio, p, ChangeVerdict.Unchanged, text, $"within the {Format.Percent(options.Tolerance)} tolerance");
        if (p is null)
            return new(metric, baselineValue, currentValue, ratio, p, ChangeVerdict.Unchanged, text, "too few seconds to tell change from noise");
        if (p >= options.Alpha)
            return new(metric, baselineValue, currentValue, ratio, p, ChangeVerdict.Unchanged, text, "within noise");
        return w > 0
            ? new(metric, baselineValue, currentValue, ratio, p, ChangeVerdict.Regressed, text, $"{Format.Percent(w)} worse")
            : new(metric, baselineValue, currentValue, ratio, p, ChangeVerdict.Improved, text, $"{Format.Percent(-w)} better");
    }

    /// <summary>Error rates compared with a two-proportion z-test on the operation counts.</summary>
    private static MetricChange ErrorRate(ScenarioResult before, ScenarioResult now, CompareOptions options)
    {
        static (double Rate, long Errors, long Started) Of(Counts c) =>
            (c.Started > 0 ? (c.Failed + c.TimedOut + c.Crashed) / (double)c.Started : 0, c.Failed + c.TimedOut + c.Crashed, c.Started);
        var (b, be, bn) = Of(before.Counts);
        var (n, ne, nn) = Of(now.Counts);
        var text = (Format.Percent(b), Format.Percent(n));
        double? ratio = b > 0 ? n / b : null;
        double? p = null;
        if (bn > 0 && nn > 0)
        {
            var pooled = (be + ne) / (double)(bn + nn);
            var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / bn + 1.0 / nn));
            p = se > 0 ? 2 * (1 - Statistics.NormalCdf(Math.Abs(n - b) / se)) : 1;
        }
        var rise = n - b;
        var beyond = Math.Abs(rise) >= MinErrorRateRise && (b == 0 || Math.Abs(rise) > options.Tolerance * b);
        if (!beyond) return new("error_rate", b, n, ratio, p, ChangeVerdict.Unchanged, text, "within the tolerance");
        if (p is null || p >= options.Alpha) return new("error_rate", b, n, ratio, p, ChangeVerdict.Unchanged, text, "within noise");
        return rise > 0
            ? new("error_rate", b, n, ratio, p, ChangeVerdict.Regressed, text, $"up {Format.Number(rise * 100)} points")
            : new("error_rate", b, n, ratio, p, ChangeVerdict.Improved, text, $"down {Format.Number(-rise * 100)} points");
    }

    private static List<double> PerSecondRate(ScenarioResult s)
    {
        var values = new List<double>();
        var previous = 0.0;
        foreach (var p in s.Timeline)
        {
            var length = p.Second - previous;
            previous = p.Second;
            if (length >= MinPointSeconds && p.Second <= s.IssuingSeconds + 0.05) values.Add(p.Completed / length);
        }
        return values;
    }

    private static List<double> PerSecond(ScenarioResult s, Func<TimelinePoint, double> value)
    {
        var values = new List<double>();
        var previous = 0.0;
        foreach (var p in s.Timeline)
        {
            var length = p.Second - previous;
            previous = p.Second;
            if (length >= MinPointSeconds && p.Completed > 0) values.Add(value(p));
        }
        return values;
    }

    private static (List<double> Samples, double Max)? Rss(ScenarioResult s)
    {
        if (s.Resources is not { } r) return null;
        var samples = (r.Target is null ? r.Self : r.Samples).Where(x => x.Processes > 0).Select(x => (double)x.RssBytes).ToList();
        return samples.Count == 0 ? null : (samples, samples.Max());
    }
}
