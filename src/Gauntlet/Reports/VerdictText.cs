using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// How every report spells a verdict. A scenario is <c>PASS</c>, <c>FAIL</c>, <c>HUNG</c>, <c>INTERRUPTED</c> or
/// <c>INVALID</c>; a threshold is <c>PASS</c> or <c>FAIL</c>; a whole run is <c>PASSED</c>, <c>FAILED</c>,
/// <c>INTERRUPTED</c> or <c>INVALID</c>.
/// </summary>
public static class VerdictText
{
    /// <summary>A scenario's status: <c>PASS</c>, <c>FAIL</c>, <c>HUNG</c>, <c>INTERRUPTED</c> or <c>INVALID</c>.</summary>
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Passed => "PASS",
        Verdict.Failed => "FAIL",
        Verdict.Hung => "HUNG",
        Verdict.Interrupted => "INTERRUPTED",
        Verdict.Invalid => "INVALID",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };

    /// <summary>A threshold's status: <c>PASS</c> or <c>FAIL</c>.</summary>
    public static string Of(ThresholdResult threshold)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        return threshold.Passed ? "PASS" : "FAIL";
    }

    /// <summary>
    /// The run's outcome: <c>INTERRUPTED</c> when cancelled, else <c>PASSED</c>, <c>INVALID</c> (every scenario that did
    /// not pass is invalid, and no search failed and nothing regressed) or <c>FAILED</c>: the precedence of the exit code.
    /// </summary>
    public static string Of(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Interrupted ? "INTERRUPTED" : result.Passed ? "PASSED" : Invalid(result) ? "INVALID" : "FAILED";
    }

    /// <summary>True when the run did not pass only because scenarios were invalid: nothing failed, hung or regressed.</summary>
    private static bool Invalid(RunResult result) =>
        result.Scenarios.Any(s => s.Verdict == Verdict.Invalid)
        && result.Scenarios.All(s => s.Verdict is Verdict.Passed or Verdict.Invalid)
        && (result.Searches?.All(s => s.Passed) ?? true)
        && result.Baseline is not { Regressed: true };
}
