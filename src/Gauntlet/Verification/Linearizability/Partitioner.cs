using Gauntlet.Scenarios;

namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// Turns a history's operations into the model's operations, split into independent parts (P-compositionality: a
/// history is linearizable when each key's is). Failed operations never took effect and are left out; so are
/// indeterminate reads, which return nothing to check. An operation the model does not know, or a value that does not
/// parse, throws <see cref="InvalidHistoryException"/> naming it.
/// </summary>
internal static class Partitioner
{
    public static List<Partition> Split(LinearizableModel model, IReadOnlyList<HistoryOperation> history) => model switch
    {
        BuiltinLinearizableModel { Kind: BuiltinModelKind.Register } => [Registers(history, keyed: false)[0]],
        BuiltinLinearizableModel { Kind: BuiltinModelKind.KeyValue } => Registers(history, keyed: true),
        BuiltinLinearizableModel { Kind: BuiltinModelKind.Set } => [Set(history)],
        BuiltinLinearizableModel { Kind: BuiltinModelKind.Queue } => [Queue(history)],
        CustomLinearizableModel custom => custom.Accept(new CustomSplit(history)),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "unknown model"),
    };

    /// <summary>The functions each built-in model knows, for messages.</summary>
    public static string FunctionsOf(LinearizableModel model) => model switch
    {
        BuiltinLinearizableModel { Kind: BuiltinModelKind.Register or BuiltinModelKind.KeyValue } => "read, write or cas",
        BuiltinLinearizableModel { Kind: BuiltinModelKind.Set } => "add, remove or read",
        BuiltinLinearizableModel { Kind: BuiltinModelKind.Queue } => "enqueue or dequeue",
        _ => "the model's own",
    };

    private static List<Partition> Registers(IReadOnlyList<HistoryOperation> history, bool keyed)
    {
        var parts = new Dictionary<string, (List<HistoryOperation> Operations, List<RegisterOp> Ops, ValueTable Values)>(StringComparer.Ordinal);
        var order = new List<string>();
        var model = keyed ? "kv" : "register";
        foreach (var operation in history)
        {
            var kind = operation.Function switch
            {
                "read" => RegisterOpKind.Read,
                "write" => RegisterOpKind.Write,
                "cas" => RegisterOpKind.Cas,
                _ => throw Unknown(operation, model, "read, write or cas"),
            };
            if (kind == RegisterOpKind.Read && operation.Indeterminate) continue;
            var value = Parse(operation);
            var key = "";
            if (keyed)
            {
                if (value.Items is not [{ Atom: { } k }, var rest])
                    throw Invalid(operation, $"a {operation.Function} of the kv model takes [KEY VALUE]{(kind == RegisterOpKind.Cas ? " with VALUE [OLD NEW]" : "")}, such as {Example(kind, keyed)}; found '{operation.Value}'");
                key = k;
                value = rest;
            }
            if (!parts.TryGetValue(key, out var part))
            {
                parts[key] = part = ([], [], new ValueTable());
                order.Add(key);
            }
            var op = kind switch
            {
                RegisterOpKind.Read when value.Items is null => new RegisterOp(kind, part.Values.Id(value), 0, operation.Indeterminate),
                RegisterOpKind.Write when value.Atom is not null => new RegisterOp(kind, part.Values.Id(value), 0, operation.Indeterminate),
                RegisterOpKind.Cas when value.Items is [{ Items: null } from, { Atom: not null } to] =>
                    new RegisterOp(kind, part.Values.Id(from), part.Values.Id(to), operation.Indeterminate),
                _ => throw Invalid(operation, $"a {operation.Function} of the {model} model takes {Example(kind, keyed)}; found '{operation.Value ?? "nil"}'"),
            };
            part.Operations.Add(operation);
            part.Ops.Add(op);
        }
        if (order.Count == 0) order.Add("");
        var partitions = new List<Partition>(order.Count);
        foreach (var key in order)
        {
            var part = parts.TryGetValue(key, out var p) ? p : ([], [], new ValueTable());
            partitions.Add(new Partition<int, RegisterOp, RegisterModel>(keyed ? key : null, part.Operations, new RegisterModel(part.Values), 0, part.Ops.ToArray()));
        }
        return partitions;
    }

    private static string Example(RegisterOpKind kind, bool keyed) => (kind, keyed) switch
    {
        (RegisterOpKind.Read, false) => "the value read (nil when none)",
        (RegisterOpKind.Write, false) => "the value written",
        (RegisterOpKind.Cas, false) => "[OLD NEW], such as [3 4]",
        (RegisterOpKind.Read, true) => "[KEY VALUE], such as [k1 3] or [k1 nil]",
        (RegisterOpKind.Write, true) => "[KEY VALUE], such as [k1 3]",
        _ => "[KEY [OLD NEW]], such as [k1 [3 4]]",
    };

    private static Partition Set(IReadOnlyList<HistoryOperation> history)
    {
        var values = new ValueTable();
        var operations = new List<HistoryOperation>();
        var ops = new List<SetOp>();
        foreach (var operation in history)
        {
            var kind = operation.Function switch
            {
                "add" => SetOpKind.Add,
                "remove" => SetOpKind.Remove,
                "read" => SetOpKind.Read,
                _ => throw Unknown(operation, "set", "add, remove or read"),
            };
            if (kind == SetOpKind.Read && operation.Indeterminate) continue;
            var value = Parse(operation);
            SetOp op;
            if (kind == SetOpKind.Read)
            {
                if (value.Atom is not null || value.Items?.Any(i => i.Atom is null) == true)
                    throw Invalid(operation, $"a read of the set model takes every element, such as [1 2 3] ([] or nil when empty); found '{operation.Value}'");
                var elements = (value.Items ?? []).Select(values.Id).Distinct().Order().ToArray();
                op = new SetOp(kind, 0, elements, false);
            }
            else
            {
                if (value.Atom is null) throw Invalid(operation, $"an {operation.Function} of the set model takes one element, such as 7; found '{operation.Value ?? "nil"}'");
                op = new SetOp(kind, values.Id(value), [], operation.Indeterminate);
            }
            operations.Add(operation);
            ops.Add(op);
        }
        return new Partition<int[], SetOp, SetModel>(null, operations, new SetModel(values), [], ops.ToArray());
    }

    private static Partition Queue(IReadOnlyList<HistoryOperation> history)
    {
        var values = new ValueTable();
        var operations = new List<HistoryOperation>();
        var ops = new List<QueueOp>();
        foreach (var operation in history)
        {
            var kind = operation.Function switch
            {
                "enqueue" => QueueOpKind.Enqueue,
                "dequeue" => QueueOpKind.Dequeue,
                _ => throw Unknown(operation, "queue", "enqueue or dequeue"),
            };
            var value = Parse(operation);
            if (value.Items is not null || (kind == QueueOpKind.Enqueue && value.Atom is null))
                throw Invalid(operation, kind == QueueOpKind.Enqueue
                    ? $"an enqueue takes one element, such as 7; found '{operation.Value ?? "nil"}'"
                    : $"a dequeue takes the element it took (nil when the queue was empty); found '{operation.Value}'");
            operations.Add(operation);
            ops.Add(new QueueOp(kind, operation.Indeterminate && kind == QueueOpKind.Dequeue ? 0 : values.Id(value), operation.Indeterminate));
        }
        return new Partition<int[], QueueOp, QueueModel>(null, operations, new QueueModel(values), [], ops.ToArray());
    }

    private sealed class CustomSplit(IReadOnlyList<HistoryOperation> history) : ICustomModelVisitor<List<Partition>>
    {
        public List<Partition> Visit<TState>(CustomLinearizableModel<TState> model) where TState : notnull
        {
            var parts = new Dictionary<string, (List<HistoryOperation> Operations, List<LinearizableOperation> Ops)>(StringComparer.Ordinal);
            var order = new List<string?>();
            foreach (var operation in history)
            {
                var op = new LinearizableOperation(operation.Function, operation.Value, operation.Indeterminate);
                string? key;
                try
                {
                    key = model.Partition?.Invoke(op);
                }
                catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
                {
                    throw Invalid(operation, $"the {model.Name} model's partition function rejected it: {exception.Message}");
                }
                if (!parts.TryGetValue(key ?? "", out var part))
                {
                    parts[key ?? ""] = part = ([], []);
                    order.Add(key);
                }
                part.Operations.Add(operation);
                part.Ops.Add(op);
            }
            if (order.Count == 0) order.Add(null);
            return order.Select(key =>
            {
                var part = parts.TryGetValue(key ?? "", out var p) ? p : ([], []);
                return (Partition)new Partition<TState, LinearizableOperation, CustomModel<TState>>(key, part.Operations, new CustomModel<TState>(model), model.Initial, part.Ops.ToArray());
            }).ToList();
        }
    }

    private static HistoryValue Parse(HistoryOperation operation) =>
        HistoryValue.TryParse(operation.Value, out var value, out var error) ? value : throw Invalid(operation, $"its value does not parse: {error}");

    private static InvalidHistoryException Unknown(HistoryOperation operation, string model, string known) =>
        new(operation.Line, operation.Id, $"'{operation.Function}' is not an operation of the {model} model: expected {known}");

    private static InvalidHistoryException Invalid(HistoryOperation operation, string message) => new(operation.Line, operation.Id, message);
}
