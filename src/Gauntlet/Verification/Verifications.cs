using System.Globalization;
using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>The <c>set</c> verifier: acknowledged writes must be present in the final state, once.</summary>
internal sealed class SetVerification : Verification
{
    private readonly Func<CancellationToken, Task<IEnumerable<string>>> _finalRead;
    private readonly string _function;

    // One entry per value, read or written: how many copies the final state holds and the best known fate of its writes.
    // One table rather than two, looked up by the history line's characters, so that a value the final state holds
    // costs no string when the history names it again: a million-write history allocates only for values never read.
    private readonly Dictionary<string, Fate> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Fate>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private long _attempted;
    private long _read;

    public SetVerification(Func<CancellationToken, Task<IEnumerable<string>>> finalRead, string function)
    {
        _finalRead = finalRead;
        _function = function;
        _byChars = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>What is known of one value. Best: Ok beats Indeterminate beats Failed (a value written twice counts once).</summary>
    private struct Fate
    {
        public int Copies;
        public bool Attempted;
        public HistoryOutcome Best;
    }

    /// <summary>Room for a few more values than the final state holds (the lost and the failed writes), so the table rarely grows while the history is read.</summary>
    private const int SpareDivisor = 8;

    public override async Task ReadFinalStateAsync(CancellationToken cancellationToken)
    {
        var values = await _finalRead(cancellationToken).ConfigureAwait(false);
        if (values.TryGetNonEnumeratedCount(out var count)) _values.EnsureCapacity(count + count / SpareDivisor);
        foreach (var value in values)
        {
            ref var fate = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_values, value, out _);
            if (fate.Copies++ == 0) _read++;
        }
    }

    public override void Observe(HistoryLine line)
    {
        if (line.Function != _function || !line.HasValue) return;
        Attempt(ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byChars, line.ValueSpan, out _), line.Outcome);
    }

    private void Attempt(ref Fate fate, HistoryOutcome outcome)
    {
        if (!fate.Attempted)
        {
            fate.Attempted = true;
            fate.Best = outcome;
            _attempted++;
        }
        else if (Rank(outcome) > Rank(fate.Best)) fate.Best = outcome;
    }

    private static int Rank(HistoryOutcome outcome) => outcome switch
    {
        HistoryOutcome.Ok => 2,
        HistoryOutcome.Indeterminate => 1,
        _ => 0,
    };

    public override VerificationResult Finish(string name, string kind)
    {
        long acknowledged = 0, ok = 0;
        var lost = new ExampleList("lost");
        var duplicated = new ExampleList("duplicated");
        var unexpected = new ExampleList("unexpected");
        var recovered = new ExampleList("recovered");
        // In insertion order: the final state's values as read, then the values only the history names, as written.
        foreach (var (value, fate) in _values)
        {
            if (fate.Copies > 1) duplicated.Add($"{value} (×{fate.Copies})");
            if (!fate.Attempted)
            {
                unexpected.Add(value);
                continue;
            }
            if (fate.Best == HistoryOutcome.Ok)
            {
                acknowledged++;
                if (fate.Copies > 0) ok++;
                else lost.Add(value);
            }
            else if (fate.Copies > 0) recovered.Add(value);
        }
        var passed = lost.Count == 0 && duplicated.Count == 0 && unexpected.Count == 0;
        return new VerificationResult
        {
            Name = name,
            Kind = kind,
            Passed = passed,
            Summary = $"{Format.Count(acknowledged)} acknowledged writes, {Format.Count(ok)} present; {Format.Count(lost.Count)} lost, "
                + $"{Format.Count(duplicated.Count)} duplicated, {Format.Count(unexpected.Count)} unexpected, {Format.Count(recovered.Count)} recovered "
                + $"(of {Format.Count(_attempted)} values attempted, {Format.Count(_read)} distinct values read)",
            Counts =
            [
                new("attempted", _attempted),
                new("acknowledged", acknowledged),
                new("ok", ok),
                new("lost", lost.Count),
                new("duplicated", duplicated.Count),
                new("unexpected", unexpected.Count),
                new("recovered", recovered.Count),
            ],
            Examples = Examples(lost, duplicated, unexpected, recovered),
        };
    }
}

/// <summary>The <c>counter</c> verifier: the final value lies between the acknowledged and the possible increments.</summary>
internal sealed class CounterVerification(Func<CancellationToken, Task<long>> finalRead, string function) : Verification
{
    private long _final;
    private long _acknowledged, _acknowledgedOps, _indeterminateUp, _indeterminateDown, _indeterminateOps;
    private readonly ExampleList _badValues = new("not an integer");

    public override async Task ReadFinalStateAsync(CancellationToken cancellationToken) =>
        _final = await finalRead(cancellationToken).ConfigureAwait(false);

    // The increment parsed from the line's characters: no string per operation unless it is not an integer.
    public override void Observe(HistoryLine line)
    {
        if (line.Function != function || line.Outcome == HistoryOutcome.Failed) return;
        long delta = 1;
        if (line.HasValue && !long.TryParse(line.ValueSpan, NumberStyles.Integer, CultureInfo.InvariantCulture, out delta))
        {
            _badValues.Add($"operation {line.Id}: '{line.Value}'");
            return;
        }
        Add(delta, line.Outcome);
    }

    private void Add(long delta, HistoryOutcome outcome)
    {
        if (outcome == HistoryOutcome.Ok)
        {
            _acknowledged += delta;
            _acknowledgedOps++;
        }
        else
        {
            _indeterminateOps++;
            if (delta >= 0) _indeterminateUp += delta;
            else _indeterminateDown += delta;
        }
    }

