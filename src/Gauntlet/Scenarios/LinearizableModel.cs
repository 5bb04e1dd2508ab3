namespace Gauntlet.Scenarios;

/// <summary>
/// The sequential object a <see cref="Verifier.Linearizable"/> verifier checks the history against: what each
/// operation does to the state and which results it may return. Built in: <see cref="Register"/>,
/// <see cref="KeyValue"/>, <see cref="Set"/> and <see cref="Queue"/>; <see cref="Create{TState}"/> makes one of yours.
/// A model is a declaration; the verification layer does the checking.
/// </summary>
public abstract class LinearizableModel
{
    private protected LinearizableModel(string name) => Name = name;

    /// <summary>The model's name in results and messages: <c>register</c>, <c>kv</c>, <c>set</c>, <c>queue</c>, or yours.</summary>
    public string Name { get; }

    /// <summary>
    /// One register, initially nil: <c>read</c> (value: what was read, null or <c>nil</c> for nil), <c>write</c> (value:
    /// what was written) and <c>cas</c> (value: <c>[OLD NEW]</c>; ok means it swapped).
    /// </summary>
    public static LinearizableModel Register { get; } = new BuiltinLinearizableModel(BuiltinModelKind.Register);

    /// <summary>
    /// A map of independent registers, checked key by key: <c>read</c> <c>[KEY VALUE]</c>, <c>write</c> <c>[KEY VALUE]</c>,
    /// <c>cas</c> <c>[KEY [OLD NEW]]</c>.
    /// </summary>
    public static LinearizableModel KeyValue { get; } = new BuiltinLinearizableModel(BuiltinModelKind.KeyValue);

    /// <summary>A set, initially empty: <c>add</c> (value: the element), <c>remove</c> (the element), <c>read</c> (every element: <c>[A B C]</c>, in any order).</summary>
    public static LinearizableModel Set { get; } = new BuiltinLinearizableModel(BuiltinModelKind.Set);

    /// <summary>A FIFO queue, initially empty: <c>enqueue</c> (value: the element), <c>dequeue</c> (value: the element taken, null or <c>nil</c> when it was empty).</summary>
    public static LinearizableModel Queue { get; } = new BuiltinLinearizableModel(BuiltinModelKind.Queue);

    /// <summary>The built-in models, by name.</summary>
    public static IReadOnlyList<LinearizableModel> BuiltIn { get; } = [Register, KeyValue, Set, Queue];

    /// <summary>
    /// A model of your own. <paramref name="step"/> applies one operation to a state: it returns false when the
    /// operation could not have returned what it did in that state, and otherwise the state after it. An operation
    /// whose outcome is unknown (<see cref="LinearizableOperation.Indeterminate"/>) has no result to check: the step
    /// should accept it and apply its effect (the checker also tries it never taking effect). States must be
    /// immutable values: the checker keeps them to backtrack and compares them with <paramref name="comparer"/>
    /// (equality and hash; the default comparer when null) to skip states it has already seen.
    /// <paramref name="partition"/>, when given, names each operation's independent part (a key): parts are checked
    /// separately, which is much faster when it holds.
    /// </summary>
    public static LinearizableModel Create<TState>(string name, TState initial, LinearizableStep<TState> step,
        IEqualityComparer<TState>? comparer = null, Func<LinearizableOperation, string?>? partition = null)
        where TState : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(step);
        return new CustomLinearizableModel<TState>(name, initial, step, comparer ?? EqualityComparer<TState>.Default, partition);
    }

    /// <summary>The built-in model named <paramref name="name"/>, or null.</summary>
    internal static LinearizableModel? Find(string name)
    {
        foreach (var model in BuiltIn)
            if (model.Name == name) return model;
        return null;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Applies <paramref name="operation"/> to <paramref name="state"/>: false when it could not have returned what it did; otherwise <paramref name="next"/> is the state after it.</summary>
public delegate bool LinearizableStep<TState>(TState state, LinearizableOperation operation, out TState next);

/// <summary>
/// One operation as a custom <see cref="LinearizableModel"/> sees it: the history entry's function and value, and
/// whether its outcome is unknown (timed out, crashed, cut off), in which case its value holds only what it was given,
/// not what it returned.
/// </summary>
/// <param name="Function">What it did: <c>read</c>, <c>write</c>, ... as recorded.</param>
/// <param name="Value">Its value as recorded; null when it had none.</param>
/// <param name="Indeterminate">True when it may or may not have taken effect.</param>
public readonly record struct LinearizableOperation(string Function, string? Value, bool Indeterminate);

internal enum BuiltinModelKind
{
    Register,
    KeyValue,
    Set,
    Queue,
}

internal sealed class BuiltinLinearizableModel(BuiltinModelKind kind) : LinearizableModel(kind switch
{
    BuiltinModelKind.Register => "register",
    BuiltinModelKind.KeyValue => "kv",
    BuiltinModelKind.Set => "set",
    BuiltinModelKind.Queue => "queue",
    _ => throw new ArgumentOutOfRangeException(nameof(kind)),
})
{
    public BuiltinModelKind Kind { get; } = kind;
}

/// <summary>Something that runs a custom model with its state type known (the checker is generic over it).</summary>
internal interface ICustomModelVisitor<out TResult>
{
    TResult Visit<TState>(CustomLinearizableModel<TState> model) where TState : notnull;
}

internal abstract class CustomLinearizableModel(string name) : LinearizableModel(name)
{
    public abstract TResult Accept<TResult>(ICustomModelVisitor<TResult> visitor);

    public abstract Func<LinearizableOperation, string?>? Partition { get; }
}

internal sealed class CustomLinearizableModel<TState>(string name, TState initial, LinearizableStep<TState> step,
    IEqualityComparer<TState> comparer, Func<LinearizableOperation, string?>? partition) : CustomLinearizableModel(name)
    where TState : notnull
{
    public TState Initial { get; } = initial;
    public LinearizableStep<TState> Step { get; } = step;
    public IEqualityComparer<TState> Comparer { get; } = comparer;
    public override Func<LinearizableOperation, string?>? Partition { get; } = partition;

    public override TResult Accept<TResult>(ICustomModelVisitor<TResult> visitor) => visitor.Visit(this);
}
