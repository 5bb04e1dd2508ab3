namespace Gauntlet.Results;

/// <summary>
/// Why a history is not linearizable, as the <c>linearizable</c> verifier found it: the failing window (the
/// operation that no order could complete in time, and every operation that overlaps it and was still open when the
/// longest linearizable prefix ran out), and the end of that prefix with the model's state after each step.
/// </summary>
public sealed record LinearizabilityCounterexample
{
    /// <summary>The model checked: <c>register</c>, <c>kv</c>, <c>set</c>, <c>queue</c>, or a custom model's name.</summary>
    public required string Model { get; init; }

    /// <summary>The key (the independent part) the violation is in; null when the model has one part.</summary>
    public string? Key { get; init; }

    /// <summary>What the times count: <c>microseconds</c> from the scenario's start, or <c>event</c> (the position in a log without times).</summary>
    public required string TimeUnit { get; init; }

    /// <summary>The operation no linearization could complete: its completion came before any order could explain its result.</summary>
    public long StuckOperation { get; init; }

    /// <summary>The operations of the failing window, by invocation.</summary>
    public required IReadOnlyList<CounterexampleOperation> Operations { get; init; }

    /// <summary>Operations in the longest linearizable prefix found.</summary>
    public long PrefixLength { get; init; }

    /// <summary>The last steps of that prefix (up to <see cref="MaxPrefixSteps"/>), in linearization order, each with the state after it.</summary>
    public required IReadOnlyList<LinearizedStep> Prefix { get; init; }

    /// <summary>Operations of the key (or of the history) the search looked at.</summary>
    public long KeyOperations { get; init; }

    /// <summary>Steps of the prefix kept in <see cref="Prefix"/>.</summary>
    public const int MaxPrefixSteps = 12;
}

/// <summary>One operation of a counterexample's window.</summary>
/// <param name="Id">The operation's id in the history.</param>
/// <param name="Worker">The worker (client, process) that ran it.</param>
/// <param name="Function">What it did: <c>read</c>, <c>write</c>, <c>cas</c>, ...</param>
/// <param name="Value">Its value as recorded.</param>
/// <param name="Invoke">When it started (<see cref="LinearizabilityCounterexample.TimeUnit"/>).</param>
/// <param name="Complete">When it completed; null when its outcome is unknown (it may take effect at any later time).</param>
/// <param name="Position">Its place (from 1) in the longest linearizable prefix; null when it is not in it.</param>
public sealed record CounterexampleOperation(long Id, int Worker, string Function, string? Value, long Invoke, long? Complete, long? Position);

/// <summary>One step of a linearization: the operation and the model's state after it.</summary>
public sealed record LinearizedStep(long Position, long Id, int Worker, string Function, string? Value, string State);
