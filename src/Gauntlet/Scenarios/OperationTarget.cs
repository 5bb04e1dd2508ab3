namespace Gauntlet.Scenarios;

/// <summary>
/// Implemented by an operation that wraps another (labelling it for the history, say), so that what the inner
/// operation's object offers the engine (<see cref="IOperationLifecycle"/>, <see cref="IAgentProcesses"/>) is still found.
/// </summary>
public interface IWrapsOperation
{
    /// <summary>The wrapped operation.</summary>
    Func<OperationContext, ValueTask<Outcome>> Inner { get; }
}

/// <summary>Finds what the object behind an operation delegate offers the engine, through any wrappers.</summary>
public static class OperationTarget
{
    /// <summary>The first object of type <typeparamref name="T"/> behind <paramref name="operation"/> or the operations it wraps; null when none is.</summary>
    public static T? Find<T>(Func<OperationContext, ValueTask<Outcome>>? operation) where T : class
    {
        // Bounded: a wrapper that wraps itself would otherwise loop forever.
        for (var depth = 0; operation is not null && depth < 16; depth++)
        {
            if (operation.Target is T found) return found;
            operation = (operation.Target as IWrapsOperation)?.Inner;
        }
        return null;
    }
}

/// <summary>
/// Labels each operation for the history before running it: what it does (<see cref="OperationContext.Function"/>)
/// and to which value (<see cref="OperationContext.Value"/>). A wrapper the engine sees through, so a labelled process
/// operation can still be signalled by agent faults.
/// </summary>
public static class HistoryLabel
{
    /// <summary>
    /// <paramref name="operation"/>, with each run labelled <paramref name="function"/> and the value
    /// <paramref name="value"/> gives for it (none when null), e.g.
    /// <c>HistoryLabel.Wrap(store.Operation, "write", ctx =&gt; $"agent{ctx.WorkerId}-{ctx.Iteration}")</c>.
    /// </summary>
    public static Func<OperationContext, ValueTask<Outcome>> Wrap(Func<OperationContext, ValueTask<Outcome>> operation, string function, Func<OperationContext, string?>? value = null) =>
        new Labelled(operation, function, value).InvokeAsync;

    private sealed class Labelled(Func<OperationContext, ValueTask<Outcome>> inner, string function, Func<OperationContext, string?>? value) : IWrapsOperation
    {
        public Func<OperationContext, ValueTask<Outcome>> Inner => inner;

        public ValueTask<Outcome> InvokeAsync(OperationContext context)
        {
            context.Function = function;
            if (value is not null) context.Value = value(context);
            return inner(context);
        }
    }
}