    public override VerificationResult Finish(string name, string kind)
    {
        var low = _acknowledged + _indeterminateDown;
        var high = _acknowledged + _indeterminateUp;
        var lost = Math.Max(0, low - _final);
        var unexpected = Math.Max(0, _final - high);
        var passed = lost == 0 && unexpected == 0 && _badValues.Count == 0;
        var range = low == high ? $"{low}" : $"between {low} and {high}";
        return new VerificationResult
        {
            Name = name,
            Kind = kind,
            Passed = passed,
            Summary = $"final value {_final}, expected {range} ({Format.Count(_acknowledgedOps)} acknowledged and {Format.Count(_indeterminateOps)} indeterminate increments)"
                + (lost > 0 ? $": {lost} lost" : unexpected > 0 ? $": {unexpected} unexpected" : "")
                + (_badValues.Count > 0 ? $"; {_badValues.Count} increments were not integers" : ""),
            Counts =
            [
                new("final", _final),
                new("acknowledged", _acknowledged),
                new("indeterminate", _indeterminateOps),
                new("lost", lost),
                new("unexpected", unexpected),
            ],
            Examples = Examples(_badValues),
        };
    }
}

/// <summary>The <c>unique-ids</c> verifier: no value was handed out twice.</summary>
internal sealed class UniqueIdsVerification(string function) : Verification
{
    private readonly Dictionary<string, long> _firstHolder = new(StringComparer.Ordinal);
    private readonly ExampleList _duplicated = new("duplicated");
    private long _ids;

    public override void Observe(HistoryLine line)
    {
        if (line.Function != function || line.Outcome != HistoryOutcome.Ok || line.Value is null) return;
        _ids++;
        if (!_firstHolder.TryAdd(line.Value, line.Id))
            _duplicated.Add($"{line.Value} (operations {_firstHolder[line.Value]} and {line.Id})");
    }

    public override VerificationResult Finish(string name, string kind) => new()
    {
        Name = name,
        Kind = kind,
        Passed = _duplicated.Count == 0,
        Summary = $"{Format.Count(_ids)} ids handed out, {Format.Count(_firstHolder.Count)} distinct; {Format.Count(_duplicated.Count)} duplicated",
        Counts = [new("ids", _ids), new("distinct", _firstHolder.Count), new("duplicated", _duplicated.Count)],
        Examples = Examples(_duplicated),
    };
}

/// <summary>
/// The <c>queue</c> verifier over a history: every value enqueued is dequeued exactly once, and each consumer sees each
/// producer's values in enqueue order. A worker runs its operations one after another, so its entries' order in the
/// history is the order it ran them: that order is a producer's enqueue order and a consumer's dequeue order. Values
/// are turned into ledger keys (the worker and its n-th enqueue) and the <see cref="QueueLedger"/> does the checking,
/// as it does for the stress kit's channel patterns.
/// </summary>
internal sealed class QueueVerification(string enqueue, string dequeue, bool drained) : Verification
{
    private readonly QueueLedger _ledger = QueueLedger.Growing();
    private readonly Dictionary<string, (int Producer, long Sequence, bool Acknowledged)> _keys = new(StringComparer.Ordinal);
    // Per producer, its values by sequence: to name the examples.
    private readonly Dictionary<int, List<string>> _values = [];
    // The history is in completion order, so a dequeue can be read before its enqueue completed: dequeues are
    // matched to enqueues once the whole history is read, in each consumer's own order.
    private readonly List<(int Consumer, string Value)> _dequeues = [];

    public override void Observe(HistoryLine line)
    {
        if (line.Value is null) return;
        if (line.Function == enqueue)
        {
            if (line.Outcome == HistoryOutcome.Failed) return;
            var acknowledged = line.Outcome == HistoryOutcome.Ok;
            var sequence = _ledger.Enqueue(line.Worker, acknowledged);
            if (!_values.TryGetValue(line.Worker, out var values)) _values[line.Worker] = values = [];
            values.Add(line.Value);
            // A value enqueued twice counts once: an acknowledged enqueue stands for it over an indeterminate one.
            ref var key = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_keys, line.Value, out var existed);
            if (!existed) key = (line.Worker, sequence, acknowledged);
            else if (acknowledged)
            {
                _ledger.Withdraw(key.Producer, key.Sequence);
                key = (line.Worker, sequence, acknowledged);
            }
            else _ledger.Withdraw(line.Worker, sequence);
        }
        else if (line.Function == dequeue && line.Outcome == HistoryOutcome.Ok) _dequeues.Add((line.Worker, line.Value));
    }

    public override VerificationResult Finish(string name, string kind)
    {
        foreach (var (consumer, value) in _dequeues)
        {
            if (_keys.TryGetValue(value, out var key)) _ledger.DequeueObserved(consumer, key.Producer, key.Sequence);
            else _ledger.DequeueUnknown(consumer, value);
        }
        return _ledger.Summarize(drained, dropped: 0, (producer, sequence) => _values[producer][(int)sequence]).ToResult(name, kind, drained);
    }
}

/// <summary>A verifier fed by the scenario's own operations instead of the history (the stress kit's channel patterns).</summary>
internal sealed class FedVerification(Func<string, string, VerificationResult> finish) : Verification
{
    public override void Observe(HistoryLine line)
    {
    }

    public override VerificationResult Finish(string name, string kind) => finish(name, kind);
}
