namespace Gauntlet.Results;

/// <summary>
/// Why a scenario, a search or a probe did not pass. A closed set that every output spells the same way: reports show
/// the message, result.json and JUnit carry the code, and the exit code is derived from the code, never the message.
/// </summary>
public enum ReasonCode
{
    /// <summary>A reason read from a result written before reasons had codes (schemaVersion 1).</summary>
    Unclassified,

    /// <summary>The run was cancelled (Ctrl-C, SIGTERM) before it finished.</summary>
    Interrupted,

    /// <summary>A threshold was measured and missed.</summary>
    ThresholdMissed,

    /// <summary>A threshold's metric was not measured (or not a number), so it could not be judged; it fails.</summary>
    ThresholdNotJudged,

    /// <summary>A verifier found lost, duplicated, unexpected or reordered items.</summary>
    VerifierFailed,

    /// <summary>A verifier could not judge: its final read failed or timed out; it fails.</summary>
    VerifierNotJudged,

    /// <summary>No operation completed for too long while some were in flight (the watchdog's hang).</summary>
    Hung,

    /// <summary>The scenario's deadline ended it before it finished.</summary>
    DeadlineReached,

    /// <summary>No operation started.</summary>
    NothingStarted,

    /// <summary>No operation succeeded, and no threshold says that is expected.</summary>
    NothingSucceeded,

    /// <summary>Agents never started their process.</summary>
    AgentsNotStarted,

    /// <summary>The recovery step run before the verifiers failed.</summary>
    RecoveryFailed,

    /// <summary>started != ok + failed + timed out + crashed + cut off, or the history missed operations: a Gauntlet bug.</summary>
    AccountingBroken,

    /// <summary>A search's required value did not pass.</summary>
    RequirementMissed,

    /// <summary>A search was skipped: the process runs a probe of another search.</summary>
    Skipped,

    /// <summary>A probe's scenario could not be built at its value, or its process found it invalid.</summary>
    InvalidProbe,

    /// <summary>A probe's process crashed, could not start, or wrote no readable result.</summary>
    Crashed,

    /// <summary>A probe's process outlived its timeout and was killed.</summary>
    TimedOut,

    /// <summary>A threshold watched live (<c>abort:</c>) failed, so the scenario stopped issuing early; the result is partial.</summary>
    Aborted,
    /// <summary>
    /// The load generator, not the target, limited the run beyond the scenario's validity tolerances (dropped arrivals,
    /// late starts, Gauntlet's own CPU): the scenario is <see cref="Verdict.Invalid"/> unless something else failed it.
    /// </summary>
    GeneratorLimited,
}

/// <summary>One reason for a verdict: its <see cref="ReasonCode"/> and the sentence a report shows.</summary>
/// <param name="Code">What kind of reason this is; the exit code and JUnit's failure type come from it.</param>
/// <param name="Message">The sentence shown to a person, e.g. <c>threshold 'p99 &lt; 50ms' failed: actual 61ms</c>.</param>
public sealed record VerdictReason(ReasonCode Code, string Message)
{
    /// <summary>The message, as reports print it.</summary>
    public override string ToString() => Message;
}
