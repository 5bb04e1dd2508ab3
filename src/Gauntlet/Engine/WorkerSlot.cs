using System.Runtime.InteropServices;
using Gauntlet.Scenarios;

namespace Gauntlet.Engine;

/// <summary>
/// One worker's state: its reusable <see cref="OperationContext"/>, its counters and what it is doing now.
/// The worker is the only writer of its counters; the collector and the watchdog read them.
/// </summary>
/// <remarks>
/// Each operation moves the slot Idle → Starting → Running → Recording → Idle; Starting and Recording are the
/// nanoseconds in which the worker updates its counters. At the end of a scenario the engine seals
/// every slot: Idle → Sealed, Running → CutOff. Whoever wins the compare-and-swap on a running operation
/// decides its fate, so an operation is either recorded by its worker or counted as cut off, never both,
/// never neither. The seal waits out Starting and Recording, so the counters it reads afterwards are final.
/// </remarks>
internal sealed class WorkerSlot : IWorkerPosition
{
    public const int Idle = 0, Starting = 1, Running = 2, Recording = 3, Sealed = 4, CutOff = 5;

    private Hot _hot;

    public WorkerSlot(int id, int shard) : this(id, id, shard)
    {
    }

    /// <summary>Slot <paramref name="id"/> of this run, worker <paramref name="globalId"/> of the whole scenario (they differ in a segment).</summary>
    public WorkerSlot(int id, int globalId, int shard)
    {
        Id = id;
        GlobalId = globalId;
        Shard = shard;
        Context = new OperationContext(globalId, this);
    }

    /// <summary>The slot's index in this run's slots.</summary>
    public int Id { get; }

    /// <summary>
    /// The worker's number in the whole scenario: <see cref="Id"/> in a whole run, the segment's dealt number in a
    /// segment (<see cref="Scenarios.Segment.GlobalOf(int)"/>). Operations, histories and agents see this one.
    /// </summary>
    public int GlobalId { get; }
    public int Shard { get; }
    public OperationContext Context { get; }

    /// <summary>Per-operation timeout source, linked to the scenario's abort token; reused while it is not cancelled.</summary>
    public CancellationTokenSource? TimeoutSource { get; set; }

    public int State => Volatile.Read(ref _hot.State);
    public long Started => Volatile.Read(ref _hot.Started);
    public long Ok => Volatile.Read(ref _hot.Ok);
    public long Failed => Volatile.Read(ref _hot.Failed);
    public long TimedOut => Volatile.Read(ref _hot.TimedOut);
    public long Crashed => Volatile.Read(ref _hot.Crashed);
    public long Completed => Ok + Failed + TimedOut + Crashed;

    /// <summary>Failed operations whose process could not be started (<see cref="Outcome.IsSpawnFailure"/>).</summary>
    public long SpawnFailures => Volatile.Read(ref _hot.SpawnFailures);

    /// <summary>True once an injected fault retired this worker (an agent killed without restart): it starts no more operations.</summary>
    public bool Retired
    {
        get => Volatile.Read(ref _hot.Retired);
        set => Volatile.Write(ref _hot.Retired, value);
    }
    public long OperationStartTicks => Volatile.Read(ref _hot.OperationStart);
    public long OperationId => Volatile.Read(ref _hot.OperationId);
    public long Iteration => Volatile.Read(ref _hot.Iteration);

    /// <summary>When the worker was actually released (barrier start), in clock ticks; 0 before.</summary>
    public long ReleasedAt
    {
        get => Volatile.Read(ref _hot.ReleasedAt);
        set => Volatile.Write(ref _hot.ReleasedAt, value);
    }

    /// <summary>Idle → Running, counting the start; false once the slot is sealed.</summary>
    public bool TryBegin(long operationId, long iteration, long startTicks)
    {
        // Written before the state flips so the watchdog never sees a running slot with stale details.
        Volatile.Write(ref _hot.OperationId, operationId);
        Volatile.Write(ref _hot.Iteration, iteration);
        Volatile.Write(ref _hot.OperationStart, startTicks);
        if (Interlocked.CompareExchange(ref _hot.State, Starting, Idle) != Idle) return false;
        Volatile.Write(ref _hot.Started, _hot.Started + 1);
        Volatile.Write(ref _hot.State, Running);
        return true;
    }

    /// <summary>Running → Recording; false when the engine already counted this operation as cut off.</summary>
    public bool TryEnd() => Interlocked.CompareExchange(ref _hot.State, Recording, Running) == Running;

    /// <summary>Counts the outcome and returns to Idle. Only after a successful <see cref="TryEnd"/>.</summary>
    public void Finish(in Outcome outcome)
    {
        var status = outcome.Status;
        switch (status)
        {
            case OutcomeStatus.Ok: Volatile.Write(ref _hot.Ok, _hot.Ok + 1); break;
            case OutcomeStatus.Failed:
                if (outcome.IsSpawnFailure) Volatile.Write(ref _hot.SpawnFailures, _hot.SpawnFailures + 1);
                Volatile.Write(ref _hot.Failed, _hot.Failed + 1);
                break;
            case OutcomeStatus.TimedOut: Volatile.Write(ref _hot.TimedOut, _hot.TimedOut + 1); break;
            case OutcomeStatus.Crashed: Volatile.Write(ref _hot.Crashed, _hot.Crashed + 1); break;
            default: throw new ArgumentOutOfRangeException(nameof(status), status, "unknown outcome status");
        }
        Volatile.Write(ref _hot.State, Idle);
    }

    /// <summary>
    /// Ends the slot for good. Returns true when an operation was running (it is now cut off).
    /// Spins while the worker is updating its counters, which takes nanoseconds.
    /// </summary>
    public bool Seal()
    {
        var spinner = new SpinWait();
        while (true)
        {
            switch (Volatile.Read(ref _hot.State))
            {
                case Idle:
                    if (Interlocked.CompareExchange(ref _hot.State, Sealed, Idle) == Idle) return false;
                    break;
                case Running:
                    if (Interlocked.CompareExchange(ref _hot.State, CutOff, Running) == Running) return true;
                    break;
                case Starting:
                case Recording:
                    spinner.SpinOnce();
                    break;
                case Sealed:
                case CutOff:
                    return false;
            }
        }
    }

    /// <summary>
    /// The counters and the state the worker writes on every operation, padded so that two workers' slots
    /// never share a cache line (false sharing would cost more than the whole bookkeeping).
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 208)]
    private struct Hot
    {
        [FieldOffset(64)] public int State;
        [FieldOffset(72)] public long Started;
        [FieldOffset(80)] public long Ok;
        [FieldOffset(88)] public long Failed;
        [FieldOffset(96)] public long TimedOut;
        [FieldOffset(104)] public long Crashed;
        [FieldOffset(112)] public long OperationStart;
        [FieldOffset(120)] public long OperationId;
        [FieldOffset(128)] public long Iteration;
        [FieldOffset(136)] public long ReleasedAt;
        [FieldOffset(144)] public long SpawnFailures;
        [FieldOffset(152)] public bool Retired;
    }
}
