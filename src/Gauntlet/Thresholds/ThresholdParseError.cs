namespace Gauntlet.Thresholds;

/// <summary>Where a threshold expression went wrong: the 1-based column and what was expected there.</summary>
/// <param name="Column">1-based column in the expression where the problem starts.</param>
/// <param name="Message">What was found and what was expected, e.g. <c>unknown metric 'p99x'; did you mean 'p99'?</c>.</param>
public sealed record ThresholdParseError(int Column, string Message)
{
    /// <summary><c>col N: message</c>.</summary>
    public override string ToString() => $"col {Column}: {Message}";
}

/// <summary>Thrown by <see cref="Threshold.Parse"/> when an expression is not a valid threshold.</summary>
public sealed class ThresholdParseException(ThresholdParseError error) : Exception(error.ToString())
{
    /// <summary>Where and what.</summary>
    public ThresholdParseError Error { get; } = error;
}
