using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gauntlet.Pipeline;
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
    /// <summary>Rounds the operations are split into; each round runs every runner once, in a rotated order.</summary>
    public const int Rounds = 5;

    public static async Task<int> RunAsync(string command, int operations, int concurrency, string output, string repositoryRoot)
    {
        var machine = MachineDescription.Capture();
        var revision = SourceRevision.Describe(repositoryRoot);
        var startedAt = DateTimeOffset.UtcNow;
        // Warm-up: JIT, page cache, the first pidfd.
        await GauntletChildrenAsync(command, Math.Min(200, operations), concurrency);
        await BareProcessLoopAsync(command, Math.Min(200, operations), concurrency);

        // On a shared machine the load changes within minutes: the runners take turns in short rounds, so each
        // sees the same mix of quiet and busy moments instead of one runner getting all of a quiet stretch.
        var perRound = Math.Max(1, operations / Rounds);
        var floor = SpawnFloor.Build(repositoryRoot);
        var runners = new (string Name, Func<Task<Measured?>> Run)[]
        {
            ("Gauntlet ChildProcess", async () => await GauntletChildrenAsync(command, perRound, concurrency)),
            ("Gauntlet engine, process scenario", async () => await GauntletEngineAsync(command, perRound, concurrency)),
            ("bare Process.Start loop", async () => await BareProcessLoopAsync(command, perRound, concurrency)),
            ("hyperfine -N", () => Task.FromResult(Hyperfine(command, perRound))),
            ("C posix_spawn loop", () => Task.FromResult(Floor(floor, command, perRound, concurrency))),
        };
        var results = runners.Select(_ => new List<Measured>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var turn = 0; turn < runners.Length; turn++)
            {
                var index = (round + turn) % runners.Length;
                var measured = await runners[index].Run();
                if (measured is { } m) results[index].Add(m);
                Console.Error.WriteLine($"round {round + 1}/{Rounds}: {runners[index].Name}: {(measured is { } x ? Rate(x) + "/s" : "missing")}");
            }
        }

        if (floor is not null) File.Delete(floor);

        var gauntlet = Total(results[0]);
        var engine = Total(results[1]);
        var bare = Total(results[2]);
        var hyperfine = results[3].Count == Rounds ? Total(results[3]) : (Measured?)null;
        var c = results[4].Count == Rounds ? Total(results[4]) : (Measured?)null;
        var table = new MarkdownTable("runner", ">operations", ">concurrency", ">seconds", ">operations/s", ">round medians/s", "note");
        table.Row("Gauntlet ChildProcess", Count(gauntlet.Operations), concurrency.ToString(CultureInfo.InvariantCulture), Seconds(gauntlet.Elapsed), Rate(gauntlet), Median(results[0]), "stdout/stderr drained and capped, exact status, rusage");
        table.Row("Gauntlet engine, process scenario", Count(engine.Operations), concurrency.ToString(CultureInfo.InvariantCulture), Seconds(engine.Elapsed), Rate(engine), Median(results[1]), "closed model, every outcome recorded");
        table.Row("bare Process.Start loop", Count(bare.Operations), concurrency.ToString(CultureInfo.InvariantCulture), Seconds(bare.Elapsed), Rate(bare), Median(results[2]), "RedirectStandardOutput/Error, ReadToEnd, WaitForExit");
        table.Row("hyperfine -N", hyperfine is null ? "-" : Count(hyperfine.Value.Operations), "1", hyperfine is null ? "-" : Seconds(hyperfine.Value.Elapsed),
            hyperfine is null ? "-" : Rate(hyperfine.Value), hyperfine is null ? "-" : Median(results[3]), hyperfine is null ? "not installed: figures missing" : "sequential, no shell; its mean time per run (its own work between runs not counted)");
        table.Row("C posix_spawn loop", c is null ? "-" : Count(c.Value.Operations), concurrency.ToString(CultureInfo.InvariantCulture), c is null ? "-" : Seconds(c.Value.Elapsed),
            c is null ? "-" : Rate(c.Value), c is null ? "-" : Median(results[4]), c is null ? "no C compiler (cc): figures missing" : "the machine's floor: Spawning/spawn-floor.c, the same spawn, pipes and wait4 with no runtime around them");

        var text = new StringBuilder();
        text.AppendLine("# Process operations: spawn-and-capture rate").AppendLine();
        text.AppendLine($"Command `{command}`, {perRound * Rounds} operations per runner in {Rounds} rounds of {perRound} (the runners take turns, in a rotated order), {concurrency} at once, measured in one run on {startedAt:yyyy-MM-dd HH:mm} UTC ({revision}).").AppendLine();
        text.AppendLine($"Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Os}, kernel {machine.Kernel}, {machine.Runtime}; load average before: {machine.LoadAverage}, after: {MachineDescription.LoadAverageNow()}.").AppendLine();
        text.Append(table).AppendLine();
        var goal = gauntlet.PerSecond >= 1000 && gauntlet.PerSecond >= bare.PerSecond;
        text.AppendLine($"Goal (>= 1000/s and no worse than the bare .NET loop): {(goal ? "met" : "NOT met")}.");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, text.ToString());
        Console.WriteLine(text);
        return 0;
    }

    private static Measured Total(List<Measured> rounds)
    {
        long operations = 0;
        var elapsed = TimeSpan.Zero;
        foreach (var round in rounds) { operations += round.Operations; elapsed += round.Elapsed; }
        return new Measured(operations, elapsed);
    }

    private static string Median(List<Measured> rounds)
    {
        var rates = rounds.Select(r => r.PerSecond).Order().ToArray();
        if (rates.Length == 0) return "-";
        var median = rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[rates.Length / 2 - 1] + rates[rates.Length / 2]) / 2;
        return median.ToString("N0", CultureInfo.InvariantCulture);
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
        var scenario = Scenario.Create("spawn", new ProcessOperation(new ProcessOptions { CommandLine = [ArgumentTemplate.Parse(command)] }))
            .WithLoad(LoadProfile.Closed(concurrency)).WithMaxIterations(operations).WithHangDetection(null);
        var clock = Stopwatch.StartNew();
        var result = await new Runner().RunAsync(scenario);
        var counts = result.Scenarios[0].Counts;
        if (counts.Ok != operations)
            throw new InvalidOperationException($"the engine run ended {counts.Ok} of {operations} operations ok: "
                + string.Join("; ", result.Scenarios[0].Errors.Select(e => $"{e.Count} x {e.Kind} ({e.SampleMessage})")));
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

    /// <summary>The C loop's rate with <paramref name="concurrency"/> threads; null when it could not be built or failed.</summary>
    private static Measured? Floor(string? binary, string command, int operations, int concurrency)
    {
        if (binary is null) return null;
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { command, operations.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var line = process.StandardOutput.ReadToEnd().Trim().Split(' ');
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0 || line.Length != 2)
        {
            Console.Error.WriteLine($"spawn-floor failed: {stderr.Result}");
            return null;
        }
        return new Measured(long.Parse(line[0], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(line[1], CultureInfo.InvariantCulture)));
    }

    /// <summary>hyperfine's mean time per run of the command without a shell; null when hyperfine is not installed.</summary>
    private static Measured? Hyperfine(string command, int runs)
    {
        var export = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("hyperfine") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-N", "--warmup", "20", "--runs", runs.ToString(CultureInfo.InvariantCulture), "--export-json", export, command })
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
