using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// How every report spells a verdict. A scenario is <c>PASS</c>, <c>FAIL</c>, <c>HUNG</c> or <c>INTERRUPTED</c>;
/// a threshold is <c>PASS</c> or <c>FAIL</c>; a whole run is <c>PASSED</c>, <c>FAILED</c> or <c>INTERRUPTED</c>.
/// </summary>
public static class VerdictText
{
    /// <summary>A scenario's status: <c>PASS</c>, <c>FAIL</c>, <c>HUNG</c> or <c>INTERRUPTED</c>.</summary>
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Passed => "PASS",
        Verdict.Failed => "FAIL",
        Verdict.Hung => "HUNG",
        Verdict.Interrupted => "INTERRUPTED",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };

    /// <summary>A threshold's status: <c>PASS</c> or <c>FAIL</c>.</summary>
    public static string Of(ThresholdResult threshold)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        return threshold.Passed ? "PASS" : "FAIL";
    }

    /// <summary>The run's outcome: <c>INTERRUPTED</c> when cancelled, else <c>PASSED</c> or <c>FAILED</c>.</summary>
    public static string Of(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Interrupted ? "INTERRUPTED" : result.Passed ? "PASSED" : "FAILED";
    }
}
