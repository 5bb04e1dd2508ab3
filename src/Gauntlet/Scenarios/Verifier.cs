using Gauntlet.Results;

namespace Gauntlet.Scenarios;

/// <summary>
/// An end-of-run integrity check: it reads the scenario's history (one entry per started operation, see
/// <see cref="HistoryEntry"/>) and, for most kinds, a final read of the target's state, and reports what was lost,
/// duplicated, unexpected, recovered or reordered. A scenario with a verifier records its history; a verifier that
/// finds a problem fails the scenario, and its counts can be named in thresholds (<c>lost == 0</c>).
/// </summary>
public sealed class Verifier
{
    private Verifier(string kind, string? name, VerifierCheck check)
    {
        Kind = kind;
        Name = string.IsNullOrWhiteSpace(name) ? kind : name;
        Check = check;
    }

    /// <summary>The verifier's name in results: its kind unless another was given.</summary>
    public string Name { get; }

    /// <summary><c>set</c>, <c>counter</c>, <c>unique-ids</c>, <c>queue</c> or <c>linearizable</c>.</summary>
    public string Kind { get; }

    /// <summary>How long the final read may take before the verifier gives up (and fails). Default 30 s.</summary>
    public TimeSpan FinalReadTimeout { get; private init; } = TimeSpan.FromSeconds(30);

    /// <summary>A copy whose final read may take up to <paramref name="timeout"/>.</summary>
    public Verifier WithFinalReadTimeout(TimeSpan timeout) => new(Kind, Name, Check) { FinalReadTimeout = timeout, ReadsHistory = ReadsHistory };

    /// <summary>
    /// True when the verifier reads the scenario's history (and so makes the run record it); false when the scenario's
    /// operations feed it as they run (the stress kit's channel patterns).
    /// </summary>
    public bool ReadsHistory { get; private init; } = true;

    /// <summary>What to check; the verification layer does the checking.</summary>
    internal VerifierCheck Check { get; }

    /// <summary>
    /// Every value acknowledged as written (entries of <paramref name="function"/>, ok) must be in the final state that
    /// <paramref name="finalRead"/> returns, exactly once. Reports ok, lost (acknowledged but missing), duplicated
    /// (present more than once), unexpected (present but never attempted) and recovered (failed or indeterminate, but
    /// present: allowed). Passes when nothing is lost, duplicated or unexpected.
    /// </summary>
    public static Verifier Set(Func<CancellationToken, Task<IEnumerable<string>>> finalRead, string function = HistoryFunction.Write, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(finalRead);
        return new Verifier("set", name, new SetCheck(finalRead, function));
    }

    /// <summary>
    /// The counter that <paramref name="finalRead"/> returns must lie between the sum of the acknowledged increments
    /// (entries of <paramref name="function"/>, ok; the value is the increment, 1 when absent) and that sum plus the
    /// indeterminate ones. Below is <c>lost</c>, above is <c>unexpected</c>.
    /// </summary>
    public static Verifier Counter(Func<CancellationToken, Task<long>> finalRead, string function = HistoryFunction.Add, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(finalRead);
        return new Verifier("counter", name, new CounterCheck(finalRead, function));
    }

    /// <summary>No two operations were handed the same id by the target: the values of ok entries of <paramref name="function"/> are unique.</summary>
    public static Verifier UniqueIds(string function = HistoryFunction.Read, string? name = null) =>
        new("unique-ids", name, new UniqueIdsCheck(function));

    /// <summary>
    /// Every value enqueued (ok) is dequeued exactly once, and each consumer sees each producer's values in the order
    /// they were enqueued. With <paramref name="drained"/> false, values still queued at the end are not counted as lost.
    /// </summary>
    public static Verifier Queue(string enqueue = HistoryFunction.Enqueue, string dequeue = HistoryFunction.Dequeue, bool drained = true, string? name = null) =>
        new("queue", name, new QueueCheck(enqueue, dequeue, drained));

    /// <summary>
    /// What concurrent clients saw must be explainable by one order of the operations, each taking effect at one
    /// instant between its invocation and its completion, in which <paramref name="model"/> gives every result seen
    /// (linearizability). Catches stale reads, writes that became visible and then vanished, and compare-and-sets that
    /// succeeded twice. Indeterminate operations may take effect at any instant after their start, or never; failed
    /// ones never did. When the check takes longer than <paramref name="timeLimit"/> (default
    /// <see cref="DefaultLinearizabilityTimeLimit"/>) the verdict is unknown, never a pass.
    /// </summary>
    public static Verifier Linearizable(LinearizableModel model, TimeSpan? timeLimit = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var limit = timeLimit ?? DefaultLinearizabilityTimeLimit;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeLimit));
        return new Verifier("linearizable", name, new LinearizableCheck(model, limit));
    }

    /// <summary>How long a <see cref="Linearizable"/> check may search before its verdict is unknown: 60 s.</summary>
    public static readonly TimeSpan DefaultLinearizabilityTimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A verifier fed by the scenario's operations rather than the history: the channel patterns check millions of
    /// items a second, one bit each, where a history line per item would cost more than the transfer. <paramref name="finish"/>
    /// writes the result from what the operations recorded, given the verifier's name and kind.
    /// </summary>
    internal static Verifier Fed(string kind, Func<string, string, VerificationResult> finish, string? name = null) =>
        new(kind, name, new FedCheck(finish)) { ReadsHistory = false };
}

/// <summary>What a <see cref="Verifier"/> checks, as data: the verification layer maps each kind to its checker.</summary>
internal abstract record VerifierCheck;

internal sealed record SetCheck(Func<CancellationToken, Task<IEnumerable<string>>> FinalRead, string Function) : VerifierCheck;

internal sealed record CounterCheck(Func<CancellationToken, Task<long>> FinalRead, string Function) : VerifierCheck;

internal sealed record UniqueIdsCheck(string Function) : VerifierCheck;

internal sealed record QueueCheck(string Enqueue, string Dequeue, bool Drained) : VerifierCheck;

internal sealed record LinearizableCheck(LinearizableModel Model, TimeSpan TimeLimit) : VerifierCheck;

internal sealed record FedCheck(Func<string, string, VerificationResult> Finish) : VerifierCheck;
