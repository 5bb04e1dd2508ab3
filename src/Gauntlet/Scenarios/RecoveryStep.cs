namespace Gauntlet.Scenarios;

/// <summary>
/// The target's own check or repair, run once after the scenario's last operation has ended (or been cut off) and
/// before the verifiers read the target's state: <c>fsck</c>, a store's <c>check</c> command, a replay of its journal.
/// Its outcome is in the result; anything but ok fails the scenario, and the verifiers still run.
/// </summary>
/// <param name="Run">The step. Its token is cancelled at <see cref="Timeout"/>.</param>
public sealed record RecoveryStep(Func<CancellationToken, ValueTask<Outcome>> Run)
{
    /// <summary>How long the step may take; it is abandoned (and fails as timed out) after this plus a second. Default one minute.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>What it does, for reports: the command line, say.</summary>
    public string? Description { get; init; }
}
