using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Engine;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Process;

namespace Gauntlet.Bench.Spawning;

/// <summary>
/// Spawn-and-capture rate of one command (default <c>/bin/true</c>) in the same run, side by side: Gauntlet's
/// <see cref="ChildProcess"/> (posix_spawn, pidfd, poll, wait4), Gauntlet's engine running a process scenario, a
/// bare <c>Process.Start</c> loop with redirected output, and hyperfine when it is installed. Goal from issue 4:
/// at least 1000 operations/s on a 2-core machine and no worse than the bare .NET loop.
/// </summary>
internal static class ProcessBenchmark
{
    public static async Task<int> RunAsync(string command, int operations, int concurrency, string output, string repositoryRoot)
    {
        var machine = MachineDescription.Capture();
        var revision = SourceRevision.Describe(repositoryRoot);
        var startedAt = DateTimeOffset.UtcNow;
        // Warm-up: JIT, page cache, the first pidfd.
        await GauntletChildrenAsync(command, Math.Min(200, operations), concurrency);
        await BareProcessLoopAsync(command, Math.Min(200, operations), concurrency);

        var gauntlet = await GauntletChildrenAsync(command, operations, concurrency);
        var engine = await GauntletEngineAsync(command, operations, concurrency);
        var bare = await BareProcessLoopAsync(command, operations, concurrency);
        var hyperfine = Hyperfine(command, operations);

        var table = new MarkdownTable("runner", ">operations", ">concurrency", ">seconds", ">operations/s", "note");
        table.Row("Gauntlet ChildProcess", Count(gauntlet.Operations), concurrency.ToString(CultureInfo.InvariantCulture), Seconds(gauntlet.Elapsed), Rate(gauntlet), "stdout/stderr drained and capped, exact status, rusage");
        table.Row("Gauntlet engine, process scenario", Count(engine.Operations), concurrency.ToString(CultureInfo.InvariantCulture), Seconds(engine.Elapsed), Rate(engine), "closed model, every outcome recorded");
        table.Row("bare Process.Start loop", Count(bare.Operations), concurrency.ToString(CultureInfo.InvariantCulture), Seconds(bare.Elapsed), Rate(bare), "RedirectStandardOutput/Error, ReadToEnd, WaitForExit");
        table.Row("hyperfine -N", hyperfine is null ? "-" : Count(hyperfine.Value.Operations), "1", hyperfine is null ? "-" : Seconds(hyperfine.Value.Elapsed),
            hyperfine is null ? "-" : Rate(hyperfine.Value), hyperfine is null ? "not installed: figures missing" : "sequential, no shell");

        var text = new StringBuilder();
        text.AppendLine("# Process operations: spawn-and-capture rate").AppendLine();
        text.AppendLine($"Command `{command}`, {operations} operations per runner, {concurrency} at once, measured in one run on {startedAt:yyyy-MM-dd HH:mm} UTC ({revision}).").AppendLine();
        text.AppendLine($"Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Os}, kernel {machine.Kernel}, {machine.Runtime}; load average before: {machine.LoadAverage}, after: {MachineDescription.LoadAverageNow()}.").AppendLine();
        text.Append(table).AppendLine();
        var goal = gauntlet.PerSecond >= 1000 && gauntlet.PerSecond >= bare.PerSecond;
        text.AppendLine($"Goal (>= 1000/s and no worse than the bare .NET loop): {(goal ? "met" : "NOT met")}.");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, text.ToString());
        Console.WriteLine(text);
        return 0;
    }

    private readonly record struct Measured(long Operations, TimeSpan Elapsed)
    {
        public double PerSecond => Operations / Elapsed.TotalSeconds;
    }

    private static async Task<Measured> GauntletChildrenAsync(string command, int operations, int concurrency)
    {
        var launch = new ProcessLaunch(command, []);
        var limits = new ProcessLimits { Timeout = TimeSpan.FromSeconds(10) };
        var remaining = operations;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var exit = await ChildProcess.RunAsync(launch, limits);
                if (exit.ExitCode != 0) throw new InvalidOperationException($"{command}: {exit.Describe()}");
            }
        }));
        return new Measured(operations, clock.Elapsed);
    }

    private static async Task<Measured> GauntletEngineAsync(string command, int operations, int concurrency)
    {
        var scenario = Scenario.Create("spawn", new ProcessOperation(new ProcessOptions { CommandLine = [ArgumentTemplate.Parse(command)] }).Operation)
            .WithLoad(LoadProfile.Closed(concurrency)).WithMaxIterations(operations).WithHangDetection(null);
        var clock = Stopwatch.StartNew();
        var result = await new Runner().RunAsync(scenario);
        var counts = result.Scenarios[0].Counts;
        if (counts.Ok != operations) throw new InvalidOperationException($"the engine run ended {counts.Ok} of {operations} operations ok");
        return new Measured(counts.Ok, clock.Elapsed);
    }

    private static async Task<Measured> BareProcessLoopAsync(string command, int operations, int concurrency)
    {
        var remaining = operations;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(command)
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                })!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                await Task.WhenAll(stdout, stderr);
                await process.WaitForExitAsync();
            }
        })));
        return new Measured(operations, clock.Elapsed);
    }

    /// <summary>hyperfine's mean time per run of the command without a shell; null when hyperfine is not installed.</summary>
    private static Measured? Hyperfine(string command, int runs)
    {
        var export = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("hyperfine") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-N", "--warmup", "50", "--runs", runs.ToString(CultureInfo.InvariantCulture), "--export-json", export, command })
                start.ArgumentList.Add(arg);
            using var process = System.Diagnostics.Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0) return null;
            using var json = JsonDocument.Parse(File.ReadAllText(export));
            var mean = json.RootElement.GetProperty("results")[0].GetProperty("mean").GetDouble();
            return new Measured(runs, TimeSpan.FromSeconds(mean * runs));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(export);
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Rate(Measured measured) => measured.PerSecond.ToString("N0", CultureInfo.InvariantCulture);
}
