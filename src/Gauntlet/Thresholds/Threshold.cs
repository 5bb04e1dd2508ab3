using System.Globalization;

namespace Gauntlet.Thresholds;

// Switches over Comparison and MetricKind list every member with no discard arm, so a new member fails
// the build here (CS8509). Unnamed values (CS8524) cannot occur: only the parser builds a Threshold.
#pragma warning disable CS8524

/// <summary>
/// A parsed threshold expression, <c>metric comparison value</c>, such as <c>p99 &lt; 50ms</c>,
/// <c>error_rate &lt;= 0.1%</c>, <c>throughput &gt;= 1000/s</c> or <c>count(timed_out) == 0</c>.
/// The language is described in docs/thresholds.md.
/// </summary>
public sealed record Threshold
{
    /// <summary>Relative tolerance for comparing durations, ratios and rates, so that arithmetic noise does not decide a verdict.</summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>The note of a verdict whose metric the source did not have and could not say why.</summary>
    public const string NotMeasuredNote = "metric not measured";

    /// <summary>How the note of a verdict whose metric the source did not have begins when the source says why.</summary>
    public const string CannotBeJudgedNote = "cannot be judged: ";

    internal Threshold(string expression, string metric, Comparison comparison, double value, MetricKind kind, string target)
    {
        Expression = expression;
        Metric = metric;
        Comparison = comparison;
        Value = value;
        Kind = kind;
        Target = target;
    }

    /// <summary>The expression as written.</summary>
    public string Expression { get; }

    /// <summary>
    /// The canonical metric key passed to <see cref="IMetricSource.TryGet"/>: <c>p99</c>, <c>p99.9</c>, <c>max</c>,
    /// <c>error_rate</c>, <c>throughput</c>, <c>cv(throughput)</c>, <c>count(timed_out)</c>, ...
    /// </summary>
    public string Metric { get; }

    /// <summary>
    /// The operation kind the metric is narrowed to, such as <c>valid</c> in <c>p99(valid) &lt; 50ms</c>; null when the
    /// threshold is about the whole scenario. The parser does not know the kinds; a scenario checks them when validated.
    /// </summary>
    public string? OperationKind { get; internal init; }

    /// <summary>How the measured value is compared with <see cref="Value"/>.</summary>
    public Comparison Comparison { get; }

    /// <summary>
    /// The target in the base unit of <see cref="Kind"/>: microseconds for a duration, a fraction for a ratio
    /// (0.001 is 0.1%), per second for a rate, a whole number for a count.
    /// </summary>
    public double Value { get; }

    /// <summary>The kind of <see cref="Metric"/>, which fixes its base unit.</summary>
    public MetricKind Kind { get; }

    /// <summary>The target as written, normalised: <c>50ms</c>, <c>1.5s</c>, <c>0.1%</c>, <c>1000/s</c>, <c>0</c>.</summary>
    public string Target { get; }

    /// <summary>Parses <paramref name="expression"/> or throws <see cref="ThresholdParseException"/> saying where and what was expected.</summary>
    /// <exception cref="ThresholdParseException">The expression is not a valid threshold; the only exception this throws.</exception>
    public static Threshold Parse(string expression) =>
        TryParse(expression, out var threshold, out var error) ? threshold! : throw new ThresholdParseException(error!);

    /// <summary>Parses <paramref name="expression"/>; on failure <paramref name="error"/> says where and what was expected. Never throws.</summary>
    public static bool TryParse(string expression, out Threshold? threshold, out ThresholdParseError? error) =>
        ThresholdParser.TryParse(expression, out threshold, out error);

    /// <summary>
    /// Judges this threshold against <paramref name="metrics"/>. A metric the source lacks, or whose value is
    /// NaN or infinite, fails with a note (the source's reason when it gives one): a threshold never passes without a
    /// measurement.
    /// </summary>
    public ThresholdVerdict Evaluate(IMetricSource metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGet(Metric, out var actual))
            return Verdict(null, Format.Number(double.NaN), passed: false,
                metrics.WhyNotMeasured(Metric) is { } why ? CannotBeJudgedNote + why : NotMeasuredNote);
        if (double.IsNaN(actual))
            return Verdict(null, Format.Number(actual), passed: false, "metric value is not a number (NaN)");
        if (double.IsInfinity(actual))
            return Verdict(null, Format.Number(actual), passed: false, "metric value is infinite");
        return Verdict(actual, FormatActual(actual), Holds(actual), note: null);
    }

    /// <summary>The threshold in canonical form: <c>p99 &lt; 50ms</c>, <c>count(dropped) == 0</c>.</summary>
    public override string ToString() => $"{Metric} {Comparison.Symbol()} {Target}";

    private ThresholdVerdict Verdict(double? actual, string actualText, bool passed, string? note) =>
        new(Expression, Target, actual, actualText, passed, note);

    private bool Holds(double actual)
    {
        var equal = Kind switch
        {
            MetricKind.Count => actual == Value,
            MetricKind.Duration or MetricKind.Ratio or MetricKind.Rate or MetricKind.Size or MetricKind.SizeRate =>
                Math.Abs(actual - Value) <= RelativeTolerance * Math.Max(Math.Abs(actual), Math.Abs(Value)),
        };
        return Comparison switch
        {
            Comparison.Less => actual < Value && !equal,
            Comparison.LessOrEqual => actual < Value || equal,
            Comparison.Greater => actual > Value && !equal,
            Comparison.GreaterOrEqual => actual > Value || equal,
            Comparison.Equal => equal,
            Comparison.NotEqual => !equal,
        };
    }

    /// <summary>The measured value in the same unit family as the target.</summary>
    private string FormatActual(double actual) => Kind switch
    {
        MetricKind.Duration => Format.Micros(actual),
        MetricKind.Ratio => Format.Percent(actual),
        MetricKind.Rate => Format.Rate(actual),
        MetricKind.Count => actual == Math.Floor(actual) ? actual.ToString("0", CultureInfo.InvariantCulture) : Format.Number(actual),
        MetricKind.Size => Format.Bytes(actual),
        MetricKind.SizeRate => Format.BytesPerMinute(actual),
    };
}
