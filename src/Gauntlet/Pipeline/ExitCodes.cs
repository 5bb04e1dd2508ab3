using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.Tcp;

namespace Gauntlet.Pipeline;

/// <summary>The exit codes of every command, and the one rule that turns a result into one: a contract CI scripts rely on.</summary>
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

    /// <summary>Interrupted (Ctrl-C, SIGTERM); a partial result was still written.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// The exit code of a run: interrupted, passed, the target never reached (a scenario whose every operation failed
    /// to connect or to start its process), or failed.
    /// </summary>
    public static int Of(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Interrupted ? Interrupted
            : result.Passed ? Passed
            : result.Scenarios.Any(NeverReached) ? TargetUnreachable
            : Failed;
    }

    /// <summary>Every operation of the scenario failed before reaching its target: refused, timed out connecting, or its process could not start.</summary>
    private static bool NeverReached(ScenarioResult s) =>
        s.Counts is { Ok: 0, Completed: > 0 } && s.Errors.Count > 0
        && s.Errors.All(e => IsUnreachable(e.Kind))
        && s.Errors.Sum(e => e.Count) == s.Counts.Completed;

    private static bool IsUnreachable(string kind) =>
        kind.StartsWith(Outcome.SpawnFailedPrefix, StringComparison.Ordinal)
        || HttpErrors.UnreachableKinds.Contains(kind)
        || kind is TcpErrorKinds.Refused or TcpErrorKinds.ConnectTimeout or TcpErrorKinds.Unreachable;
}
