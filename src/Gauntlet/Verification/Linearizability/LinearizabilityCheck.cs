using System.Diagnostics;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Verification.Linearizability;

/// <summary>What a linearizability check found, with the counterexample when it is not linearizable.</summary>
internal sealed record LinearizabilityOutcome(SearchVerdict Verdict, int Operations, int Keys, TimeSpan Elapsed, long Steps,
    LinearizabilityCounterexample? Counterexample);

/// <summary>Checks a history against a model: split into keys, each searched in parallel within one time limit.</summary>
internal static class LinearizabilityCheck
{
    /// <summary>
    /// Checks <paramref name="history"/> (failed operations already left out) against <paramref name="model"/>.
    /// <paramref name="timeUnit"/> names what the times count, for the counterexample. Throws
    /// <see cref="InvalidHistoryException"/> for an operation the model cannot read.
    /// </summary>
    public static LinearizabilityOutcome Run(LinearizableModel model, IReadOnlyList<HistoryOperation> history, TimeSpan timeLimit,
        string timeUnit, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var partitions = Partitioner.Split(model, history);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        var results = new SearchResult?[partitions.Count];
        // The biggest keys first, so that one long search does not start last.
        var order = Enumerable.Range(0, partitions.Count).OrderByDescending(i => partitions[i].Operations.Count).ToArray();
        Parallel.For(0, order.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (k, loop) =>
        {
            var i = order[k];
            if (limit.IsCancellationRequested) return;
            var result = partitions[i].Search(limit.Token);
            results[i] = result;
            // One key that is not linearizable decides; the others need not finish.
            if (result.Verdict == SearchVerdict.NotLinearizable) limit.Cancel();
        });
        clock.Stop();
        var steps = results.Sum(r => r?.Steps ?? 0);
        var operations = partitions.Sum(p => p.Operations.Count);
        for (var i = 0; i < partitions.Count; i++)
        {
            if (results[i] is { Verdict: SearchVerdict.NotLinearizable } failed)
                return new(SearchVerdict.NotLinearizable, operations, partitions.Count, clock.Elapsed, steps,
                    Counterexample(model, partitions[i], failed, timeUnit));
        }
        var verdict = results.All(r => r?.Verdict == SearchVerdict.Linearizable) ? SearchVerdict.Linearizable : SearchVerdict.Unknown;
        return new(verdict, operations, partitions.Count, clock.Elapsed, steps, null);
    }

    /// <summary>
    /// The failing window: the operation the longest prefix could not get past (its completion came before any order
    /// explained it), with every operation not in the prefix that was invoked before that completion (the ones that
    /// could have been ordered next), and every operation overlapping the span from the earliest of those to that
    /// completion. Indeterminate operations invoked earlier are left out: they stay open for ever and would stretch it.
    /// </summary>
    internal static LinearizabilityCounterexample Counterexample(LinearizableModel model, Partition partition, SearchResult result, string timeUnit)
    {
        var ops = partition.Operations;
        var position = new long?[ops.Count];
        for (var i = 0; i < result.Longest.Length; i++) position[result.Longest[i]] = i + 1;
        var stuck = ops[result.Stuck];
        var end = stuck.Complete;
        var start = stuck.Invoke;
        for (var i = 0; i < ops.Count; i++)
            if (position[i] is null && !ops[i].Indeterminate && ops[i].Invoke <= end) start = Math.Min(start, ops[i].Invoke);
        var window = new List<CounterexampleOperation>();
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var completes = op.Indeterminate ? long.MaxValue : op.Complete;
            if (op.Invoke > end || completes < start) continue;
            if (op.Indeterminate && op.Invoke < start) continue;
            window.Add(new CounterexampleOperation(op.Id, op.Worker, op.Function, op.Value, op.Invoke, op.Indeterminate ? null : op.Complete, position[i]));
        }
        // The last prefix step before the window sets the state the window starts from: show it too.
        var before = -1;
        for (var p = result.Longest.Length - 1; p >= 0; p--)
        {
            var op = ops[result.Longest[p]];
            if (!op.Indeterminate && op.Complete < start) { before = result.Longest[p]; break; }
        }
        if (before >= 0)
        {
            var op = ops[before];
            window.Add(new CounterexampleOperation(op.Id, op.Worker, op.Function, op.Value, op.Invoke, op.Complete, position[before]));
        }
        window.Sort((a, b) => a.Invoke != b.Invoke ? a.Invoke.CompareTo(b.Invoke) : a.Id.CompareTo(b.Id));

        var states = partition.States(result.Longest);
        var first = Math.Max(0, result.Longest.Length - LinearizabilityCounterexample.MaxPrefixSteps);
        var prefix = new List<LinearizedStep>();
        for (var p = first; p < result.Longest.Length; p++)
        {
            var op = ops[result.Longest[p]];
            prefix.Add(new LinearizedStep(p + 1, op.Id, op.Worker, op.Function, op.Value, states[p]));
        }
        return new LinearizabilityCounterexample
        {
            Model = model.Name,
            Key = partition.Key,
            TimeUnit = timeUnit,
            StuckOperation = stuck.Id,
            Operations = window,
            PrefixLength = result.Longest.Length,
            Prefix = prefix,
            KeyOperations = ops.Count,
        };
    }
}
