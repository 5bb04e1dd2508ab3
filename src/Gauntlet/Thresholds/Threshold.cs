namespace Gauntlet.Thresholds;

// Interface stub: the parser and evaluator are filled in by the thresholds work.

/// <summary>A parsed threshold expression such as <c>p99 &lt; 50ms</c>.</summary>
public sealed record Threshold
{
    /// <summary>The expression as written.</summary>
    public required string Expression { get; init; }

    /// <summary>Parses an expression or throws <see cref="ThresholdParseException"/>.</summary>
    public static Threshold Parse(string expression) =>
        TryParse(expression, out var t, out var e) ? t! : throw new ThresholdParseException(e!);

    /// <summary>Parses an expression; on failure <paramref name="error"/> says where and what was expected.</summary>
    public static bool TryParse(string expression, out Threshold? threshold, out ThresholdParseError? error)
    {
        threshold = new Threshold { Expression = expression };
        error = null;
        return true;
    }

    /// <summary>Judges this threshold against measured values.</summary>
    public ThresholdVerdict Evaluate(IMetricSource metrics) => new(Expression, "", null, "n/a", false, "not implemented");
}

/// <summary>Where a threshold expression went wrong: 1-based column and message.</summary>
public sealed record ThresholdParseError(int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"col {Column}: {Message}";
}

/// <summary>Thrown by <see cref="Threshold.Parse"/>.</summary>
public sealed class ThresholdParseException(ThresholdParseError error) : Exception(error.ToString())
{
    /// <summary>Where and what.</summary>
    public ThresholdParseError Error { get; } = error;
}

/// <summary>A threshold's verdict: the expression, the target as written, the actual value in base units and as text.</summary>
public sealed record ThresholdVerdict(string Expression, string Target, double? Actual, string ActualText, bool Passed, string? Note);

/// <summary>
/// Measured values by canonical metric key, in base units: latencies in microseconds, ratios as fractions,
/// throughput per second, counts as numbers.
/// </summary>
public interface IMetricSource
{
    /// <summary>The value of <paramref name="key"/> (e.g. <c>p99.9</c>, <c>error_rate</c>, <c>count(timed_out)</c>), or false when not measured.</summary>
    bool TryGet(string key, out double value);
}
