using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// The <c>engine</c> command: runs the three engine measurements in order, then writes one Markdown report that opens
/// with the machine and the command, summarizes every goal, and gives each section's figures next to its peer.
/// </summary>
internal static class EngineBenchmark
{
    public static async Task<int> RunAsync(EngineSettings settings, string outputPath, string repositoryRoot)
    {
        var clock = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {message}");

        Log($"engine benchmark ({(settings.Quick ? "quick" : "full")}), writing {outputPath}");
        var machine = MachineDescription.Capture();
        var revision = SourceRevision.Describe(repositoryRoot);
        var startedAt = DateTimeOffset.UtcNow;

        var closed = await ClosedOverhead.MeasureAsync(settings, Log).ConfigureAwait(false);
        var open = await OpenAccuracy.MeasureAsync(settings, Log).ConfigureAwait(false);
        var memory = await MemoryFlatness.MeasureAsync(settings, Log).ConfigureAwait(false);

        var report = Render(settings, machine, revision, startedAt, clock.Elapsed, MachineDescription.LoadAverageNow(), closed, open, memory);
        WriteAtomically(outputPath, report);
        Console.WriteLine(report);
        Log($"done in {clock.Elapsed.TotalSeconds:F0} s; wrote {outputPath}");
        return 0;
    }

    private static string Render(EngineSettings settings, MachineDescription machine, string revision, DateTimeOffset startedAt, TimeSpan took,
        string loadAtEnd, ClosedOverhead.Result closed, OpenAccuracy.Result open, MemoryFlatness.Result memory)
    {
        var command = "dotnet run -c Release --project bench/Gauntlet.Bench -- engine" + (settings.Quick ? " --quick" : "");
        var environment = new MarkdownTable("", "")
            .Row("Date (UTC)", startedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Row("Command", $"`{command}`" + (settings.Quick ? " (smoke run: short durations, 1 round; not for comparison)" : ""))
            .Row("Gauntlet commit", revision)
            .Row("CPU", machine.Cpu)
            .Row("Cores", $"{machine.LogicalCores} logical" + (machine.ThreadsPerCore is { } perCore ? $", {perCore} thread(s) per core" : ""))
            .Row("Memory", Numbers.Bytes(machine.MemoryBytes))
            .Row("OS", machine.Os)
            .Row("Kernel", machine.Kernel)
            .Row(".NET", $"{machine.Runtime}, {machine.Gc} GC, Release, TieredPGO on")
            .Row("Clock", $"{machine.ClockSource}; `Stopwatch.GetTimestamp()` costs {Numbers.Fixed(machine.TimestampNanoseconds, 1)} ns")
            .Row("Load average", $"{machine.LoadAverage} at start, {loadAtEnd} at end")
            .Row("Took", $"{took.TotalSeconds:F0} s");

        var g = ClosedOverhead.MedianGauntlet(closed);
        var b = ClosedOverhead.MedianBare(closed);
        var t = ClosedOverhead.MedianTimed(closed);
        var summary = new MarkdownTable("claim", "goal", ">Gauntlet", ">peer in the same run", ">ratio", "verdict");
        summary.Row("closed model throughput, empty op, 2 workers", $"≥ {Numbers.Rate(ClosedOverhead.GoalOpsPerSecond)}", Numbers.Rate(g),
            $"bare loop {Numbers.Rate(b)}; bare + clock {Numbers.Rate(t)}", $"{Numbers.Ratio(g / b)}; {Numbers.Ratio(g / t)}", Verdict(g >= ClosedOverhead.GoalOpsPerSecond));
        var overhead = ClosedOverhead.OverheadNs(g, b);
        summary.Row("overhead per operation", $"< {ClosedOverhead.GoalOverheadNs} ns", $"{Numbers.Fixed(overhead, 1)} ns",
            $"of which one clock read {Numbers.Fixed((1e9 * EngineSettings.ClosedWorkers / t - 1e9 * EngineSettings.ClosedWorkers / b) / 2, 1)} ns", "", Verdict(overhead < ClosedOverhead.GoalOverheadNs));
        foreach (var rate in open.Rates)
        {
            var peer = rate.Peers.MinBy(p => Math.Abs(p.Error))!;
            summary.Row($"open model rate, {Numbers.Rate(rate.Rate)}", $"within ±{OpenAccuracy.GoalError:P0}", Numbers.SignedPercent(rate.Gauntlet.Error),
                $"closest naive: {Numbers.SignedPercent(peer.Error)} ({peer.Name})", "", Verdict(Math.Abs(rate.Gauntlet.Error) <= OpenAccuracy.GoalError));
            summary.Row($"open model, {Numbers.Rate(rate.Rate)}: every arrival started or dropped", "0 unaccounted", Numbers.Count(rate.Gauntlet.Unaccounted),
                "", "", Verdict(rate.Gauntlet.Unaccounted == 0));
        }
        foreach (var pair in memory.Pairs)
        {
            summary.Row($"{pair.Model} model: bytes per extra operation", "≈ 0", Numbers.Fixed(pair.MarginalBytesPerOperation, 3), "", "",
                Verdict(Math.Abs(pair.MarginalBytesPerOperation) < MemoryGoalBytesPerOperation));
            var growth = pair.Long.VmHwmBytes / (double)pair.Short.VmHwmBytes - 1;
            summary.Row($"{pair.Model} model: peak RSS, {pair.Long.Seconds:0} s vs {pair.Short.Seconds:0} s", "≈ equal",
                $"{Numbers.Bytes(pair.Long.VmHwmBytes)} vs {Numbers.Bytes(pair.Short.VmHwmBytes)}", "", Numbers.Ratio(1 + growth),
                Verdict(Math.Abs(growth) < MemoryGoalRssGrowth));
        }

        var text = new StringBuilder();
        text.AppendLine("# Gauntlet engine benchmark").AppendLine();
        text.AppendLine(environment.ToString());
        text.AppendLine("How to read this: every Gauntlet figure sits next to a peer measured in the same run, on the same machine, and a ratio");
        text.AppendLine("compares the two. \"Other processes' CPU\" is the share of the whole machine that other processes used while a");
        text.AppendLine($"figure was taken (from /proc/stat); above {CpuUse.DisturbedAbove:P0} the figure was disturbed and the rounds will disagree.");
        text.AppendLine("See bench/README.md.").AppendLine();
        text.AppendLine("## Summary").AppendLine().AppendLine(summary.ToString());
        text.AppendLine($"Closed-model medians are over {closed.Basis}.").AppendLine();
        text.AppendLine("## 1. Closed model overhead").AppendLine().AppendLine(ClosedOverhead.Render(closed, machine.TimestampNanoseconds)).AppendLine();
        text.AppendLine("## 2. Open model rate accuracy").AppendLine().AppendLine(OpenAccuracy.Render(open));
        text.AppendLine("## 3. Memory stays flat with run length").AppendLine().AppendLine(MemoryFlatness.Render(memory));
        return text.ToString().Replace("\r\n", "\n");
    }

    /// <summary>"≈ 0 bytes per operation" holds below this: a 32-byte object every ten thousand operations.</summary>
    private const double MemoryGoalBytesPerOperation = 0.01;

    /// <summary>"Peak RSS about equal" holds when the long run's peak is within this fraction of the short run's.</summary>
    private const double MemoryGoalRssGrowth = 0.10;

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    /// <summary>A unique temporary file in the same folder, then a rename: a reader never sees half a report.</summary>
    private static void WriteAtomically(string path, string content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
