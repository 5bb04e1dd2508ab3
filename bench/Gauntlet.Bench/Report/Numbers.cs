using System.Globalization;

namespace Gauntlet.Bench.Report;

/// <summary>How the benchmark spells numbers: grouped integers, rates in M/s or k/s, signed percentages.</summary>
internal static class Numbers
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("#,0", Invariant);

    public static string Bytes(long value) => value switch
    {
        >= 10L << 30 => (value / (double)(1L << 30)).ToString("0.0", Invariant) + " GiB",
        >= 10L << 20 => (value / (double)(1L << 20)).ToString("0.0", Invariant) + " MiB",
        >= 10L << 10 => (value / (double)(1L << 10)).ToString("0.0", Invariant) + " KiB",
        _ => value.ToString(Invariant) + " B",
    };

    /// <summary>Operations per second: <c>12.34 M/s</c>, <c>99.95 k/s</c>, <c>870/s</c>.</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1_000_000 => (perSecond / 1_000_000).ToString("0.00", Invariant) + " M/s",
        >= 10_000 => (perSecond / 1_000).ToString("0.00", Invariant) + " k/s",
        _ => perSecond.ToString("0.0", Invariant) + "/s",
    };

    /// <summary>A relative error as a signed percentage: <c>+0.012%</c>, <c>-75.3%</c>.</summary>
    public static string SignedPercent(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (fraction >= 0 ? "+" : "") + (fraction * 100).ToString(Math.Abs(fraction) < 0.1 ? "0.000" : "0.0", Invariant) + "%";

    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("0", Invariant) + "%";

    public static string Fixed(double value, int decimals) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals.ToString(Invariant), Invariant);

    /// <summary>A ratio as <c>0.42×</c>.</summary>
    public static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "n/a"
        : value.ToString(value >= 10 ? "0" : value >= 0.1 ? "0.00" : "0.0000", Invariant) + "×";

    public static string Micros(double micros) => micros switch
    {
        double.NaN => "n/a",
        >= 1000 => (micros / 1000).ToString("0.00", Invariant) + " ms",
        _ => micros.ToString("0", Invariant) + " µs",
    };

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
