using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Results;
using Gauntlet.Verification;

namespace Gauntlet.Bench.Verify;

/// <summary>
/// The <c>verify</c> command: a history of 1,000,000 writes by 10 agents (1,000 acknowledged writes missing from the
/// final state), checked by Gauntlet's <c>set</c> verifier, which streams the file, and by the peer a team would write
/// by hand: read every line, deserialize each into an object, keep the list, then group. Each check runs as its own
/// fresh process (<see cref="VerifyCase"/>), as a user meets it: runtime start-up and JIT are counted. Rounds alternate
/// which check goes first; both must find the same 1,000 lost writes. Figures are medians over the rounds.
/// </summary>
internal static class VerifyBenchmark
{
    /// <summary>The scenario the history's lines name.</summary>
    public const string ScenarioName = "writers";

    private const int Agents = 10;
    private const int PerAgent = 100_000;
    private const int Lost = 1_000;
    private const int Rounds = 5;
    private const double GoalSeconds = 2.0;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(bool quick, string outputPath, string repositoryRoot)
    {
        var rounds = quick ? 1 : Rounds;
        var perAgent = quick ? PerAgent / 10 : PerAgent;
        var folder = Directory.CreateTempSubdirectory("gauntlet-verify-bench-").FullName;
        try
        {
            var historyPath = Path.Combine(folder, "history.jsonl");
            var statePath = Path.Combine(folder, "final-state.txt");
            WriteHistory(historyPath, statePath, perAgent);
            var operations = (long)Agents * perAgent;
            var fileBytes = new FileInfo(historyPath).Length;
            Console.Error.WriteLine($"history: {Numbers.Count(operations)} operations, {Numbers.Bytes(fileBytes)}");

            var machine = MachineDescription.Capture();
            var results = new List<Round>();
            for (var round = 1; round <= rounds; round++)
            {
                // Interleaved: odd rounds start with Gauntlet, even rounds with the peer, so neither always meets a cold page cache.
                var gauntletFirst = round % 2 == 1;
                Run first = await RunCaseAsync(gauntletFirst ? VerifyCase.Gauntlet : VerifyCase.Naive, historyPath, statePath).ConfigureAwait(false);
                Run second = await RunCaseAsync(gauntletFirst ? VerifyCase.Naive : VerifyCase.Gauntlet, historyPath, statePath).ConfigureAwait(false);
                var (gauntlet, naive) = gauntletFirst ? (first, second) : (second, first);
                if (gauntlet.Case.Lost != Lost || naive.Case.Lost != Lost)
                    throw new InvalidOperationException($"expected {Lost} lost writes; Gauntlet found {gauntlet.Case.Lost}, the naive peer {naive.Case.Lost}");
                results.Add(new Round(round, gauntletFirst, gauntlet, naive));
                Console.Error.WriteLine($"round {round}: gauntlet {gauntlet.WallSeconds:F3} s as a process ({gauntlet.Case.CheckSeconds:F3} s checking), "
                    + $"naive {naive.WallSeconds:F3} s ({naive.Case.CheckSeconds:F3} s checking)");
            }

            var report = Render(quick, machine, operations, fileBytes, results, repositoryRoot);
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

    /// <summary>Writes the history, and the final state (every acknowledged value but the first <see cref="Lost"/>, one a line).</summary>
    private static void WriteHistory(string historyPath, string statePath, int perAgent)
    {
        using var state = new StreamWriter(statePath, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        using var log = HistoryLog.Open(historyPath, ScenarioName, append: false);
        long id = 0;
        for (var i = 0; i < perAgent; i++)
        {
            for (var agent = 0; agent < Agents; agent++)
            {
                id++;
                var value = $"agent{agent}-write{i}";
                log.Add(new HistoryEntry(id, agent, HistoryFunction.Write, value, id * 10, id * 10 + 7, HistoryOutcome.Ok, null));
                if (id > Lost) state.WriteLine(value);
            }
        }
        log.Complete();
    }

    /// <summary>One check as its own process: the wall time from spawning it to its exit, and what it reported.</summary>
    private sealed record Run(double WallSeconds, VerifyMeasurement Case);

    private sealed record Round(int Number, bool GauntletFirst, Run Gauntlet, Run Naive);

    private static async Task<Run> RunCaseAsync(string checker, string historyPath, string statePath)
    {
        var start = ThisBenchmark.ChildStartInfo();
        start.ArgumentList.Add(VerifyCase.Command);
        start.ArgumentList.Add(checker);
        start.ArgumentList.Add(historyPath);
        start.ArgumentList.Add(statePath);
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        // Both streams are drained concurrently so a chatty child can never block on a full pipe.
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CaseTimeout);
        try
        {
            await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"verify case '{checker}' did not finish within {CaseTimeout}");
        }
        var wall = clock.Elapsed.TotalSeconds;
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (child.ExitCode != 0) throw new InvalidOperationException($"verify case '{checker}' exited with {child.ExitCode}: {errors.Trim()}");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"verify case '{checker}' printed nothing");
        var measurement = JsonSerializer.Deserialize(line, VerifyJson.Default.VerifyMeasurement)
            ?? throw new InvalidOperationException($"verify case '{checker}' printed '{line}', not a measurement");
        return new Run(wall, measurement);
    }


