using Gauntlet.Results;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Gauntlet.Metrics;

/// <summary>
/// The one latency histogram shape Gauntlet uses (1 us .. 1 h, 3 significant digits, values in microseconds),
/// its compact encoding for results, and its summary.
/// </summary>
internal static class Histograms
{
    /// <summary>Smallest distinguishable value: 1 us.</summary>
    public const long LowestMicros = 1;

    /// <summary>Largest trackable value: 1 h in microseconds; larger values are recorded as this.</summary>
    public const long HighestMicros = 3_600_000_000;

    /// <summary>Significant decimal digits kept.</summary>
    public const int SignificantDigits = 3;

    /// <summary>A new empty histogram of the standard shape.</summary>
    public static HistogramBase Create() => new LongHistogram(LowestMicros, HighestMicros, SignificantDigits);

    internal static HistogramBase Create(long instanceId, long lowest, long highest, int digits, bool concurrent) =>
        concurrent ? new LongConcurrentHistogram(instanceId, lowest, highest, digits) : new LongHistogram(instanceId, lowest, highest, digits);

    /// <summary>Clamps a value into the histogram's range so recording never throws.</summary>
    internal static long Clamp(long micros) => micros < 0 ? 0 : micros > HighestMicros ? HighestMicros : micros;

    /// <summary>Encodes with HdrHistogram's compressed V2 encoding, as base64.</summary>
    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        // ByteBuffer copies on Allocate(byte[]) and hides its array, so read the encoding back byte by byte.
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var i = 0; i < length; i++) bytes[i] = buffer.Get();
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Decodes what <see cref="Encode"/> produced.</summary>
    public static HistogramBase Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var buffer = ByteBuffer.Allocate(bytes);
        return HistogramEncoding.DecodeFromCompressedByteBuffer(buffer, 0);
    }

    /// <summary>
    /// The sum of the encoded histograms of <paramref name="summaries"/> (HdrHistograms add without loss: the sum is the
    /// histogram of every value recorded in any of them); null when a summary that recorded values carries no encoding,
    /// so its values cannot be added. An empty summary without an encoding adds nothing.
    /// </summary>
    public static HistogramBase? Sum(IEnumerable<LatencySummary> summaries)
    {
        var total = new HistogramSum();
        foreach (var summary in summaries)
        {
            if (summary.Histogram is { } encoded) total.Add(encoded);
            else if (summary.Count > 0) return null;
        }
        return total.ToHistogram();
    }

    /// <summary>Percentiles, mean and deviation in microseconds, with the encoded histogram.</summary>
    public static LatencySummary Summarize(HistogramBase histogram, bool includeEncoding = true)
    {
        if (histogram.TotalCount == 0) return new LatencySummary { Histogram = includeEncoding ? Encode(histogram) : null };
        return new LatencySummary
        {
            Count = histogram.TotalCount,
            MinMicros = MinValue(histogram),
            MeanMicros = histogram.GetMean(),
            StdDevMicros = histogram.GetStdDeviation(),
            P50Micros = histogram.GetValueAtPercentile(50),
            P90Micros = histogram.GetValueAtPercentile(90),
            P95Micros = histogram.GetValueAtPercentile(95),
            P99Micros = histogram.GetValueAtPercentile(99),
            P999Micros = histogram.GetValueAtPercentile(99.9),
            MaxMicros = histogram.GetMaxValue(),
            Histogram = includeEncoding ? Encode(histogram) : null,
        };
    }

    internal static long MinValue(HistogramBase histogram)
    {
        foreach (var value in histogram.RecordedValues())
            return histogram.LowestEquivalentValue(value.ValueIteratedTo);
        return 0;
    }
}
