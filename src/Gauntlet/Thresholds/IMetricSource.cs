namespace Gauntlet.Thresholds;

/// <summary>
/// Measured values by canonical metric key, in base units: latencies in microseconds, ratios as fractions,
/// throughput per second, counts as numbers.
/// </summary>
public interface IMetricSource
{
    /// <summary>The value of <paramref name="key"/> (e.g. <c>p99.9</c>, <c>error_rate</c>, <c>count(timed_out)</c>), or false when not measured.</summary>
    bool TryGet(string key, out double value);

    /// <summary>
    /// Why <paramref name="key"/> is not measured, in a phrase a report shows beside the threshold (<c>needs at least
    /// 2 whole seconds of issuing; the scenario issued for 0.3s</c>); null when the source does not know why.
    /// </summary>
    string? WhyNotMeasured(string key) => null;
}

/// <summary>The figures of one window of a scenario's per-second data, which a threshold with <c>over</c> is judged on.</summary>
internal interface IWindowMetricSource : IMetricSource;
