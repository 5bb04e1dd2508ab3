namespace Gauntlet.Results;

/// <summary>
/// What is known of an operation's effect on the target. <see cref="Indeterminate"/> is the honest answer for an
/// operation that timed out, crashed or was cut off: it may or may not have taken effect, so a verifier must accept
/// either, and never counts it as acknowledged or as failed.
/// </summary>
public enum HistoryOutcome
{
    /// <summary>The target acknowledged the operation: its effect must be visible.</summary>
    Ok,

    /// <summary>The target said no: the operation took no effect.</summary>
    Failed,

    /// <summary>Unknown: timed out, crashed, or cut off at the end of the scenario.</summary>
    Indeterminate,
}

/// <summary>The usual values of <see cref="HistoryEntry.Function"/>; any other name works with a verifier told to use it.</summary>
public static class HistoryFunction
{
    /// <summary>The operation wrote (added to a set) its value. The <c>set</c> verifier's default.</summary>
    public const string Write = "write";

    /// <summary>The operation added its value (an integer, 1 when absent) to a counter. The <c>counter</c> verifier's default.</summary>
    public const string Add = "add";

    /// <summary>The operation read a value, or was handed one by the target. The <c>unique-ids</c> verifier's default.</summary>
    public const string Read = "read";

    /// <summary>The operation put its value on a queue.</summary>
    public const string Enqueue = "enqueue";

    /// <summary>The operation took its value off a queue.</summary>
    public const string Dequeue = "dequeue";

    /// <summary>The operation compared a register with its value's first element and, when equal, set it to the second: <c>[OLD NEW]</c>.</summary>
    public const string CompareAndSet = "cas";

    /// <summary>The operation removed its value from a set.</summary>
    public const string Remove = "remove";
}

/// <summary>
/// One operation in a scenario's history: which worker ran it, what it did to which value, when it was invoked and
/// completed (microseconds from the scenario's start), and what is known of its effect. A value type: the engine
/// records one per operation without allocating.
/// </summary>
/// <param name="Id">The operation's id, unique within the scenario.</param>
/// <param name="Worker">The worker (agent) that ran it.</param>
/// <param name="Function">What it did: <see cref="HistoryFunction"/> names, or the operation's own.</param>
/// <param name="Value">The value it wrote, added, read or queued; null when it had none.</param>
/// <param name="InvokeMicros">When it started, from the scenario's start.</param>
/// <param name="CompleteMicros">When its outcome was known, from the scenario's start; for a cut-off operation, when it was cut off.</param>
/// <param name="Outcome">What is known of its effect.</param>
/// <param name="Error">The error kind when it failed or is indeterminate (timed_out, crashed, cut_off, or the failure's kind).</param>
public readonly record struct HistoryEntry(long Id, int Worker, string Function, string? Value, long InvokeMicros, long CompleteMicros, HistoryOutcome Outcome, string? Error)
{
    /// <summary>The prefix of an injected fault's function: <c>fault:kill</c>, <c>fault:interrupt</c>, <c>fault:pause</c>.</summary>
    public const string FaultPrefix = "fault:";

    /// <summary>
    /// An injected fault, as a history line beside the operations: id 0 (operation ids start at 1), the agent it hit as
    /// the worker, <c>fault:ACTION</c> as the function, what it hit as the value, and its span (a pause's start and end).
    /// </summary>
    public static HistoryEntry Fault(int agent, string action, string detail, long atMicros, long untilMicros) =>
        new(0, agent, FaultPrefix + action, detail, atMicros, untilMicros, HistoryOutcome.Ok, null);

    /// <summary>True for an injected fault rather than an operation.</summary>
    public bool IsFault => Id == 0 && Function.StartsWith(FaultPrefix, StringComparison.Ordinal);
}
