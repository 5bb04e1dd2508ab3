namespace Gauntlet.Scenarios;

/// <summary>
/// What an operation knows about itself. One instance per worker is reused for every operation
/// that worker runs, so an operation must not keep a reference to it after it completes.
/// </summary>
public sealed class OperationContext
{
    private readonly IWorkerPosition _position;

    // The iteration and id live in the engine's worker slot, which is padded against false sharing: contexts of
    // neighbouring workers are allocated side by side, and writing them per operation cost a quarter of the
    // engine's throughput with two workers. The context reads them only when the operation asks.
    internal OperationContext(int workerId, IWorkerPosition position)
    {
        _position = position;
        WorkerId = workerId;
    }

    /// <summary>The worker (virtual user, in-flight slot) running this operation, from 0.</summary>
    public int WorkerId { get; }

    /// <summary>The iteration number: per worker in a closed model, global in shared-iteration and open models, from 0.</summary>
    public long Iteration => _position.Iteration;

    /// <summary>An id unique to this operation within the scenario run, from 1.</summary>
    public long OperationId => _position.OperationId;

    /// <summary>Cancelled when the per-operation timeout elapses, or when work still in flight is cut off at the end of the scenario (after the grace period, a hang or the deadline).</summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>
    /// For the history, when the scenario records one (it has a verifier): what this operation does to
    /// <see cref="Value"/>, e.g. <c>write</c>, <c>add</c>, <c>read</c>, <c>enqueue</c> (see <c>Gauntlet.Results.HistoryFunction</c>).
    /// Reset to null before each operation; an operation that sets none is recorded as <c>op</c>.
    /// </summary>
    public string? Function { get; set; }

    /// <summary>
    /// For the history: the value this operation writes, adds, reads or queues. Set it before the effect can happen (a
    /// write's value before sending it), so that an operation cut off mid-way is still recorded with its value.
    /// Reset to null before each operation.
    /// </summary>
    public string? Value { get; set; }

    /// <summary>
    /// Set by a history label that reads the operation's output (<c>history: { value: { regex: ... } }</c>): the
    /// operation should leave what it received in <see cref="Output"/>. Only operations with output do (a process's
    /// standard output).
    /// </summary>
    internal bool KeepsOutput { get; set; }

    /// <summary>What the operation received, when <see cref="KeepsOutput"/> asked for it (even when it failed, timed out or was killed: what arrived until then).</summary>
    internal string? Output { get; set; }

    /// <summary>Free for the operation's own per-worker state (a connection, a buffer), kept across its operations.</summary>
    public object? WorkerState { get; set; }
}

/// <summary>Where a worker is in its run; the engine's worker slot keeps it, so the scenario model does not know the engine.</summary>
internal interface IWorkerPosition
{
    /// <summary>The iteration number of the operation the worker runs now.</summary>
    long Iteration { get; }

    /// <summary>The id of the operation the worker runs now, from 1.</summary>
    long OperationId { get; }
}
