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
/// The <c>queue</c> verifier: every value enqueued is dequeued exactly once, and each consumer sees each producer's
/// values in enqueue order. A worker runs its operations one after another, so its entries' order in the history is
/// the order it ran them: that order is a producer's enqueue order and a consumer's dequeue order.
/// </summary>
internal sealed class QueueVerification(string enqueue, string dequeue, bool drained) : Verification
{
    private readonly record struct Enqueued(int Producer, long Sequence, HistoryOutcome Outcome);

    private readonly Dictionary<string, Enqueued> _enqueued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dequeued = new(StringComparer.Ordinal);
    private readonly Dictionary<int, long> _nextSequence = [];
    // Per (consumer, producer): the highest producer sequence this consumer has dequeued so far.
    private readonly Dictionary<(int Consumer, int Producer), long> _lastSeen = [];
    private readonly List<(int Consumer, string Value)> _early = [];
    private readonly ExampleList _reordered = new("reordered");
    private long _dequeues;

    public override void Observe(in HistoryEntry entry)
    {
        if (entry.Value is null) return;
        if (entry.Function == enqueue)
        {
            if (entry.Outcome == HistoryOutcome.Failed) return;
            var sequence = _nextSequence.GetValueOrDefault(entry.Worker);
            _nextSequence[entry.Worker] = sequence + 1;
            ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_enqueued, entry.Value, out var existed);
            if (!existed || entry.Outcome == HistoryOutcome.Ok) slot = new Enqueued(entry.Worker, sequence, entry.Outcome);
        }
        else if (entry.Function == dequeue && entry.Outcome == HistoryOutcome.Ok)
        {
            _dequeues++;
            _dequeued[entry.Value] = _dequeued.GetValueOrDefault(entry.Value) + 1;
            // The history is in completion order, so a dequeue can be read before its enqueue completed; check those at the end.
            if (_enqueued.TryGetValue(entry.Value, out var enqueued)) CheckOrder(entry.Worker, entry.Value, enqueued);
            else _early.Add((entry.Worker, entry.Value));
        }
    }

    private void CheckOrder(int consumer, string value, Enqueued enqueued)
    {
        ref var last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_lastSeen, (consumer, enqueued.Producer), out var existed);
        if (existed && enqueued.Sequence < last)
            _reordered.Add($"{value}: consumer {consumer} took it after a later value of producer {enqueued.Producer}");
        else last = enqueued.Sequence;
    }

    public override VerificationResult Finish(string name, string kind)
    {
        foreach (var (consumer, value) in _early)
            if (_enqueued.TryGetValue(value, out var enqueued)) CheckOrder(consumer, value, enqueued);
        var lost = new ExampleList("lost");
        var duplicated = new ExampleList("duplicated");
        var unexpected = new ExampleList("unexpected");
        var recovered = new ExampleList("recovered");
        long acknowledged = 0, remaining = 0;
        foreach (var (value, enqueued) in _enqueued)
        {
            var taken = _dequeued.GetValueOrDefault(value);
            if (enqueued.Outcome == HistoryOutcome.Ok)
            {
                acknowledged++;
                if (taken == 0)
                {
                    if (drained) lost.Add(value);
                    else remaining++;
                }
            }
            else if (taken > 0) recovered.Add(value);
        }
        foreach (var (value, taken) in _dequeued)
        {
            if (taken > 1) duplicated.Add($"{value} (×{taken})");
            if (!_enqueued.ContainsKey(value)) unexpected.Add(value);
        }
        var passed = lost.Count == 0 && duplicated.Count == 0 && unexpected.Count == 0 && _reordered.Count == 0;
        return new VerificationResult
        {
            Name = name,
            Kind = kind,
            Passed = passed,
            Summary = $"{Format.Count(acknowledged)} acknowledged enqueues, {Format.Count(_dequeues)} dequeues; {Format.Count(lost.Count)} lost, "
                + $"{Format.Count(duplicated.Count)} duplicated, {Format.Count(unexpected.Count)} unexpected, {Format.Count(_reordered.Count)} reordered, "
                + $"{Format.Count(recovered.Count)} recovered" + (drained ? "" : $", {Format.Count(remaining)} still queued"),
            Counts =
            [
                new("acknowledged", acknowledged),
                new("dequeued", _dequeues),
                new("lost", lost.Count),
                new("duplicated", duplicated.Count),
                new("unexpected", unexpected.Count),
                new("reordered", _reordered.Count),
                new("recovered", recovered.Count),
            ],
            Examples = Examples(lost, duplicated, unexpected, _reordered, recovered),
        };
    }
}
