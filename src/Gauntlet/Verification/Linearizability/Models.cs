namespace Gauntlet.Verification.Linearizability;

/// <summary>Values as small integers: the search compares and hashes ints, not strings. 0 is nil.</summary>
internal sealed class ValueTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = ["nil"];

    public int Id(HistoryValue value)
    {
        if (value.Atom is not { } atom) return 0;
        if (_ids.TryGetValue(atom, out var id)) return id;
        id = _names.Count;
        _ids[atom] = id;
        _names.Add(atom);
        return id;
    }

    public string Name(int id) => _names[id];
}

/// <summary>A state of element ids in an array (the set's, the queue's): compared, hashed and shown by its elements.</summary>
internal static class Elements
{
    public static bool Equal(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

    public static int Hash(int[] state)
    {
        var hash = new HashCode();
        foreach (var element in state) hash.Add(element);
        return hash.ToHashCode();
    }

    public static string Describe(int[] state, ValueTable values) => "[" + string.Join(" ", state.Select(values.Name)) + "]";
}

internal enum RegisterOpKind : byte
{
    Read,
    Write,
    Cas,
}

internal readonly record struct RegisterOp(RegisterOpKind Kind, int A, int B, bool Indeterminate);

/// <summary>One register (and each key of the key-value model): the state is the value's id, 0 for nil.</summary>
internal readonly struct RegisterModel(ValueTable values) : ISequentialModel<int, RegisterOp>
{
    public bool Step(int state, in RegisterOp op, out int next)
    {
        next = state;
        switch (op.Kind)
        {
            case RegisterOpKind.Read:
                return op.Indeterminate || state == op.A;
            case RegisterOpKind.Write:
                next = op.A;
                return true;
            default:
                if (state == op.A)
                {
                    next = op.B;
                    return true;
                }
                // A compare that did not match changes nothing: an indeterminate one may be that.
                return op.Indeterminate;
        }
    }

    public bool IsReadOnly(in RegisterOp op) => op.Kind == RegisterOpKind.Read;

    public bool Equals(int x, int y) => x == y;

    public int GetHashCode(int state) => state * -1640531535;

    public string Describe(int state) => values.Name(state);
}

internal enum SetOpKind : byte
{
    Add,
    Remove,
    Read,
}

internal readonly record struct SetOp(SetOpKind Kind, int Element, int[] Elements, bool Indeterminate);

/// <summary>A set: the state is its elements' ids, sorted, in an array never changed once made.</summary>
internal readonly struct SetModel(ValueTable values) : ISequentialModel<int[], SetOp>
{
    public bool Step(int[] state, in SetOp op, out int[] next)
    {
        next = state;
        var at = Array.BinarySearch(state, op.Element);
        switch (op.Kind)
        {
            case SetOpKind.Add:
                if (at < 0)
                {
                    at = ~at;
                    next = new int[state.Length + 1];
                    Array.Copy(state, next, at);
                    next[at] = op.Element;
                    Array.Copy(state, at, next, at + 1, state.Length - at);
                }
                return true;
            case SetOpKind.Remove:
                if (at >= 0)
                {
                    next = new int[state.Length - 1];
                    Array.Copy(state, next, at);
                    Array.Copy(state, at + 1, next, at, state.Length - at - 1);
                }
                return true;
            default:
                return op.Indeterminate || state.AsSpan().SequenceEqual(op.Elements);
        }
    }

    public bool IsReadOnly(in SetOp op) => op.Kind == SetOpKind.Read;

    public bool Equals(int[]? x, int[]? y) => Elements.Equal(x, y);

    public int GetHashCode(int[] state) => Elements.Hash(state);

    public string Describe(int[] state) => Elements.Describe(state, values);
}

internal enum QueueOpKind : byte
{
    Enqueue,
    Dequeue,
}

internal readonly record struct QueueOp(QueueOpKind Kind, int Element, bool Indeterminate);

/// <summary>A FIFO queue: the state is its elements' ids, head first, in an array never changed once made.</summary>
internal readonly struct QueueModel(ValueTable values) : ISequentialModel<int[], QueueOp>
{
    public bool Step(int[] state, in QueueOp op, out int[] next)
    {
        next = state;
        if (op.Kind == QueueOpKind.Enqueue)
        {
            next = new int[state.Length + 1];
            state.CopyTo(next, 0);
            next[^1] = op.Element;
            return true;
        }
        if (state.Length == 0) return op.Indeterminate || op.Element == 0;
        if (!op.Indeterminate && op.Element != state[0]) return false;
        next = state[1..];
        return true;
    }

    // A dequeue that found the queue empty is accepted only when it is, and leaves it so.
    public bool IsReadOnly(in QueueOp op) => op.Kind == QueueOpKind.Dequeue && !op.Indeterminate && op.Element == 0;

    public bool Equals(int[]? x, int[]? y) => Elements.Equal(x, y);

    public int GetHashCode(int[] state) => Elements.Hash(state);

    public string Describe(int[] state) => Elements.Describe(state, values);
}

/// <summary>A C# user's model, through its delegate and comparer.</summary>
internal readonly struct CustomModel<TState>(Gauntlet.Scenarios.CustomLinearizableModel<TState> model)
    : ISequentialModel<TState, Gauntlet.Scenarios.LinearizableOperation>
    where TState : notnull
{
    public bool Step(TState state, in Gauntlet.Scenarios.LinearizableOperation op, out TState next) => model.Step(state, op, out next);

    // Nothing is known of a custom model's operations: every one is a choice.
    public bool IsReadOnly(in Gauntlet.Scenarios.LinearizableOperation op) => false;

    public bool Equals(TState? x, TState? y) => model.Comparer.Equals(x, y);

    public int GetHashCode(TState state) => model.Comparer.GetHashCode(state);

    public string Describe(TState state) => state.ToString() ?? "";
}
