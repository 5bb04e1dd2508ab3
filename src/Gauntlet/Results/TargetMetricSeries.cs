namespace Gauntlet.Results;

/// <summary>
/// One series of the target's own metrics read during the run (a Prometheus exposition endpoint scraped, or a
/// Prometheus server queried, every interval), on the scenario's time axis so that it charts beside latency and
/// throughput, and named so that thresholds can judge it (<c>max(target_heap_bytes) &lt; 512MB</c>).
/// </summary>
public sealed record TargetMetricSeries
{
    /// <summary>The name thresholds and reports use: the metric's name, or the name the scenario gave a query.</summary>
    public required string Name { get; init; }

    /// <summary>Where it was read, in words: <c>http://127.0.0.1:8080/metrics</c> or <c>query 'rate(x[1m])' at http://127.0.0.1:9090</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The unit its name or the scenario gives: <c>bytes</c>, <c>seconds</c>, or null for a plain number.</summary>
    public string? Unit { get; init; }

    /// <summary>One point per successful read, in time order.</summary>
    public IReadOnlyList<TargetMetricPoint> Points { get; init; } = [];

    /// <summary>Reads that failed (unreachable, timed out, malformed, metric absent); each one is also counted in a warning.</summary>
    public int FailedReads { get; init; }
}

/// <summary>One reading of a <see cref="TargetMetricSeries"/>.</summary>
/// <param name="Second">Seconds since the scenario start.</param>
/// <param name="Value">The value read (summed over the label sets the series selects).</param>
public sealed record TargetMetricPoint(double Second, double Value);
