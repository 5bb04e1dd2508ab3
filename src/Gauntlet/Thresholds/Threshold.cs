using Gauntlet.Results;

namespace Gauntlet.Thresholds;

// Switches over Comparison and MetricKind list every member with no discard arm, so a new member fails
// the build here (CS8509). Unnamed values (CS8524) cannot occur: only the parser builds a Threshold.
#pragma warning disable CS8524

/// <summary>
/// A parsed threshold expression, <c>metric comparison value</c>, such as <c>p99 &lt; 50ms</c>,
/// <c>error_rate &lt;= 0.1%</c>, <c>throughput &gt;= 1000/s</c> or <c>count(timed_out) == 0</c>.
/// The language is described in docs/thresholds.md. A threshold is parsed once, where it enters (a YAML file, a flag,
/// <see cref="Of"/> in C#), and a scenario holds the typed value; <see cref="ThresholdEvaluator"/> judges it.
/// </summary>
/// <remarks>
/// A string converts to a threshold implicitly (<c>scenario.WithThresholds("p99 &lt; 50ms")</c>) through <see cref="Of"/>:
/// an expression that does not parse becomes a threshold whose <see cref="Error"/> says why, which the scenario's
/// validation reports (exit code 2), so a builder never throws on a typo.
/// </remarks>
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

    private Threshold(string expression, ThresholdParseError error)
    {
        Expression = expression;
        Metric = "";
        Value = double.NaN;
        Target = "";
        Error = error;
    }

    /// <summary>The expression as written.</summary>
    public string Expression { get; }

    /// <summary>Why <see cref="Expression"/> is not a valid threshold (column and message); null for a valid one.</summary>
    public ThresholdParseError? Error { get; }

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

    /// <summary>
    /// The series of the target's own metrics the threshold judges, canonical (<c>queue_depth{queue="orders"}</c> in
    /// <c>last(queue_depth{queue="orders"}) == 0</c>); null for any other metric. <c>min</c>, <c>max</c> and <c>mean</c> of a
    /// bare name compared with a duration set <see cref="OperationKind"/> too: the scenario's validation decides which it is.
    /// </summary>
    public string? TargetSeries { get; internal init; }

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

    /// <summary>
    /// The length of the sliding window the threshold is judged over (<c>p99 &lt; 50ms over 10s</c>), a whole number of
    /// seconds: the threshold fails when any window of that length over the scenario's per-second data fails. Null for a
    /// threshold judged once over the whole run. See docs/thresholds.md.
    /// </summary>
    public TimeSpan? Window { get; internal init; }

    /// <summary>
    /// When set, the threshold is also watched while the scenario runs (each second, on the data so far; a windowed one on
    /// its latest complete window), from this long after the scenario started; when it fails, the scenario stops issuing,
    /// lets in-flight operations finish within the grace period, and fails as aborted. <see cref="TimeSpan.Zero"/> watches
    /// from the start; null (the default) never aborts. Set it with <see cref="AbortOnFail"/>.
    /// </summary>
    public TimeSpan? AbortAfter { get; init; }

    /// <summary>
    /// This threshold, watched live so that it aborts the scenario when it fails (k6's <c>abortOnFail</c>), no earlier
    /// than <paramref name="after"/> (k6's <c>delayAbortEval</c>) since the scenario started: <see cref="AbortAfter"/>.
    /// </summary>
    /// <param name="after">How long after the start the watch begins; null or zero for at once.</param>
    public Threshold AbortOnFail(TimeSpan? after = null) => this with { AbortAfter = after ?? TimeSpan.Zero };

    /// <summary>Parses <paramref name="expression"/> or throws <see cref="ThresholdParseException"/> saying where and what was expected.</summary>
    /// <exception cref="ThresholdParseException">The expression is not a valid threshold; the only exception this throws.</exception>
    public static Threshold Parse(string expression) =>
        TryParse(expression, out var threshold, out var error) ? threshold! : throw new ThresholdParseException(error!);

    /// <summary>
    /// Parses <paramref name="expression"/> and never throws: an invalid expression gives a threshold whose
    /// <see cref="Error"/> says where and what was expected, reported when the scenario is validated.
    /// </summary>
    public static Threshold Of(string expression) =>
        TryParse(expression, out var threshold, out var error) ? threshold! : new Threshold(expression ?? "", error!);

    /// <summary>The threshold <paramref name="expression"/> describes (see <see cref="Of"/>): C# users may write thresholds as strings.</summary>
    public static implicit operator Threshold(string expression) => Of(expression);

    /// <summary>Parses <paramref name="expression"/>; on failure <paramref name="error"/> says where and what was expected. Never throws.</summary>
    public static bool TryParse(string expression, out Threshold? threshold, out ThresholdParseError? error) =>
        ThresholdParser.TryParse(expression, out threshold, out error);

    /// <summary>Judges this threshold against <paramref name="metrics"/>; see <see cref="ThresholdEvaluator.Evaluate"/>.</summary>
    public ThresholdResult Evaluate(IMetricSource metrics) => ThresholdEvaluator.Evaluate(this, metrics);

    /// <summary>The threshold in canonical form: <c>p99 &lt; 50ms</c>, <c>count(dropped) == 0</c>, <c>p99 &lt; 50ms over 10s</c>.</summary>
    public override string ToString() => Error is not null ? Expression
        : Window is { } window ? $"{Metric} {Comparison.Symbol()} {Target} over {Format.Duration(window)}"
        : $"{Metric} {Comparison.Symbol()} {Target}";
}
