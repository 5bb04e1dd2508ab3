using System.Globalization;
using Gauntlet.Results;

namespace Gauntlet.Thresholds;

// Switches over Comparison and MetricKind list every member with no discard arm, so a new member fails
// the build here (CS8509). Unnamed values (CS8524) cannot occur: only the parser builds a Threshold.
#pragma warning disable CS8524

/// <summary>The one judge of thresholds: a typed <see cref="Threshold"/> and the measured figures in, a <see cref="ThresholdResult"/> out.</summary>
public static class ThresholdEvaluator
{
    /// <summary>
    /// Judges <paramref name="threshold"/> against <paramref name="metrics"/>. A metric the source lacks, or whose
    /// value is NaN or infinite, fails with a note (the source's reason when it gives one): a threshold never passes
    /// without a measurement. An invalid threshold (<see cref="Threshold.Error"/>) fails with its error as the note;
    /// validation keeps one from reaching a run.
    /// </summary>
    public static ThresholdResult Evaluate(Threshold threshold, IMetricSource metrics)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(metrics);
        // A whole run's figures would judge it as if it had no window: only the per-second data can.
        if (threshold.Window is not null && threshold.Error is null && metrics is not IWindowMetricSource)
            return Result(threshold, null, Format.Number(double.NaN), passed: false,
                Threshold.CannotBeJudgedNote + "a threshold with 'over' is judged on a scenario's per-second data, which this run does not have");
        return EvaluateWindow(threshold, metrics);
    }

    /// <summary>Judges <paramref name="threshold"/> against <paramref name="metrics"/>, which are one window's figures when it has a window.</summary>
    internal static ThresholdResult EvaluateWindow(Threshold threshold, IMetricSource metrics)
    {
        if (threshold.Error is { } error)
            return Result(threshold, null, Format.Number(double.NaN), passed: false, $"invalid threshold: {error}");
        if (!metrics.TryGet(threshold.Metric, out var actual))
            return Result(threshold, null, Format.Number(double.NaN), passed: false,
                metrics.WhyNotMeasured(threshold.Metric) is { } why ? Threshold.CannotBeJudgedNote + why : Threshold.NotMeasuredNote);
        if (double.IsNaN(actual))
            return Result(threshold, null, Format.Number(actual), passed: false, "metric value is not a number (NaN)");
        if (double.IsInfinity(actual))
            return Result(threshold, null, Format.Number(actual), passed: false, "metric value is infinite");
        return Result(threshold, actual, FormatActual(threshold.Kind, actual), Holds(threshold, actual), note: null);
    }

    private static ThresholdResult Result(Threshold threshold, double? actual, string actualText, bool passed, string? note) =>
        new(threshold.Expression, threshold.Target, actual, actualText, passed, note);

    private static bool Holds(Threshold threshold, double actual)
    {
        var value = threshold.Value;
        var equal = threshold.Kind switch
        {
            MetricKind.Count => actual == value,
            MetricKind.Duration or MetricKind.Ratio or MetricKind.Rate or MetricKind.Size or MetricKind.SizeRate or MetricKind.Number =>
                Math.Abs(actual - value) <= Threshold.RelativeTolerance * Math.Max(Math.Abs(actual), Math.Abs(value)),
        };
        return threshold.Comparison switch
        {
            Comparison.Less => actual < value && !equal,
            Comparison.LessOrEqual => actual < value || equal,
            Comparison.Greater => actual > value && !equal,
            Comparison.GreaterOrEqual => actual > value || equal,
            Comparison.Equal => equal,
            Comparison.NotEqual => !equal,
        };
    }

    /// <summary>The measured value in the same unit family as the target.</summary>
    private static string FormatActual(MetricKind kind, double actual) => kind switch
    {
        MetricKind.Duration => Format.Micros(actual),
        MetricKind.Ratio => Format.Percent(actual),
        MetricKind.Rate => Format.Rate(actual),
        MetricKind.Count => actual == Math.Floor(actual) ? actual.ToString("0", CultureInfo.InvariantCulture) : Format.Number(actual),
        MetricKind.Size => Format.Bytes(actual),
        MetricKind.SizeRate => Format.BytesPerMinute(actual),
        MetricKind.Number => Format.Number(actual),
    };
}
