using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Verification;

namespace Gauntlet.Bench.Merge;

/// <summary>
/// The <c>merge</c> command: 64 segment results of a 60 s run (each with realistic latency histograms, a per-second
/// timeline with its histograms, and a history), merged by the built <c>gauntlet merge</c> as its own process, start-up
/// included. Reports the median wall time over the rounds and the peak resident memory (<c>/usr/bin/time -v</c>), beside
/// the tool's bare start-up (<c>gauntlet --version</c>) and the histories' size, against the issue's goal.
/// </summary>
internal static class MergeBenchmark
{
    private const int Segments = 64;
    private const int Seconds = 60;
    /// <summary>Operations a second in each segment of the run without histories (the time goal).</summary>
    private const int OpsPerSecond = 2_000;

    /// <summary>Operations a second in each segment of the run with histories, every one of them recorded (the memory goal).</summary>
    private const int HistoryPerSecond = 200;
    private const double GoalSeconds = 1.0;

    public static async Task<int> RunAsync(bool quick, string outputPath, string root)
    {
        var tool = Path.Combine(root, "src", "Gauntlet.Cli", "bin", "Release", "net10.0", "gauntlet.dll");
        if (!File.Exists(tool)) throw new InvalidOperationException($"build the tool first: dotnet build -c Release src/Gauntlet.Cli (no {tool})");
        var rounds = quick ? 2 : 7;
        var folder = Directory.CreateTempSubdirectory("gauntlet-merge-bench-").FullName;
        try
        {
            var plain = Path.Combine(folder, "results");
            var recorded = Path.Combine(folder, "results-with-histories");
            var (resultBytes, _) = WriteSegments(plain, OpsPerSecond, withHistory: false);
            var (recordedBytes, historyBytes) = WriteSegments(recorded, HistoryPerSecond, withHistory: true);
            Console.Error.WriteLine($"{Segments} segments: {Numbers.Bytes(resultBytes)} of result.json; with histories: {Numbers.Bytes(recordedBytes)} + {Numbers.Bytes(historyBytes)}");
            var rows = new List<(Run Startup, Run Plain, Run Recorded)>();
            for (var round = 1; round <= rounds; round++)
            {
                var startup = await TimeAsync(tool, ["--version"]).ConfigureAwait(false);
                var merge = await MergeAsync(tool, plain, Path.Combine(folder, $"merged-{round}")).ConfigureAwait(false);
                var withHistories = await MergeAsync(tool, recorded, Path.Combine(folder, $"merged-histories-{round}")).ConfigureAwait(false);
                rows.Add((startup, merge, withHistories));
                Console.Error.WriteLine($"round {round}: merge {merge.Seconds:F3} s, {Numbers.Bytes(merge.PeakRssBytes)}; with histories {withHistories.Seconds:F3} s, {Numbers.Bytes(withHistories.PeakRssBytes)}; start-up {startup.Seconds:F3} s");
            }
            var report = Render(quick, resultBytes, recordedBytes, historyBytes, rows, root);
            await File.WriteAllTextAsync(outputPath, report).ConfigureAwait(false);
            Console.WriteLine(report);
            return 0;
        }
        finally
        {
            // GAUNTLET_BENCH_KEEP=1 keeps the segments, to time or profile a merge of them by hand.
            if (Environment.GetEnvironmentVariable("GAUNTLET_BENCH_KEEP") == "1") Console.Error.WriteLine($"kept: {folder}");
            else Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Run> MergeAsync(string tool, string inputs, string output)
    {
        var merge = await TimeAsync(tool, ["merge", inputs, "--out", output]).ConfigureAwait(false);
        if (merge.ExitCode != 0) throw new InvalidOperationException($"gauntlet merge exited {merge.ExitCode}: {merge.Stderr}");
        return merge;
    }

    /// <summary>Writes the 64 segments' folders; returns the bytes of their result files and of their histories.</summary>
    private static (long Results, long Histories) WriteSegments(string folder, int opsPerSecond, bool withHistory)
    {
        long results = 0, histories = 0;
        var start = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
        for (var index = 0; index < Segments; index++)
        {
            var random = new Random(index);
            var segmentFolder = Path.Combine(folder, $"segment-{index}");
            Directory.CreateDirectory(segmentFolder);
            var skew = random.NextDouble() * 0.2;
            var result = Segment(index, random, start.AddSeconds(skew), skew, opsPerSecond, withHistory);
            var path = Path.Combine(segmentFolder, "result.json");
            ResultFile.WriteAsync(result, path).GetAwaiter().GetResult();
            results += new FileInfo(path).Length;
            if (withHistory) histories += WriteHistory(Path.Combine(segmentFolder, "history.jsonl"), index, random, opsPerSecond);
        }
        return (results, histories);
    }

    private static RunResult Segment(int index, Random random, DateTimeOffset startedAt, double skew, int opsPerSecond, bool withHistory)
    {
        var total = Histograms.Create();
        var timeline = new List<TimelinePoint>(Seconds);
        for (var second = 1; second <= Seconds; second++)
        {
            var histogram = Histograms.Create();
            for (var i = 0; i < opsPerSecond; i++) histogram.RecordValue(LatencyMicros(random));
            total.Add(histogram);
            timeline.Add(new TimelinePoint
            {
                Second = second, Started = opsPerSecond, Completed = opsPerSecond, Ok = opsPerSecond,
                P50Micros = histogram.GetValueAtPercentile(50), P99Micros = histogram.GetValueAtPercentile(99),
                Histogram = Histograms.Encode(histogram), InFlight = 8, Workers = 8,
            });
        }
        var counts = new Counts { Started = total.TotalCount, Ok = total.TotalCount };
        var scenario = new ScenarioResult
        {
            Name = "checkout",
            Fingerprint = "bench-fingerprint",
            Config = new ScenarioConfig { Model = "closed", Load = "8 workers", Bounds = "60s", MaxConcurrency = 8, DurationSeconds = Seconds, Thresholds = ["p99 < 50ms", "error_rate < 1%"] },
            StartedAt = startedAt,
            IssuingSeconds = Seconds,
            DurationSeconds = Seconds,
            Counts = counts,
            AccountingBalanced = true,
            Latency = Histograms.Summarize(total),
            Throughput = new ThroughputStats { Overall = opsPerSecond, Mean = opsPerSecond, Seconds = Seconds },
            Timeline = timeline,
            History = withHistory ? new HistoryInfo { File = "history.jsonl", Entries = counts.Started } : null,
        };
        return new RunResult
        {
            Environment = EnvironmentInfo.Capture() with { MachineName = $"pod-{index}" },
            StartedAt = startedAt,
            FinishedAt = startedAt.AddSeconds(Seconds),
            Scenarios = [scenario],
            Segment = new SegmentInfo { Index = index, Count = Segments, StartAt = startedAt.AddSeconds(-skew), StartSkewSeconds = skew },
        };
    }

    /// <summary>Log-normal around 2 ms, with a tail: what a service under load looks like.</summary>
    private static long LatencyMicros(Random random)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Histograms.Clamp((long)Math.Exp(Math.Log(2000) + 0.6 * normal));
    }

    /// <summary>A history of every operation, <paramref name="perSecond"/> writes a second; returns its size in bytes.</summary>
    private static long WriteHistory(string path, int index, Random random, int perSecond)
    {
        using var log = HistoryLog.Open(path, "checkout", append: false);
        for (long i = 0; i < (long)Seconds * perSecond; i++)
        {
            var invoke = i * 1_000_000 / perSecond;
            log.Add(new HistoryEntry(i * Segments + index + 1, index, HistoryFunction.Write, $"s{index}-v{i}", invoke, invoke + LatencyMicros(random), HistoryOutcome.Ok, null));
        }
        log.Complete();
        return new FileInfo(path).Length;
    }

    private sealed record Run(double Seconds, long PeakRssBytes, int ExitCode, string Stderr);

    /// <summary>Runs the tool under <c>/usr/bin/time -v</c>: wall time from here, peak RSS from its report.</summary>
    private static async Task<Run> TimeAsync(string tool, string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])["-v", "dotnet", tool, .. args]) start.ArgumentList.Add(arg);
        start.Environment["TERM"] = "dumb";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        var rssLine = errors.Split('\n').FirstOrDefault(l => l.Contains("Maximum resident set size", StringComparison.Ordinal)) ?? "";
        var kilobytes = long.TryParse(rssLine.Split(':').LastOrDefault()?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : 0;
        var exit = errors.Split('\n').FirstOrDefault(l => l.Contains("Exit status", StringComparison.Ordinal)) is { } line
            && int.TryParse(line.Split(':').Last().Trim(), out var code) ? code : process.ExitCode;
        return new Run(seconds, kilobytes * 1024, exit, errors);
    }

    private static string Render(bool quick, long resultBytes, long recordedBytes, long historyBytes, List<(Run Startup, Run Plain, Run Recorded)> rows, string root)
    {
        var machine = MachineDescription.Capture();
        var table = new MarkdownTable("round", ">merge (wall, start-up included)", ">peak RSS", ">merge with histories", ">peak RSS", ">gauntlet --version", ">peak RSS");
        for (var i = 0; i < rows.Count; i++)
            table.Row((i + 1).ToString(CultureInfo.InvariantCulture), $"{rows[i].Plain.Seconds:F3} s", Numbers.Bytes(rows[i].Plain.PeakRssBytes),
                $"{rows[i].Recorded.Seconds:F3} s", Numbers.Bytes(rows[i].Recorded.PeakRssBytes), $"{rows[i].Startup.Seconds:F3} s", Numbers.Bytes(rows[i].Startup.PeakRssBytes));
        double Median(Func<(Run Startup, Run Plain, Run Recorded), double> of) => Numbers.Median([.. rows.Select(of)]);
        var plain = Median(r => r.Plain.Seconds);
        var startup = Median(r => r.Startup.Seconds);
        var recorded = Median(r => r.Recorded.Seconds);
        var plainRss = Median(r => r.Plain.PeakRssBytes);
        var recordedRss = Median(r => r.Recorded.PeakRssBytes);
        var startupRss = Median(r => r.Startup.PeakRssBytes);
        var text = new StringBuilder();
        text.AppendLine("# Gauntlet merge benchmark").AppendLine();
        text.AppendLine(new MarkdownTable("", "")
            .Row("Date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Row("Command", $"`dotnet build -c Release src/Gauntlet.Cli && flock /tmp/gauntlet-bench.lock dotnet run -c Release --project bench/Gauntlet.Bench -- merge{(quick ? " --quick" : "")}`")
            .Row("Gauntlet commit", SourceRevision.Describe(root))
            .Row("CPU", machine.Cpu)
            .Row("Cores", $"{machine.LogicalCores} logical")
            .Row(".NET", $"{machine.Runtime}, {machine.Gc} GC, Release")
            .Row("Load average", $"{machine.LoadAverage} at start, {MachineDescription.LoadAverageNow()} at end")
            .ToString());
        text.AppendLine($"Two sets of {Segments} segment results of a {Seconds} s run, each result with its total HdrHistogram and {Seconds} per-second");
        text.AppendLine("HdrHistograms of log-normal latency around 2 ms. **merge**: {0} operations a second per segment, no history".Replace("{0}", Numbers.Count(OpsPerSecond), StringComparison.Ordinal));
        text.AppendLine($"({Numbers.Bytes(resultBytes)} of result.json). **merge with histories**: {Numbers.Count(HistoryPerSecond)} operations a second per segment, every one");
        text.AppendLine($"in its history ({Numbers.Bytes(recordedBytes)} of result.json and {Numbers.Bytes(historyBytes)} of histories), which the merge streams, on the merged");
        text.AppendLine("clock and in completion order, into the merged history.jsonl (no scenario file: no verifier reads it). Each merge is");
        text.AppendLine("`dotnet gauntlet.dll merge DIR --out DIR`, its own process, start-up included, writing result.json, report.md and");
        text.AppendLine($"report.html. Wall time is measured around the process; peak RSS is `/usr/bin/time -v`'s maximum resident set size. Median of {rows.Count} rounds.").AppendLine();
        text.AppendLine(table.ToString());
        text.AppendLine("| claim | goal | measured | verdict |");
        text.AppendLine("|---|---|---:|---|");
        text.AppendLine($"| merge 64 segment results of a 60 s run | < {GoalSeconds:0} s | {plain:F3} s (start-up alone {startup:F3} s) | {(plain < GoalSeconds ? "met" : "**missed**")} |");
        text.AppendLine($"| memory bounded by the histograms, not the histories | peak RSS with {Numbers.Bytes(historyBytes)} of histories within 16 MiB of the RSS without | {Numbers.Bytes((long)recordedRss)} with, {Numbers.Bytes((long)plainRss)} without (start-up alone {Numbers.Bytes((long)startupRss)}) | {(recordedRss < plainRss + 16 * 1024 * 1024 ? "met" : "**missed**")} |");
        text.AppendLine($"| the same merge with every operation's history | (no goal) | {recorded:F3} s | |");
        return text.ToString().Replace("\r\n", "\n");
    }
}
