namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// One independent part of a history (a key of the key-value model, or the whole history), its operations in the
/// model's own form, ready to search.
/// </summary>
internal abstract class Partition(string? key, List<HistoryOperation> operations)
{
    /// <summary>The key; null for a model with one part.</summary>
    public string? Key { get; } = key;

    /// <summary>The operations searched, index for index with the search's operation indices.</summary>
    public List<HistoryOperation> Operations { get; } = operations;

    public abstract SearchResult Search(CancellationToken cancellationToken);

    /// <summary>The model's state after each operation of <paramref name="order"/>, from the initial state.</summary>
    public abstract string[] States(int[] order);
}

internal sealed class Partition<TState, TOp, TModel>(string? key, List<HistoryOperation> operations, TModel model, TState initial, TOp[] ops)
    : Partition(key, operations)
    where TModel : ISequentialModel<TState, TOp>
{
    public override SearchResult Search(CancellationToken cancellationToken)
    {
        var invoke = new long[ops.Length];
        var complete = new long[ops.Length];
        for (var i = 0; i < ops.Length; i++)
        {
            invoke[i] = Operations[i].Invoke;
            complete[i] = Operations[i].Indeterminate ? long.MaxValue : Operations[i].Complete;
        }
        return SearchChecker.Check<TState, TOp, TModel>(model, initial, ops, invoke, complete, cancellationToken);
    }

    public override string[] States(int[] order)
    {
        var states = new string[order.Length];
        var state = initial;
        for (var i = 0; i < order.Length; i++)
        {
            if (model.Step(state, ops[order[i]], out var next)) state = next;
            states[i] = model.Describe(state);
        }
        return states;
    }
}