    private static string Render(bool quick, MachineDescription machine, long operations, long fileBytes, List<Round> results, string root)
    {
        var table = new MarkdownTable("round", "first", ">Gauntlet, as a process", ">naive, as a process", ">ratio", ">Gauntlet check (in process)",
            ">naive check (in process)", ">Gauntlet peak RSS", ">naive peak RSS", ">Gauntlet allocated", ">naive allocated");
        foreach (var r in results)
            table.Row(r.Number.ToString(CultureInfo.InvariantCulture), r.GauntletFirst ? "Gauntlet" : "naive",
                $"{r.Gauntlet.WallSeconds:F3} s", $"{r.Naive.WallSeconds:F3} s", Numbers.Ratio(r.Gauntlet.WallSeconds / r.Naive.WallSeconds),
                $"{r.Gauntlet.Case.CheckSeconds:F3} s", $"{r.Naive.Case.CheckSeconds:F3} s",
                Numbers.Bytes(r.Gauntlet.Case.VmHwmBytes), Numbers.Bytes(r.Naive.Case.VmHwmBytes),
                Numbers.Bytes(r.Gauntlet.Case.AllocatedBytes), Numbers.Bytes(r.Naive.Case.AllocatedBytes));
        double Median(Func<Round, double> figure) => Numbers.Median(results.Select(figure).ToList());
        var gWall = Median(r => r.Gauntlet.WallSeconds);
        var nWall = Median(r => r.Naive.WallSeconds);
        var ratio = Median(r => r.Gauntlet.WallSeconds / r.Naive.WallSeconds);
        var gCheck = Median(r => r.Gauntlet.Case.CheckSeconds);
        var nCheck = Median(r => r.Naive.Case.CheckSeconds);
        var gRead = Median(r => r.Gauntlet.Case.FinalReadSeconds);
        var gHeap = Median(r => r.Gauntlet.Case.PeakHeapBytes);
        var nHeap = Median(r => r.Naive.Case.PeakHeapBytes);
        var gRss = Median(r => r.Gauntlet.Case.VmHwmBytes);
        var nRss = Median(r => r.Naive.Case.VmHwmBytes);
        var gAllocated = Median(r => r.Gauntlet.Case.AllocatedBytes);
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
        text.AppendLine($"and a final state (a text file, one value a line) missing the first {Numbers.Count(Lost)} acknowledged writes. Both checks must");
        text.AppendLine($"report exactly {Numbers.Count(Lost)} lost. Each check runs as its own fresh process of the benchmark (`{VerifyCase.Command} gauntlet|naive HISTORY STATE`),");
        text.AppendLine("so runtime start-up, JIT and the first read of the files are counted, as a user meets them; rounds alternate which check");
        text.AppendLine("goes first. Gauntlet's `set` verifier runs through `VerifierRunner`, as `gauntlet run` and `gauntlet merge` run it: the final");
        text.AppendLine("read, then one streaming pass over the history (`HistoryReader`, one line in memory), then the verdict. The peer reads");
        text.AppendLine("every line, deserializes it into an object (source-generated System.Text.Json), keeps the list, then uses LINQ.");
        text.AppendLine("\"As a process\" is the wall time from spawning the process to its exit, measured by the parent; \"check\" is the time");
        text.AppendLine("inside the process from the start of the check to its verdict (final read included, runtime start-up not). Allocated is");
        text.AppendLine("`GC.GetTotalAllocatedBytes(true)` over the check; peak RSS is the process's `VmHWM`.").AppendLine();
        text.AppendLine(table.ToString());
        text.AppendLine($"Medians over {results.Count} round{(results.Count == 1 ? "" : "s")}. Gauntlet's check: {gCheck:F3} s in process, of which the final read {gRead:F3} s;");
        text.AppendLine($"the rest of the {gWall:F3} s is the process's start-up and exit. {Numbers.Bytes((long)gAllocated)} allocated ({Numbers.Fixed(gAllocated / operations, 1)} bytes per operation).").AppendLine();
        text.AppendLine("| claim | goal | Gauntlet | peer in the same run | ratio | verdict |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        text.AppendLine($"| verify {Numbers.Count(operations)} operations, as its own process | < {GoalSeconds:0} s | {gWall:F3} s | {nWall:F3} s | {Numbers.Ratio(ratio)} | {(gWall < GoalSeconds ? "met" : "**missed**")} |");
        text.AppendLine($"| the check inside the process | | {gCheck:F3} s | {nCheck:F3} s | {Numbers.Ratio(gCheck / nCheck)} | |");
        text.AppendLine($"| peak managed heap | bounded: the values, not the history | {Numbers.Bytes((long)gHeap)} | {Numbers.Bytes((long)nHeap)} | {Numbers.Ratio(gHeap / nHeap)} | {(gHeap < nHeap ? "met" : "**missed**")} |");
        text.AppendLine($"| peak resident set | | {Numbers.Bytes((long)gRss)} | {Numbers.Bytes((long)nRss)} | {Numbers.Ratio(gRss / nRss)} | |");
        text.AppendLine().AppendLine("The ratio in the first row is the median of the per-round ratios (each round's two processes ran back to back).");
        return text.ToString().Replace("\r\n", "\n");
    }
}
