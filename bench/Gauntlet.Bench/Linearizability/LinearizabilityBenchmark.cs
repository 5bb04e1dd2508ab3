using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Scenarios;
using Gauntlet.Verification.Linearizability;

namespace Gauntlet.Bench.Linearizability;

/// <summary>
/// The linearizability checker on generated register histories (1,000 to 100,000 operations, 8 to 32 clients), and on
/// Jepsen's etcd register logs that Porcupine's repository carries, against Porcupine's expected verdicts. The logs are
/// not part of Gauntlet: set GAUNTLET_PORCUPINE to a checkout of github.com/anishathalye/porcupine (the part is skipped,
/// with a message, without it).
/// </summary>
internal static partial class LinearizabilityBenchmark
{
    public const string PorcupineVariable = "GAUNTLET_PORCUPINE";
    private const double GoalSeconds = 1.0;
    private const int StaleOperations = 1_000;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task<int> RunAsync(bool quick, string outputPath, string root)
    {
        var machine = MachineDescription.Capture();
        var sizes = quick ? new[] { 1_000, 10_000 } : [1_000, 10_000, 100_000];
        var clientCounts = new[] { 8, 16, 32 };
        var rounds = quick ? 1 : 3;
        var table = new MarkdownTable(">operations", ">clients", ">indeterminate", "verdict (limit 30 s)", ">check time (median)", ">min", ">max", ">allocated", ">peak heap", ">search steps");
        double? goalSeconds = null;
        // Warm the JIT on a small history first, so the first measured case does not pay for it.
        Check(RegisterHistories.Generate(2_000, 8, seed: 99));
        foreach (var size in sizes)
        {
            foreach (var clients in clientCounts)
            {
                var history = RegisterHistories.Generate(size, clients, seed: size + clients);
                var measurements = new List<Measurement>();
                for (var round = 0; round < rounds; round++)
                {
                    measurements.Add(Measure(() => Check(history)));
                    // A case that ran into the time limit would only run into it again.
                    if (measurements[^1].Outcome.Verdict == SearchVerdict.Unknown) break;
                }
                var seconds = measurements.Select(m => m.Seconds).ToList();
                var median = Numbers.Median(seconds);
                var last = measurements[^1];
                if (last.Outcome.Verdict == SearchVerdict.NotLinearizable)
                    throw new InvalidOperationException($"a correct register history of {size} operations on {clients} clients was judged {last.Outcome.Verdict}");
                if (size == 10_000 && clients == 16) goalSeconds = median;
                Console.Error.WriteLine($"{size} operations, {clients} clients: {median:F3} s, {last.Outcome.Verdict}");
                table.Row(Numbers.Count(size), clients.ToString(CultureInfo.InvariantCulture), Numbers.Count(history.Count(o => o.Indeterminate)),
                    Verdicts(measurements), $"{median:F3} s", $"{seconds.Min():F3} s", $"{seconds.Max():F3} s",
                    Numbers.Bytes(last.AllocatedBytes), Numbers.Bytes(last.PeakHeapBytes), Numbers.Count(last.Outcome.Steps));
            }
        }

        // A history with one read made stale: it must be found, with its counterexample.
        var stale = StaleRead(RegisterHistories.Generate(StaleOperations, 8, seed: 1_008));
        var staleMeasured = Measure(() => Check(stale));
        if (staleMeasured.Outcome.Verdict == SearchVerdict.Linearizable)
            throw new InvalidOperationException($"a register history with a stale read was judged {staleMeasured.Outcome.Verdict}");

        var text = new StringBuilder();
        text.AppendLine("# Gauntlet linearizability benchmark").AppendLine();
        text.AppendLine(new MarkdownTable("", "")
            .Row("Date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Row("Command", $"`{PorcupineVariable}=/path/to/porcupine dotnet run -c Release --project bench/Gauntlet.Bench -- linearizability{(quick ? " --quick" : "")}`")
            .Row("Gauntlet commit", SourceRevision.Describe(root))
            .Row("CPU", machine.Cpu)
            .Row("Cores", $"{machine.LogicalCores} logical")
            .Row(".NET", $"{machine.Runtime}, {machine.Gc} GC, Release")
            .Row("Load average", $"{machine.LoadAverage} at start")
            .ToString());
        text.AppendLine("## Generated register histories").AppendLine();
        text.AppendLine("Histories of a correct register (`RegisterHistories`): each client runs one operation after another; each operation");
        text.AppendLine("takes effect at a random instant inside its span; half reads, 30% writes, 20% compare-and-sets over the values 0 to 4");
        text.AppendLine("(as Jepsen's etcd test), 1% of writes and compare-and-sets indeterminate (half of them took effect), failed");
        text.AppendLine("compare-and-sets left out as the verifier leaves them out. Time is `LinearizabilityCheck.Run` with the register");
        text.AppendLine($"model: splitting, the search and the verdict, {rounds} round{(rounds == 1 ? "" : "s")} per case. Allocated and peak heap are of the last round (peak: the largest");
        text.AppendLine("managed heap seen, sampled every 5 ms, above the heap before the check).").AppendLine();
        text.AppendLine(table.ToString());
        text.AppendLine($"A {Numbers.Count(StaleOperations)}-operation history of 8 clients with one read changed to a value nobody wrote: {staleMeasured.Outcome.Verdict} in {staleMeasured.Seconds:F3} s,");
        text.AppendLine($"counterexample of {staleMeasured.Outcome.Counterexample?.Operations.Count} operations, longest linearizable prefix {Numbers.Count(staleMeasured.Outcome.Counterexample?.PrefixLength ?? 0)} operations.").AppendLine();
        text.AppendLine("| claim | goal | measured | verdict |");
        text.AppendLine("|---|---|---:|---|");
        text.AppendLine($"| 10,000 operations, 16 clients, correct register | < {GoalSeconds:0} s | {goalSeconds:F3} s | {(goalSeconds < GoalSeconds ? "met" : "**missed**")} |");
        text.AppendLine();
        text.Append(EtcdSection());
        var report = text.ToString().Replace("\r\n", "\n");
        File.WriteAllText(outputPath, report);
        Console.WriteLine(report);
        return Task.FromResult(0);
    }

    /// <summary>Each round's verdict, counted: <c>linearizable</c>, or <c>linearizable ×2, unknown (time limit) ×1</c> when rounds differ.</summary>
    private static string Verdicts(List<Measurement> measurements)
    {
        static string Name(SearchVerdict v) => v switch
        {
            SearchVerdict.Linearizable => "linearizable",
            SearchVerdict.NotLinearizable => "not linearizable",
            _ => "unknown (time limit)",
        };
        var groups = measurements.GroupBy(m => m.Outcome.Verdict).ToList();
        return groups.Count == 1 ? Name(groups[0].Key) : string.Join(", ", groups.Select(g => $"{Name(g.Key)} ×{g.Count()}"));
    }

    private static LinearizabilityOutcome Check(List<HistoryOperation> history) =>
        LinearizabilityCheck.Run(LinearizableModel.Register, history, Limit, "microseconds");

    /// <summary>The read in the middle of the history now returns a value no write around it gave.</summary>
    private static List<HistoryOperation> StaleRead(List<HistoryOperation> history)
    {
        var copy = history.ToList();
        var middle = copy.FindIndex(copy.Count / 2, o => o.Function == "read" && o.Value is not null);
        copy[middle] = copy[middle] with { Value = "stale-7" };
        return copy;
    }

    private sealed record Measurement(double Seconds, long AllocatedBytes, long PeakHeapBytes, LinearizabilityOutcome Outcome);

    private static Measurement Measure(Func<LinearizabilityOutcome> run)
    {
        // The check is synchronous; it runs on this thread while the sampler runs on the pool.
        var measured = HeapMeasure.RunAsync(() => Task.FromResult(run())).GetAwaiter().GetResult();
        return new Measurement(measured.Seconds, measured.AllocatedBytes, measured.PeakHeapBytes, measured.Result);
    }

    private const int EtcdRounds = 5;
    private const string PorcupineCommand = "go test -run '^$' -bench BenchmarkEtcdJepsen -benchtime 5x -count 1 .";

    [GeneratedRegex(@"^BenchmarkEtcdJepsen(\d+)\S*\s+\d+\s+(\d+(?:\.\d+)?) ns/op", RegexOptions.Multiline)]
    private static partial Regex GoBenchmarkLine();

    /// <summary>Porcupine's own etcd benchmarks, when Go is installed: seconds per check by log, and Go's version; null without Go.</summary>
    private static (Dictionary<int, double> Seconds, string Version)? RunPorcupine(string repository)
    {
        string Run(string arguments)
        {
            var start = new ProcessStartInfo("go") { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments.Split(' ')) start.ArgumentList.Add(argument.Trim('\''));
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5))) throw new TimeoutException("Porcupine's benchmarks took more than 5 minutes");
            if (process.ExitCode != 0) throw new InvalidOperationException($"go {arguments} failed: {output}{error.Result}");
            return output;
        }
        try
        {
            var version = Run("version").Trim();
            var output = Run(PorcupineCommand["go ".Length..]);
            var seconds = GoBenchmarkLine().Matches(output).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) / 1e9);
            Console.Error.WriteLine($"porcupine: {seconds.Count} logs, {seconds.Values.Sum():F3} s in all");
            return (seconds, version);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("porcupine: no go on the PATH; its figures are quoted, not measured");
            return null;
        }
    }

    [GeneratedRegex(@"checkJepsen\(t,\s*(\d+),\s*(true|false)\)")]
    private static partial Regex ExpectedVerdict();

    /// <summary>
    /// Jepsen's etcd logs from Porcupine's repository, each read by <c>gauntlet verify</c>'s reader and checked with the
    /// register model, against the verdicts Porcupine's tests expect (read from its porcupine_test.go).
    /// </summary>
    private static string EtcdSection()
    {
        var text = new StringBuilder();
        text.AppendLine("## Jepsen's etcd histories (Porcupine's test data)").AppendLine();
        var repository = Environment.GetEnvironmentVariable(PorcupineVariable);
        var logs = repository is null ? null : Path.Combine(repository, "test_data", "jepsen");
        var tests = repository is null ? null : Path.Combine(repository, "porcupine_test.go");
        if (logs is null || !Directory.Exists(logs) || !File.Exists(tests))
        {
            var message = $"skipped: set {PorcupineVariable} to a checkout of https://github.com/anishathalye/porcupine (its test_data/jepsen/etcd_*.log and porcupine_test.go)";
            Console.Error.WriteLine(message);
            return text.AppendLine(message).AppendLine().ToString();
        }
        var expected = ExpectedVerdict().Matches(File.ReadAllText(tests!))
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => m.Groups[2].Value == "true");
        // Warm up on one log, then time every log: the mean of 5 checks, as Porcupine's benchmarks with -benchtime 5x.
        Check(HistoryFile.Read(Path.Combine(logs, "etcd_000.log"), null).Operations);
        var rows = new List<(int Log, int Operations, int Indeterminate, bool Expected, SearchVerdict Verdict, double Seconds)>();
        foreach (var (log, want) in expected.OrderBy(e => e.Key))
        {
            var history = HistoryFile.Read(Path.Combine(logs, $"etcd_{log:000}.log"), null);
            LinearizabilityOutcome? outcome = null;
            var clock = Stopwatch.StartNew();
            for (var round = 0; round < EtcdRounds; round++) outcome = Check(history.Operations);
            rows.Add((log, history.Operations.Count + (int)history.Failed, history.Operations.Count(o => o.Indeterminate), want, outcome!.Verdict,
                clock.Elapsed.TotalSeconds / EtcdRounds));
        }
        var porcupine = RunPorcupine(repository!);
        var agree = rows.Count(r => (r.Verdict == SearchVerdict.Linearizable) == r.Expected && r.Verdict != SearchVerdict.Unknown);
        var total = rows.Sum(r => r.Seconds);
        var slowest = rows.MaxBy(r => r.Seconds);
        Console.Error.WriteLine($"etcd: {agree}/{rows.Count} verdicts as Porcupine's, {total:F3} s in all, slowest etcd_{slowest.Log:000} {slowest.Seconds:F3} s");
        text.AppendLine($"{rows.Count} logs (etcd_000 to etcd_102 but 095, which Porcupine's tests skip: etcd did not start), read from the plain log lines by");
        text.AppendLine("`HistoryFile` (`gauntlet verify FILE --model register`) and checked with the register model; each log's time is the mean");
        text.AppendLine($"of {EtcdRounds} checks. `:fail` operations never took effect and are left out; `:info` ones, and those still open at the end, are indeterminate.");
        text.AppendLine(porcupine is null
            ? "Porcupine was not run here (no `go` on the PATH): its column quotes the issue's figures for this machine."
            : $"Porcupine in the same run: `{PorcupineCommand}` in the checkout (Go {porcupine.Value.Version}), each log's ns/op; its benchmarks fail when a verdict differs from its tests' expected one.");
        text.AppendLine();
        var porcupineTotal = porcupine?.Seconds.Values.Sum() ?? 1.3;
        var porcupineSlowest = porcupine?.Seconds.Values.Max() ?? 0.5;
        text.AppendLine("| claim | Porcupine (Go), same machine | Gauntlet | ratio | verdict |");
        text.AppendLine("|---|---:|---:|---:|---|");
        text.AppendLine($"| verdicts equal to Porcupine's expected ones | {rows.Count} of {rows.Count} | {agree} of {rows.Count} | | {(agree == rows.Count ? "met" : "**missed**")} |");
        text.AppendLine($"| all logs, total check time | {porcupineTotal:F3} s{(porcupine is null ? " (quoted)" : "")} | {total:F3} s | {Numbers.Ratio(total / porcupineTotal)} | {(total < porcupineTotal ? "met" : "**missed**")} |");
        text.AppendLine($"| slowest log | {porcupineSlowest:F3} s{(porcupine is null ? " (quoted)" : "")} | {slowest.Seconds:F3} s (etcd_{slowest.Log:000}) | {Numbers.Ratio(slowest.Seconds / porcupineSlowest)} | {(slowest.Seconds < porcupineSlowest ? "met" : "**missed**")} |");
        text.AppendLine();
        var table = new MarkdownTable("log", ">operations", ">indeterminate", "Porcupine expects", "Gauntlet", ">Gauntlet time", ">Porcupine time");
        foreach (var r in rows)
            table.Row($"etcd_{r.Log:000}", r.Operations.ToString(CultureInfo.InvariantCulture), r.Indeterminate.ToString(CultureInfo.InvariantCulture),
                r.Expected ? "linearizable" : "not", r.Verdict switch { SearchVerdict.Linearizable => "linearizable", SearchVerdict.NotLinearizable => "not", _ => "unknown" },
                $"{r.Seconds * 1000:F2} ms", porcupine?.Seconds.TryGetValue(r.Log, out var go) == true ? $"{go * 1000:F2} ms" : "n/a");
        text.AppendLine("<details><summary>every log</summary>").AppendLine();
        text.AppendLine(table.ToString());
        text.AppendLine("</details>").AppendLine();
        return text.ToString();
    }
}
