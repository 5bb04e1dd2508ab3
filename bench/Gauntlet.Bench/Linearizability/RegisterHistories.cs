using Gauntlet.Verification.Linearizability;

namespace Gauntlet.Bench.Linearizability;

/// <summary>
/// Register histories as a correct (linearizable) register would produce them: each client runs one operation after
/// another, each operation takes effect at a random instant between its invocation and completion, and reads, writes
/// and compare-and-sets see the register as those instants order them. Values are 0 to 4, as in Jepsen's etcd test,
/// so that many operations agree by chance and the search has choices to make. A share of operations time out
/// (indeterminate; about half of those took effect), and failed compare-and-sets are recorded as failed.
/// </summary>
internal static class RegisterHistories
{
    public static List<HistoryOperation> Generate(int operations, int clients, int seed, double indeterminateShare = 0.01)
    {
        var random = new Random(seed);
        var clientTime = new long[clients];
        for (var c = 0; c < clients; c++) clientTime[c] = random.Next(0, 50);
        var pending = new List<(long Point, int Index, bool Takes)>(operations);
        var drafts = new List<(int Client, string Function, int A, int B, long Invoke, long Complete, bool Indeterminate)>(operations);
        for (var i = 0; i < operations; i++)
        {
            // The client whose clock is earliest invokes next, so clients interleave as real ones do.
            var client = 0;
            for (var c = 1; c < clients; c++) if (clientTime[c] < clientTime[client]) client = c;
            var invoke = clientTime[client] + random.Next(1, 20);
            var complete = invoke + random.Next(5, 100);
            var point = invoke + random.NextInt64(0, complete - invoke + 1);
            var roll = random.Next(100);
            var function = roll < 50 ? "read" : roll < 80 ? "write" : "cas";
            var indeterminate = function != "read" && random.NextDouble() < indeterminateShare;
            drafts.Add((client, function, random.Next(5), random.Next(5), invoke, complete, indeterminate));
            pending.Add((point, i, !indeterminate || random.Next(2) == 0));
            clientTime[client] = complete;
        }
        pending.Sort((a, b) => a.Point.CompareTo(b.Point));
        var result = new HistoryOperation[operations];
        int? register = null;
        foreach (var (_, index, takes) in pending)
        {
            var d = drafts[index];
            string? value;
            var failed = false;
            switch (d.Function)
            {
                case "read":
                    value = register?.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "write":
                    if (takes) register = d.A;
                    value = Text(d.A);
                    break;
                default:
                    var matches = register == d.A;
                    if (matches && takes) register = d.B;
                    failed = !matches && !d.Indeterminate;
                    value = $"[{d.A} {d.B}]";
                    break;
            }
            // A failed operation never took effect: the verifier leaves it out, as Gauntlet's history reader does.
            result[index] = new HistoryOperation(index + 1, d.Client, failed ? "cas-failed" : d.Function, value, d.Invoke, d.Complete, d.Indeterminate, 0);
        }
        return result.Where(o => o.Function != "cas-failed").ToList();
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
