namespace Gauntlet.Thresholds;

/// <summary>
/// The family a metric belongs to. The kind fixes the metric's base unit (what <see cref="IMetricSource"/>
/// returns and what <see cref="Threshold.Value"/> holds), the units a threshold may write, and how values are shown.
/// </summary>
public enum MetricKind
{
    /// <summary>A latency. Base unit: microseconds. Written with <c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>.</summary>
    Duration,

    /// <summary>A proportion. Base unit: a fraction (0.001 is 0.1%). Written with <c>%</c> or as a bare fraction.</summary>
    Ratio,

    /// <summary>Events per second. Written with <c>/s</c>, <c>/m</c> or <c>/min</c> (per minute), <c>/h</c>, or as a bare number per second.</summary>
    Rate,

    /// <summary>A number of events or things (operations, descriptors, threads). Written as a bare whole number.</summary>
    Count,

    /// <summary>An amount of memory. Base unit: bytes. Written with <c>B</c>, <c>KB</c>, <c>MB</c>, <c>GB</c>, <c>TB</c> (powers of 1000) or <c>KiB</c>, <c>MiB</c>, <c>GiB</c>, <c>TiB</c> (powers of 1024), as in <see cref="Units"/>.</summary>
    Size,

    /// <summary>Growth of an amount of memory. Base unit: bytes per second. Written as a size per time: <c>1MB/min</c>, <c>100KB/s</c>, <c>1GiB/h</c>.</summary>
    SizeRate,

    /// <summary>
    /// A plain number, whole or not, such as a series of the target's own metrics that counts things (a queue's depth).
    /// Written as a bare number: <c>0</c>, <c>2.5</c>.
    /// </summary>
    Number,
}
