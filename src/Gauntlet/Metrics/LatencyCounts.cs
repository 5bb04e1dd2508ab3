using HdrHistogram;

namespace Gauntlet.Metrics;

/// <summary>
/// One second's latency histogram kept small: each bucket that recorded a value (as the bucket's highest equivalent
/// value, which records back into the same bucket) and its count. A few hundred pairs where the histogram itself holds
/// 190 KB of counts, so a run keeps one per second for its sliding windows (<see cref="LatencyWindow"/>).
/// </summary>
internal sealed class LatencyCounts
{
    /// <summary>A second in which no operation completed.</summary>
    public static readonly LatencyCounts Empty = new([], []);

    private LatencyCounts(long[] values, long[] counts)
    {
        Values = values;
        Counts = counts;
    }

    /// <summary>The buckets' values, in microseconds, ascending.</summary>
    public long[] Values { get; }

    /// <summary>How many values each bucket of <see cref="Values"/> holds.</summary>
    public long[] Counts { get; }

    /// <summary>The recorded values and counts of <paramref name="histogram"/>.</summary>
    public static LatencyCounts Of(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0) return Empty;
        var values = new List<long>();
        var counts = new List<long>();
        foreach (var value in histogram.RecordedValues())
        {
            values.Add(value.ValueIteratedTo);
            counts.Add(value.CountAtValueIteratedTo);
        }
        return new LatencyCounts([.. values], [.. counts]);
    }

    /// <summary>Decodes a second's histogram as a segment's result carries it (<see cref="Histograms.Encode"/>).</summary>
    public static LatencyCounts Decode(string base64) => Of(Histograms.Decode(base64));
}

/// <summary>
/// The latency of a run of consecutive seconds: seconds are added at one end and removed at the other as the window
/// slides, so each window costs the seconds entering and leaving it, not its whole length. <see cref="Fill"/> gives it
/// as a histogram of the standard shape, whose percentiles are exact over the window's operations.
/// </summary>
internal sealed class LatencyWindow
{
    private readonly Dictionary<long, long> _counts = [];

    /// <summary>Operations in the window.</summary>
    public long Total { get; private set; }

    public void Add(LatencyCounts second) => Move(second, +1);

    public void Remove(LatencyCounts second) => Move(second, -1);

    public void Clear()
    {
        _counts.Clear();
        Total = 0;
    }

    /// <summary>Resets <paramref name="histogram"/> (of the standard shape) and records the window into it.</summary>
    public HistogramBase Fill(HistogramBase histogram)
    {
        histogram.Reset();
        foreach (var (value, count) in _counts) histogram.RecordValueWithCount(value, count);
        return histogram;
    }

    private void Move(LatencyCounts second, int sign)
    {
        for (var i = 0; i < second.Values.Length; i++)
        {
            var value = second.Values[i];
            var count = _counts.GetValueOrDefault(value) + sign * second.Counts[i];
            if (count == 0) _counts.Remove(value);
            else _counts[value] = count;
            Total += sign * second.Counts[i];
        }
    }
}
