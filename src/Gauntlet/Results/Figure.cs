namespace Gauntlet.Results;

/// <summary>
/// A figure a scenario reports beside the engine's own: the items per second a channel moved, the time producers were
/// blocked, the collections a garbage collector ran. The stress kit's patterns report them.
/// </summary>
/// <param name="Key">Stable, snake_case name, e.g. <c>item_rate</c>, <c>lost</c>, <c>gc_pause</c>; thresholds name some of them.</param>
/// <param name="Value">The value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">One of <c>count</c>, <c>/s</c>, <c>us</c>, <c>bytes</c>.</param>
/// <param name="Description">What the figure measures, in a sentence for reports.</param>
public sealed record Figure(string Key, double Value, string Unit, string Description)
{
    /// <summary>Unit of a plain count.</summary>
    public const string CountUnit = "count";
    /// <summary>Unit of a rate per second.</summary>
    public const string RateUnit = "/s";
    /// <summary>Unit of a time in microseconds.</summary>
    public const string MicrosUnit = "us";
    /// <summary>Unit of a size in bytes.</summary>
    public const string BytesUnit = "bytes";
}
