using System.Globalization;
using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>The <c>set</c> verifier: acknowledged writes must be present in the final state, once.</summary>
internal sealed class SetVerification(Func<CancellationToken, Task<IEnumerable<string>>> finalRead, string function) : Verification
{
    // Best known fate per value written: Ok beats Indeterminate beats Failed (a value written twice counts once).
    private readonly Dictionary<string, HistoryOutcome> _attempted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _present = new(StringComparer.Ordinal);

    public override async Task ReadFinalStateAsync(CancellationToken cancellationToken)
    {
        foreach (var value in await finalRead(cancellationToken).ConfigureAwait(false))
            _present[value] = _present.GetValueOrDefault(value) + 1;
    }

    public override void Observe(in HistoryEntry entry)
    {
        if (entry.Function != function || entry.Value is null) return;
        ref var best = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_attempted, entry.Value, out var existed);
        if (!existed || Rank(entry.Outcome) > Rank(best)) best = entry.Outcome;
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
        foreach (var (value, outcome) in _attempted)
        {
            var copies = _present.GetValueOrDefault(value);
            if (outcome == HistoryOutcome.Ok)
            {
                acknowledged++;
                if (copies > 0) ok++;
                else lost.Add(value);
            }
            else if (copies > 0) recovered.Add(value);
        }
        foreach (var (value, copies) in _present)
        {
            if (copies > 1) duplicated.Add($"{value} (×{copies})");
            if (!_attempted.ContainsKey(value)) unexpected.Add(value);
        }
        var passed = lost.Count == 0 && duplicated.Count == 0 && unexpected.Count == 0;
        return new VerificationResult
        {
            Name = name,
            Kind = kind,
            Passed = passed,
            Summary = $"{Format.Count(acknowledged)} acknowledged writes, {Format.Count(ok)} present; {Format.Count(lost.Count)} lost, "
                + $"{Format.Count(duplicated.Count)} duplicated, {Format.Count(unexpected.Count)} unexpected, {Format.Count(recovered.Count)} recovered "
                + $"(of {Format.Count(_attempted.Count)} values attempted, {Format.Count(_present.Count)} distinct values read)",
            Counts =
            [
                new("attempted", _attempted.Count),
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

    public override void Observe(in HistoryEntry entry)
    {
        if (entry.Function != function || entry.Outcome == HistoryOutcome.Failed) return;
        long delta = 1;
        if (entry.Value is not null && !long.TryParse(entry.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out delta))
        {
            _badValues.Add($"operation {entry.Id}: '{entry.Value}'");
            return;
        }
        if (entry.Outcome == HistoryOutcome.Ok)
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

    public override void Observe(in HistoryEntry entry)
    {
        if (entry.Function != function || entry.Outcome != HistoryOutcome.Ok || entry.Value is null) return;
        _ids++;
        if (!_firstHolder.TryAdd(entry.Value, entry.Id))
            _duplicated.Add($"{entry.Value} (operations {_firstHolder[entry.Value]} and {entry.Id})");
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

    public override void Observe(in HistoryEntry entry)
    {
        if (entry.Value is null) return;
        if (entry.Function == enqueue)
        {
            if (entry.Outcome == HistoryOutcome.Failed) return;
            var acknowledged = entry.Outcome == HistoryOutcome.Ok;
            var sequence = _ledger.Enqueue(entry.Worker, acknowledged);
            if (!_values.TryGetValue(entry.Worker, out var values)) _values[entry.Worker] = values = [];
            values.Add(entry.Value);
            // A value enqueued twice counts once: an acknowledged enqueue stands for it over an indeterminate one.
            ref var key = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_keys, entry.Value, out var existed);
            if (!existed) key = (entry.Worker, sequence, acknowledged);
            else if (acknowledged)
            {
                _ledger.Withdraw(key.Producer, key.Sequence);
                key = (entry.Worker, sequence, acknowledged);
            }
            else _ledger.Withdraw(entry.Worker, sequence);
        }
        else if (entry.Function == dequeue && entry.Outcome == HistoryOutcome.Ok) _dequeues.Add((entry.Worker, entry.Value));
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
    public override void Observe(in HistoryEntry entry)
    {
    }

    public override VerificationResult Finish(string name, string kind) => finish(name, kind);
}
