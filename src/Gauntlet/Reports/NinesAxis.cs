using Gauntlet.Metrics;
using Gauntlet.Results;
using HdrHistogram;

namespace Gauntlet.Reports;

/// <summary>
/// The percentile distribution as latency engineers read it (HdrHistogram's plotter, wrk2): x is the percentile on a
/// logarithmic "nines" scale, x = log10(1 / (1 - p)), so 0% is 0, 90% is 1, 99% is 2 and 99.999% is 5, and each nine
/// gets the same width; y is the latency at that percentile. The tail, where stalls and coordinated omission show, takes
/// most of the chart instead of a few pixels at the right edge.
/// </summary>
internal static class NinesAxis
{
    /// <summary>The axis ends at 99.999% (five nines).</summary>
    public const double MaxNines = 5;

    /// <summary>Points per nine, evenly spaced in x: enough for the step shape of a histogram to show.</summary>
    private const int PointsPerNine = 40;

    /// <summary>The percentiles of the reports' latency table, placed exactly on the grid so hovering lands on them.</summary>
    private static readonly double[] TablePercentiles = [50, 90, 95, 99, 99.9];

    /// <summary>The x positions every distribution is read at, ascending: an even grid plus the table's percentiles.</summary>
    public static IReadOnlyList<double> Grid { get; } = BuildGrid();

    /// <summary>x of a percentile given in percent (0 ≤ p &lt; 100).</summary>
    public static double X(double percent) => Math.Log10(100 / (100 - percent));

    /// <summary>The percentile (in percent) at x.</summary>
    public static double Percent(double x) => 100 * (1 - Math.Pow(10, -x));

    /// <summary>The latency (us) at each <see cref="Grid"/> point, read from the histogram.</summary>
    public static double?[] FromHistogram(HistogramBase histogram)
    {
        var values = new double?[Grid.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = histogram.GetValueAtPercentile(Math.Min(100, Percent(Grid[i])));
        return values;
    }

    /// <summary>
    /// A result without a histogram (written before histograms were kept, or a damaged one): its stored percentiles at
    /// their places and null elsewhere, so the line joins the points it has. Its max is drawn at the axis' end.
    /// </summary>
    public static double?[] FromSummary(LatencySummary summary)
    {
        var values = new double?[Grid.Count];
        if (summary.Count == 0) return values;
        double[] stored = [summary.P50Micros, summary.P90Micros, summary.P95Micros, summary.P99Micros, summary.P999Micros];
        values[0] = summary.MinMicros;
        for (var i = 0; i < TablePercentiles.Length; i++) values[IndexOf(X(TablePercentiles[i]))] = stored[i];
        values[^1] = summary.MaxMicros;
        return values;
    }

    /// <summary>
    /// The distribution of <paramref name="summary"/>: from its histogram when it has one that decodes, else its stored
    /// percentiles with a sentence saying why (<paramref name="whyNot"/>).
    /// </summary>
    public static double?[] Of(LatencySummary summary, out string? whyNot)
    {
        whyNot = null;
        if (summary.Histogram is not { } encoded)
        {
            whyNot = "no histogram is stored in this result (written by an older Gauntlet): the line joins the stored percentiles only";
            return FromSummary(summary);
        }
        try
        {
            var histogram = Histograms.Decode(encoded);
            if (histogram.TotalCount > 0) return FromHistogram(histogram);
            whyNot = "the stored histogram is empty: the line joins the stored percentiles only";
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            whyNot = "the stored histogram could not be decoded: the line joins the stored percentiles only";
        }
        return FromSummary(summary);
    }

    /// <summary>
    /// With n samples, percentiles beyond 1 - 1/n are all the largest value: the nines past that say nothing more.
    /// Null when the samples reach the axis' end.
    /// </summary>
    public static string? Resolution(long count)
    {
        if (count <= 0 || Math.Log10(count) >= MaxNines) return null;
        var percent = Percent(Math.Log10(count));
        return $"With {Figures.Count(count)} samples, every percentile above {Format.Number(percent)}% is the largest value.";
    }

    private static int IndexOf(double x)
    {
        var best = 0;
        for (var i = 1; i < Grid.Count; i++)
            if (Math.Abs(Grid[i] - x) < Math.Abs(Grid[best] - x)) best = i;
        return best;
    }

    private static double[] BuildGrid()
    {
        var grid = new SortedSet<double>();
        for (var i = 0; i <= MaxNines * PointsPerNine; i++) grid.Add(Math.Round(i / (double)PointsPerNine, 6));
        foreach (var p in TablePercentiles) grid.Add(Math.Round(X(p), 6));
        return [.. grid];
    }
}
