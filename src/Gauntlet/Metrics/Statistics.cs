namespace Gauntlet.Metrics;

/// <summary>
/// The few statistics the derived figures and the comparison of runs need, on plain arrays: a least-squares line
/// with the standard error of its slope, and the Mann-Whitney U test (two-sided, normal approximation with a tie
/// correction), which compares two sets of per-second values without assuming they are normally distributed.
/// </summary>
internal static class Statistics
{
    /// <summary>A fitted line <c>y = Intercept + Slope * x</c>, with the standard error of the slope (NaN with fewer than 3 points).</summary>
    public readonly record struct Line(double Slope, double Intercept, double SlopeStandardError, int Points)
    {
        /// <summary>Slope over its standard error: how many standard errors the slope is away from flat. Infinite for a perfect non-flat line.</summary>
        public double TStatistic => SlopeStandardError > 0 ? Slope / SlopeStandardError
            : Slope == 0 ? 0 : double.PositiveInfinity * Math.Sign(Slope);
    }

    /// <summary>The least-squares line through the points; null with fewer than two points or when every x is the same.</summary>
    public static Line? LeastSquares(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Count != ys.Count) throw new ArgumentException("xs and ys differ in length", nameof(ys));
        var n = xs.Count;
        if (n < 2) return null;
        double meanX = 0, meanY = 0;
        for (var i = 0; i < n; i++)
        {
            meanX += xs[i];
            meanY += ys[i];
        }
        meanX /= n;
        meanY /= n;
        double sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            sxx += (xs[i] - meanX) * (xs[i] - meanX);
            sxy += (xs[i] - meanX) * (ys[i] - meanY);
        }
        if (sxx == 0) return null;
        var slope = sxy / sxx;
        var intercept = meanY - slope * meanX;
        var standardError = double.NaN;
        if (n > 2)
        {
            double residuals = 0;
            for (var i = 0; i < n; i++)
            {
                var r = ys[i] - (intercept + slope * xs[i]);
                residuals += r * r;
            }
            standardError = Math.Sqrt(residuals / (n - 2) / sxx);
        }
        return new Line(slope, intercept, standardError, n);
    }

    /// <summary>Arithmetic mean; NaN when empty.</summary>
    public static double Mean(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return double.NaN;
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum / values.Count;
    }

    /// <summary>Median; NaN when empty.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// Two-sided Mann-Whitney U test of whether values in <paramref name="a"/> tend to differ from those in
    /// <paramref name="b"/>: the probability of a difference at least this large if both came from one distribution.
    /// 1 when either set is empty or every value is tied.
    /// </summary>
    public static double MannWhitneyP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int n1 = a.Count, n2 = b.Count;
        if (n1 == 0 || n2 == 0) return 1;
        var all = new (double Value, int Group)[n1 + n2];
        for (var i = 0; i < n1; i++) all[i] = (a[i], 0);
        for (var i = 0; i < n2; i++) all[n1 + i] = (b[i], 1);
        Array.Sort(all, (x, y) => x.Value.CompareTo(y.Value));
        double rankSumA = 0, tieTerm = 0;
        var n = n1 + n2;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && all[j + 1].Value == all[i].Value) j++;
            var rank = (i + j) / 2.0 + 1;
            var ties = j - i + 1;
            for (var k = i; k <= j; k++)
                if (all[k].Group == 0) rankSumA += rank;
            tieTerm += (double)ties * ties * ties - ties;
            i = j + 1;
        }
        var u = rankSumA - n1 * (n1 + 1) / 2.0;
        var mean = n1 * (double)n2 / 2;
        var variance = n1 * (double)n2 / 12 * (n + 1 - tieTerm / ((double)n * (n - 1)));
        if (variance <= 0) return 1;
        // Continuity correction: U moves in steps of one half at least.
        var z = (Math.Abs(u - mean) - 0.5) / Math.Sqrt(variance);
        if (z <= 0) return 1;
        return Math.Min(1, 2 * (1 - NormalCdf(z)));
    }

    /// <summary>The standard normal cumulative distribution (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    internal static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
