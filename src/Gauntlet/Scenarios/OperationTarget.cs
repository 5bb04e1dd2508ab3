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
