using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Verification;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Bench.Verify;

/// <summary>
/// The <c>verify</c> command: a history of 1,000,000 writes by 10 agents (1,000 acknowledged writes missing from the
/// final state), checked by Gauntlet's <c>set</c> verifier, which streams the file, and by the peer a team would write
/// by hand: read every line, deserialize each into an object, keep the list, then group. Rounds alternate; each
/// reports the time, the allocated bytes and the peak managed heap (sampled every 5 ms), and both must find the same
/// 1,000 lost writes.
/// </summary>
internal static class VerifyBenchmark
{
    private const int Agents = 10;
    private const int PerAgent = 100_000;
    private const int Lost = 1_000;
    private const double GoalSeconds = 2.0;

    public static async Task<int> RunAsync(bool quick, string outputPath, string repositoryRoot)
    {
        var rounds = quick ? 1 : 3;
        var perAgent = quick ? PerAgent / 10 : PerAgent;
        var folder = Directory.CreateTempSubdirectory("gauntlet-verify-bench-").FullName;
        try
        {
            var path = Path.Combine(folder, "history.jsonl");
            var present = WriteHistory(path, perAgent);
            var operations = (long)Agents * perAgent;
            var fileBytes = new FileInfo(path).Length;
            Console.Error.WriteLine($"history: {Numbers.Count(operations)} operations, {Numbers.Bytes(fileBytes)}");

            var results = new List<(int Round, Measurement Gauntlet, Measurement Naive)>();
            for (var round = 1; round <= rounds; round++)
            {
                var gauntlet = await MeasureAsync(() => GauntletLostAsync(path, present)).ConfigureAwait(false);
                var naive = await MeasureAsync(() => Task.FromResult(NaiveLost(path, present))).ConfigureAwait(false);
                if (gauntlet.Lost != Lost || naive.Lost != Lost)
                    throw new InvalidOperationException($"expected {Lost} lost writes; Gauntlet found {gauntlet.Lost}, the naive peer {naive.Lost}");
                results.Add((round, gauntlet, naive));
                Console.Error.WriteLine($"round {round}: gauntlet {gauntlet.Seconds:F3} s, peak heap {Numbers.Bytes(gauntlet.PeakHeapBytes)}; naive {naive.Seconds:F3} s, peak heap {Numbers.Bytes(naive.PeakHeapBytes)}");
            }

            var report = Render(quick, operations, fileBytes, results, repositoryRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            await File.WriteAllTextAsync(outputPath, report).ConfigureAwait(false);
            Console.WriteLine(report);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes the history and returns the final state: every acknowledged value but the first <see cref="Lost"/>.</summary>
    private static List<string> WriteHistory(string path, int perAgent)
    {
        var present = new List<string>(Agents * perAgent);
        using var log = HistoryLog.Open(path, "writers", append: false);
        long id = 0;
        for (var i = 0; i < perAgent; i++)
        {
            for (var agent = 0; agent < Agents; agent++)
            {
                id++;
                var value = $"agent{agent}-write{i}";
                log.Add(new HistoryEntry(id, agent, HistoryFunction.Write, value, id * 10, id * 10 + 7, HistoryOutcome.Ok, null));
                if (id > Lost) present.Add(value);
            }
        }
        log.Complete();
        return present;
    }

    private static async Task<long> GauntletLostAsync(string path, List<string> present)
    {
        var results = await VerifierRunner.RunAsync([Verifier.Set(_ => Task.FromResult<IEnumerable<string>>(present))], path, "writers").ConfigureAwait(false);
        return results[0].Count("lost") ?? -1;
    }

    /// <summary>The hand-written check: the whole history as objects in a list, then LINQ.</summary>
    private static long NaiveLost(string path, List<string> present)
    {
        var entries = File.ReadAllLines(path).Select(line => JsonSerializer.Deserialize(line, NaiveJson.Default.NaiveEntry)!).ToList();
        var acknowledged = entries.Where(e => e.F == "write" && e.Outcome == "ok" && e.Value is not null).Select(e => e.Value!).Distinct().ToList();
        var read = present.ToHashSet();
        return acknowledged.Count(value => !read.Contains(value));
    }

    private sealed record Measurement(double Seconds, long AllocatedBytes, long PeakHeapBytes, long Lost);

    private static async Task<Measurement> MeasureAsync(Func<Task<long>> run)
    {
        var measured = await HeapMeasure.RunAsync(run).ConfigureAwait(false);
        return new Measurement(measured.Seconds, measured.AllocatedBytes, measured.PeakHeapBytes, measured.Result);
    }

    private static string Render(bool quick, long operations, long fileBytes, List<(int Round, Measurement Gauntlet, Measurement Naive)> results, string root)
    {
        var machine = MachineDescription.Capture();
        var table = new MarkdownTable("round", ">Gauntlet set verifier", ">naive (list of objects, then LINQ)", ">time ratio", ">Gauntlet peak heap", ">naive peak heap",
            ">Gauntlet allocated", ">naive allocated");
        foreach (var (round, g, n) in results)
            table.Row(round.ToString(CultureInfo.InvariantCulture), $"{g.Seconds:F3} s", $"{n.Seconds:F3} s", Numbers.Ratio(g.Seconds / n.Seconds),
                Numbers.Bytes(g.PeakHeapBytes), Numbers.Bytes(n.PeakHeapBytes), Numbers.Bytes(g.AllocatedBytes), Numbers.Bytes(n.AllocatedBytes));
        var gMedian = Numbers.Median(results.Select(r => r.Gauntlet.Seconds).ToList());
        var nMedian = Numbers.Median(results.Select(r => r.Naive.Seconds).ToList());
        var gHeap = Numbers.Median(results.Select(r => (double)r.Gauntlet.PeakHeapBytes).ToList());
        var nHeap = Numbers.Median(results.Select(r => (double)r.Naive.PeakHeapBytes).ToList());
        var text = new StringBuilder();
        text.AppendLine("# Gauntlet verification benchmark").AppendLine();
        text.AppendLine(new MarkdownTable("", "")
            .Row("Date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Row("Command", $"`dotnet run -c Release --project bench/Gauntlet.Bench -- verify{(quick ? " --quick" : "")}`" + (quick ? " (smoke run: a tenth of the history, 1 round)" : ""))
            .Row("Gauntlet commit", SourceRevision.Describe(root))
            .Row("CPU", machine.Cpu)
            .Row("Cores", $"{machine.LogicalCores} logical")
            .Row(".NET", $"{machine.Runtime}, {machine.Gc} GC, Release")
            .Row("Load average", $"{machine.LoadAverage} at start, {MachineDescription.LoadAverageNow()} at end")
            .ToString());
        text.AppendLine($"A history of {Numbers.Count(operations)} writes by {Agents} agents ({Numbers.Bytes(fileBytes)} of JSON Lines, written by `HistoryLog`),");
        text.AppendLine($"and a final state missing the first {Numbers.Count(Lost)} acknowledged writes. Both checks must report exactly {Numbers.Count(Lost)} lost.");
        text.AppendLine("Gauntlet's `set` verifier streams the file (`HistoryReader`, one line in memory) and keeps one dictionary entry per");
        text.AppendLine("value; the peer reads every line, deserializes it into an object (source-generated System.Text.Json), keeps the list,");
        text.AppendLine("then uses LINQ. Time covers the final read, the pass over the history and the verdict. Peak heap is the largest");
        text.AppendLine("managed heap seen (sampled every 5 ms) above the heap before the check.").AppendLine();
        text.AppendLine(table.ToString());
        text.AppendLine("| claim | goal | Gauntlet | peer in the same run | ratio | verdict |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        text.AppendLine($"| verify {Numbers.Count(operations)} operations | < {GoalSeconds:0} s | {gMedian:F3} s | {nMedian:F3} s | {Numbers.Ratio(gMedian / nMedian)} | {(gMedian < GoalSeconds ? "met" : "**missed**")} |");
        text.AppendLine($"| peak managed heap | bounded: the values, not the history | {Numbers.Bytes((long)gHeap)} | {Numbers.Bytes((long)nHeap)} | {Numbers.Ratio(gHeap / nHeap)} | {(gHeap < nHeap ? "met" : "**missed**")} |");
        return text.ToString().Replace("\r\n", "\n");
    }
}

/// <summary>What the naive peer deserializes each line into.</summary>
internal sealed class NaiveEntry
{
    public string? Scenario { get; set; }
    public long Id { get; set; }
    public int Worker { get; set; }
    public string? F { get; set; }
    public string? Value { get; set; }
    public long Invoke { get; set; }
    public long Complete { get; set; }
    public string? Outcome { get; set; }
    public string? Error { get; set; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(NaiveEntry))]
internal sealed partial class NaiveJson : System.Text.Json.Serialization.JsonSerializerContext;
