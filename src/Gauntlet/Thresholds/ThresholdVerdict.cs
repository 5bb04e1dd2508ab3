namespace Gauntlet.Thresholds;

/// <summary>A threshold's verdict after <see cref="Threshold.Evaluate"/>.</summary>
/// <param name="Expression">The expression as written.</param>
/// <param name="Target">The right-hand side, normalised: <c>50ms</c>, <c>0.1%</c>, <c>1000/s</c>, <c>0</c>.</param>
/// <param name="Actual">The measured value in base units (microseconds, fraction, per second, count); null when not measured, NaN or infinite.</param>
/// <param name="ActualText">The measured value in the target's unit family: <c>3.1ms</c>, <c>0.05%</c>, <c>980/s</c>, <c>2</c>; <c>n/a</c> when not measured.</param>
/// <param name="Passed">True when the measured value satisfies the threshold.</param>
/// <param name="Note">Why the verdict could not be judged on a number (e.g. <c>metric not measured</c>); null otherwise.</param>
public sealed record ThresholdVerdict(string Expression, string Target, double? Actual, string ActualText, bool Passed, string? Note);
