using Gauntlet.Results;

namespace Gauntlet.Pipeline;

// The switches list every code with no discard arm, so a new ReasonCode or ErrorClass fails the build here (CS8509)
// until it is given an exit code. Unnamed values (CS8524) cannot arrive: codes are only made from named members.
#pragma warning disable CS8524

/// <summary>
/// The exit codes of every command, and the one rule that turns a result into one: a contract CI scripts rely on.
/// The code is derived from the result's codes (<see cref="ReasonCode"/>, <see cref="ErrorClass"/>), never from its prose.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every threshold passed.</summary>
    public const int Passed = 0;

    /// <summary>A threshold or verifier failed, a scenario hung, or a figure regressed against the baseline.</summary>
    public const int Failed = 1;

    /// <summary>Invalid input: a scenario file or a flag.</summary>
    public const int InvalidInput = 2;

    /// <summary>The target could not be reached or started.</summary>
    public const int TargetUnreachable = 3;

    /// <summary>Gauntlet itself failed.</summary>
    public const int HarnessError = 4;

    /// <summary>A verdict was left unknown: a verifier could not judge (its final read failed or ran out of time) and nothing else failed.</summary>
    public const int VerdictUnknown = 5;

    /// <summary>
    /// The run was invalid: the load generator, not the target, limited it beyond a scenario's validity tolerances
    /// (<see cref="ReasonCode.GeneratorLimited"/>), so its figures cannot pass or fail the target, and nothing else failed.
    /// </summary>
    public const int Invalid = 6;

    /// <summary>Interrupted (Ctrl-C, SIGTERM); a partial result was still written.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// The exit code of a run: interrupted, passed, the target never reached (a scenario whose every operation failed
    /// with an error of class <see cref="ErrorClass.Unreachable"/> or <see cref="ErrorClass.NotStarted"/>), or the
    /// exit code of the reasons of the failed scenarios and searches: an interruption first, then a definite failure (1),
    /// then an invalid run (6), then a verdict left unknown (5). A failure the run did prove outranks both: a threshold
    /// missed on distorted figures still fails the run, since a CI job must not go green or merely "invalid" on a missed
    /// threshold; both reasons are listed, so a reader sees that the figures may be partly Gauntlet's.
    /// Invalid outranks unknown: a verifier that could not judge might judge on a second run, but an invalid run must be
    /// run again with more of Gauntlet or less load whatever the verifier says, and 5 alone would hide that.
    /// </summary>
    public static int Of(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Interrupted) return Interrupted;
        if (result.Passed) return Passed;
        foreach (var scenario in result.Scenarios)
            if (NeverReached(scenario) is { } errorClass) return For(errorClass);
        var reasons = result.Scenarios.Where(s => s.Verdict != Verdict.Passed).SelectMany(s => s.Reasons)
            .Concat((result.Searches ?? []).Where(s => !s.Passed).SelectMany(s => s.Reasons));
        // A regression against the baseline has no reason of its own in a scenario; it fails the run as a missed threshold does.
        var codes = reasons.Select(r => For(r.Code)).ToHashSet();
        if (codes.Contains(Interrupted)) return Interrupted;
        if (codes.Count == 0 || codes.Any(c => c is not (Invalid or VerdictUnknown)) || result.Baseline is { Regressed: true }) return Failed;
        return codes.Contains(Invalid) ? Invalid : VerdictUnknown;
    }

    /// <summary>The exit code a run gets when every operation of one of its scenarios failed with an error of <paramref name="errorClass"/>.</summary>
    public static int For(ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.Reached => Failed,
        ErrorClass.Unreachable or ErrorClass.NotStarted => TargetUnreachable,
    };

    /// <summary>The exit code of a run that failed for <paramref name="code"/>.</summary>
    public static int For(ReasonCode code) => code switch
    {
        ReasonCode.Interrupted => Interrupted,
        ReasonCode.VerifierNotJudged => VerdictUnknown,
        ReasonCode.GeneratorLimited => Invalid,
        ReasonCode.Unclassified or ReasonCode.ThresholdMissed or ReasonCode.ThresholdNotJudged or ReasonCode.VerifierFailed
            or ReasonCode.Hung or ReasonCode.DeadlineReached or ReasonCode.NothingStarted
            or ReasonCode.NothingSucceeded or ReasonCode.AgentsNotStarted or ReasonCode.RecoveryFailed or ReasonCode.AccountingBroken
            or ReasonCode.RequirementMissed or ReasonCode.Skipped or ReasonCode.InvalidProbe or ReasonCode.Crashed
            or ReasonCode.TimedOut => Failed,
        ReasonCode.Aborted => Failed,
    };

    /// <summary>
    /// The class shared by every error of a scenario none of whose operations reached its target (no ok, every
    /// completed operation an error of a class other than <see cref="ErrorClass.Reached"/>); null when some did.
    /// </summary>
    private static ErrorClass? NeverReached(ScenarioResult s)
    {
        if (s.Counts is not { Ok: 0, Completed: > 0 } || s.Errors.Count == 0) return null;
        if (s.Errors.Any(e => e.Class == ErrorClass.Reached) || s.Errors.Sum(e => e.Count) != s.Counts.Completed) return null;
        return s.Errors[0].Class;
    }
}
