using System.Globalization;
using Gauntlet.Scenarios;
using Gauntlet.Verification.Linearizability;

namespace Gauntlet.Tests.Linearizability;

/// <summary>
/// The search against the definition, on small random histories (up to 8 operations, some indeterminate): a brute
/// force tries every subset of the indeterminate operations as taking effect, and every order of the chosen
/// operations that respects real time (an operation that completed before another was invoked comes first), replaying
/// it on a plain model. Both must agree on every history.
/// </summary>
public sealed class BruteForceTests
{
    private const int Histories = 400;

    private sealed record Spec(string Function, string? Value, long Invoke, long Complete, bool Indeterminate);

    /// <summary>Random histories: up to 4 workers each running operations one after another, with values drawn from few so that some histories pass.</summary>
    private static List<HistoryOperation> RandomHistory(Random random, Func<Random, (string Function, string? Value)> operation)
    {
        var count = random.Next(1, 9);
        var workers = random.Next(1, 5);
        var time = new long[workers];
        var history = new List<HistoryOperation>();
        for (var i = 0; i < count; i++)
        {
            var worker = random.Next(workers);
            var invoke = time[worker] + random.Next(0, 4);
            var complete = invoke + random.Next(0, 6);
            time[worker] = complete + 1;
            var (function, value) = operation(random);
            var indeterminate = random.Next(6) == 0;
            history.Add(new HistoryOperation(i + 1, worker, function, value, invoke, complete, indeterminate, i + 1));
            // A worker whose operation's outcome is unknown moves on, as Jepsen's processes do: the next one is another worker's.
            if (indeterminate) time[worker] = long.MaxValue / 4;
            if (time.All(t => t == long.MaxValue / 4)) break;
        }
        return history;
    }

    private static bool BruteForce(IReadOnlyList<HistoryOperation> history, Func<IReadOnlyList<HistoryOperation>, bool> valid)
    {
        var indeterminate = Enumerable.Range(0, history.Count).Where(i => history[i].Indeterminate).ToList();
        for (var mask = 0; mask < 1 << indeterminate.Count; mask++)
        {
            var chosen = Enumerable.Range(0, history.Count)
                .Where(i => !history[i].Indeterminate || (mask & (1 << indeterminate.IndexOf(i))) != 0).ToList();
            if (Orders(history, chosen, []).Any(order => valid(order.Select(i => history[i]).ToList()))) return true;
        }
        return false;
    }

    private static IEnumerable<List<int>> Orders(IReadOnlyList<HistoryOperation> history, List<int> left, List<int> prefix)
    {
        if (left.Count == 0)
        {
            yield return prefix;
            yield break;
        }
        foreach (var next in left)
        {
            // next may come now only when nothing left had to come before it: completed before it was invoked.
            if (left.Any(other => other != next && !history[other].Indeterminate && history[other].Complete < history[next].Invoke)) continue;
            foreach (var order in Orders(history, left.Where(i => i != next).ToList(), [.. prefix, next])) yield return order;
        }
    }

    private static string? Nil(string? value) => value is null or "nil" ? null : value;

    private static bool RegisterValid(IReadOnlyList<HistoryOperation> order)
    {
        string? register = null;
        foreach (var op in order)
        {
            switch (op.Function)
            {
                case "read":
                    if (!op.Indeterminate && Nil(op.Value) != register) return false;
                    break;
                case "write":
                    register = op.Value;
                    break;
                default:
                    var parts = op.Value!.Trim('[', ']').Split(' ');
                    if (Nil(parts[0]) == register) register = parts[1];
                    else if (!op.Indeterminate) return false;
                    break;
            }
        }
        return true;
    }

    private static bool QueueValid(IReadOnlyList<HistoryOperation> order)
    {
        var queue = new Queue<string>();
        foreach (var op in order)
        {
            if (op.Function == "enqueue") queue.Enqueue(op.Value!);
            else if (queue.Count == 0)
            {
                if (!op.Indeterminate && op.Value is not null) return false;
            }
            else
            {
                if (!op.Indeterminate && op.Value != queue.Peek()) return false;
                queue.Dequeue();
            }
        }
        return true;
    }

    private static bool SetValid(IReadOnlyList<HistoryOperation> order)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var op in order)
        {
            switch (op.Function)
            {
                case "add": set.Add(op.Value!); break;
                case "remove": set.Remove(op.Value!); break;
                default:
                    if (!op.Indeterminate && !set.SetEquals(op.Value!.Trim('[', ']').Split(' ', StringSplitOptions.RemoveEmptyEntries))) return false;
                    break;
            }
        }
        return true;
    }

    private static string V(Random random, int values) => random.Next(values).ToString(CultureInfo.InvariantCulture);

    private static void Agree(LinearizableModel model, Func<Random, (string, string?)> operation, Func<IReadOnlyList<HistoryOperation>, bool> valid, int seed)
    {
        var random = new Random(seed);
        int linearizable = 0, not = 0;
        for (var h = 0; h < Histories; h++)
        {
            var history = RandomHistory(random, operation);
            var expected = BruteForce(history, valid);
            var outcome = LinearizabilityCheck.Run(model, history, TimeSpan.FromSeconds(30), "microseconds");
            var shown = string.Join("\n", history.Select(o => $"  #{o.Id} w{o.Worker} {o.Function} {o.Value ?? "nil"} [{o.Invoke},{(o.Indeterminate ? "?" : o.Complete)}]"));
            Assert.True(expected == (outcome.Verdict == SearchVerdict.Linearizable),
                $"history {h}: brute force says {(expected ? "linearizable" : "not")}, the search {outcome.Verdict}\n{shown}");
            if (expected) linearizable++;
            else
            {
                not++;
                // A violation comes with a counterexample whose stuck operation is in its window.
                var c = outcome.Counterexample!;
                Assert.Contains(c.Operations, o => o.Id == c.StuckOperation);
                Assert.True(c.PrefixLength < history.Count);
            }
        }
        // Both verdicts must be exercised, or the comparison proves little.
        Assert.InRange(linearizable, Histories / 10, Histories);
        Assert.InRange(not, Histories / 10, Histories);
    }

    [Fact]
    public void Register_search_agrees_with_brute_force() =>
        Agree(LinearizableModel.Register, random => random.Next(3) switch
        {
            0 => ("read", random.Next(4) == 0 ? null : V(random, 3)),
            1 => ("write", V(random, 3)),
            _ => ("cas", $"[{V(random, 3)} {V(random, 3)}]"),
        }, RegisterValid, seed: 1);

    [Fact]
    public void Queue_search_agrees_with_brute_force() =>
        Agree(LinearizableModel.Queue, random => random.Next(2) == 0 ? ("enqueue", V(random, 3)) : ("dequeue", random.Next(4) == 0 ? null : V(random, 3)),
            QueueValid, seed: 2);

    [Fact]
    public void Set_search_agrees_with_brute_force() =>
        Agree(LinearizableModel.Set, random => random.Next(3) switch
        {
            0 => ("add", V(random, 3)),
            1 => ("remove", V(random, 3)),
            _ => ("read", "[" + string.Join(' ', Enumerable.Range(0, 3).Where(_ => random.Next(2) == 0)) + "]"),
        }, SetValid, seed: 3);
}
