using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Gauntlet.Pipeline;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Tcp;

namespace Gauntlet.Bench.Tcp;

/// <summary>
/// The TCP figures of issue 6, written to bench/results/tcp.md:
/// 1. the 10k-client echo (64 B, batches of 100 every 5 ms) against Gauntlet's echo server run as a separate process
///    (`gauntlet serve echo`) and against a peer echo server that is not ours (`--peer HOST:PORT`, e.g.
///    `socat TCP-LISTEN:7001,fork,reuseaddr,backlog=8192 EXEC:cat` or a tiny C server): all must complete, and the time
///    after the ramp is reported against the report's 6 s;
/// 2. Gauntlet's memory growth per open connection: 10,000 persistent connections held for 3 s, RSS before and during;
/// 3. RESP PING against redis-server with 50 connections, against `redis-benchmark -t ping -c 50` in the same run
///    (`--redis HOST:PORT`, skipped when redis-benchmark is not on PATH).
/// Servers run outside this process so that what is measured is the client.
/// </summary>
internal static class TcpBenchmark
{
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(120);

    /// <summary>The issue's goal for the 10k-client echo: the run ends this long after the ramp.</summary>
    private static readonly TimeSpan AfterRampGoal = TimeSpan.FromSeconds(1.5);

    /// <summary>Measured rounds of the 10k-client echo per server.</summary>
    private const int EchoRounds = 3;

    /// <summary>The issue's goal for memory per open connection (bytes).</summary>
    private const long MemoryGoalBytes = 4096;

    /// <summary>The issue's goal for Redis PING: this share of redis-benchmark's rate.</summary>
    private const double RedisGoalRatio = 0.9;

    public static async Task<int> RunAsync(string repositoryRoot, string output, IReadOnlyList<string> peers, string? redis, int clients)
    {
        var report = new StringBuilder();
        var machine = MachineDescription.Capture();
        report.AppendLine("# TCP benchmark").AppendLine()
            .AppendLine($"Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Os}, kernel {machine.Kernel}, {machine.Runtime}.")
            .AppendLine($"Source: {SourceRevision.Describe(repositoryRoot)}.")
            .AppendLine($"Load average (1, 5, 15 min) before: {machine.LoadAverage}.").AppendLine();

        await using var server = await ServeEchoAsync(repositoryRoot);
        var echo = new MarkdownTable("server", ">clients", ">ok (worst round)", ">failed (worst round)", ">after the ramp, each round (s)", ">median after the ramp", ">median / goal 1.5 s", ">median / gauntlet serve echo's", "verdict (worst round)");
        var cases = new List<(string Name, string Target)> { ("gauntlet serve echo", server.Target) };
        foreach (var peer in peers)
        {
            var at = peer.IndexOf('=');
            cases.Add(at < 0 ? ("peer " + peer, peer) : ($"peer: {peer[..at]} ({peer[(at + 1)..]})", peer[(at + 1)..]));
        }
        var ramp = TimeSpan.FromMilliseconds(5 * ((clients + 99) / 100 - 1));
        // A warm-up of a tenth of the clients against every server first, so no case pays for JIT compilation
        // (the client's, or the built-in server's) that the others do not.
        foreach (var (_, target) in cases) await EchoCaseAsync(target, Math.Max(1, clients / 10));
        // Rounds alternate between the servers, so a change in the machine's load hits them alike; a server that
        // loses clients is not measured again (a 45 s deadline each time would tell nothing new).
        var rounds = cases.Select(_ => new List<ScenarioResult>()).ToList();
        for (var round = 0; round < EchoRounds; round++)
        {
            for (var c = 0; c < cases.Count; c++)
            {
                if (rounds[c].Count > 0 && rounds[c][^1].Counts.Ok != clients) continue;
                rounds[c].Add(await EchoCaseAsync(cases[c].Target, clients));
            }
        }
        TimeSpan? ours = null;
        for (var c = 0; c < cases.Count; c++)
        {
            var results = rounds[c];
            var afters = results.Select(r => TimeSpan.FromSeconds(r.DurationSeconds) - ramp).ToList();
            var median = afters.Order().ElementAt(afters.Count / 2);
            var worst = results.MinBy(r => r.Counts.Ok)!;
            ours ??= median;
            echo.Row(cases[c].Name, Numbers.Count(clients), Numbers.Count(worst.Counts.Ok), Numbers.Count(worst.Counts.Failed + worst.Counts.TimedOut + worst.Counts.CutOff),
                string.Join(", ", afters.Select(a => Numbers.Fixed(a.TotalSeconds, 3))), Seconds(median), Numbers.Ratio(median / AfterRampGoal), Numbers.Ratio(median / ours.Value),
                worst.Verdict + (worst.Errors.Count > 0 ? " (" + string.Join(", ", worst.Errors.Select(e => $"{e.Kind} {e.Count}")) + ")" : ""));
        }
        report.AppendLine("## 10k-client echo (64 B, batches of 100 every 5 ms)").AppendLine().Append(echo).AppendLine()
            .AppendLine($"The ramp takes {Seconds(ramp)}; \"after the ramp\" is the scenario's whole run minus it. A warm-up of {Numbers.Count(Math.Max(1, clients / 10))} clients against each server came first; then {EchoRounds} rounds alternating between the servers (a server that lost clients was not run again).")
            .AppendLine().AppendLine("Goal from the issue: all complete, under 1.5 s after the ramp (the seed report took about 6 s); a ratio to the goal under 1.00× meets it.").AppendLine();

        var memory = await MemoryPerConnectionAsync(server.Target, clients);
        var perConnection = (memory.During - memory.Before) / clients;
        report.AppendLine("## Memory per open connection").AppendLine()
            .AppendLine($"{Numbers.Count(clients)} persistent connections held 3 s: RSS {Numbers.Bytes(memory.Before)} before, {Numbers.Bytes(memory.During)} during, "
                + $"{Numbers.Bytes(perConnection)} per connection, {Numbers.Ratio(perConnection / (double)MemoryGoalBytes)} the goal of 4 KB ({(perConnection < MemoryGoalBytes ? "met" : "missed")}).").AppendLine();

        if (redis is not null) report.Append(await RedisCaseAsync(redis));
        else report.AppendLine("## Redis PING").AppendLine().AppendLine("Skipped: give --redis HOST:PORT (redis-server from Debian's package, on loopback).").AppendLine();
        report.AppendLine($"Load average (1, 5, 15 min) after: {MachineDescription.LoadAverageNow()}.").AppendLine();

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report.ToString());
        Console.WriteLine(report);
        return 0;
    }

    private static async Task<ScenarioResult> EchoCaseAsync(string target, int clients)
    {
        var scenario = new TcpOperation(new TcpOptions { Target = target, ReadTimeout = TimeSpan.FromSeconds(45) }).ToScenario("echo-10k")
            .WithLoad(new IterationsProfile { Workers = clients, Iterations = 1 }.WithBatches(100, TimeSpan.FromMilliseconds(5)))
            .WithDeadline(TimeSpan.FromSeconds(45))
            .WithThresholds($"count(ok) == {clients}");
        var result = await new Runner().RunAsync(scenario).WaitAsync(CaseLimit);
        return result.Scenarios[0];
    }

    private static async Task<(long Before, long During)> MemoryPerConnectionAsync(string target, int clients)
    {
        GC.Collect();
        var before = Rss();
        long during = 0;
        var scenario = new TcpOperation(new TcpOptions { Target = target }).ToScenario("hold")
            .WithLoad(new ClosedProfile { Workers = clients }.WithBatches(500, TimeSpan.FromMilliseconds(5)))
            .WithDuration(TimeSpan.FromSeconds(3));
        var sampler = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await Task.Delay(100);
                during = Math.Max(during, Rss());
            }
        });
        await new Runner().RunAsync(scenario).WaitAsync(CaseLimit);
        await sampler.WaitAsync(CaseLimit);
        return (before, during);
    }

    private static async Task<string> RedisCaseAsync(string redis)
    {
        var text = new StringBuilder("## Redis PING, 50 connections\n\n");
        TcpAddress.TryParse(redis, out var host, out var port, out _);
        var peer = await RunProcessAsync("redis-benchmark", $"-h {host} -p {port} -t ping -c 50 -n 500000 -q");
        if (peer is null) return text.AppendLine("Skipped: redis-benchmark is not on PATH.").AppendLine().ToString();
        var rates = Regex.Matches(peer, @"(PING_\w+): ([\d.]+) requests per second").ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        TcpPayload.TryText("PING\\r\\n", false, out var ping, out _);
        var scenario = new TcpOperation(new TcpOptions { Target = redis, Payload = ping!, Expect = TcpExpectation.Exactly("+PONG\r\n"u8, "+PONG") }).ToScenario("redis-ping")
            .WithLoad(new ClosedProfile { Workers = 50 })
            .WithDuration(TimeSpan.FromSeconds(10));
        var result = (await new Runner().RunAsync(scenario).WaitAsync(CaseLimit)).Scenarios[0];
        var gauntlet = result.Counts.Ok / result.DurationSeconds;
        var table = new MarkdownTable("tool", ">PING/s", ">Gauntlet / peer", "goal 0.9×");
        table.Row("gauntlet tcp (closed, 50 connections, 10 s, inline PING)", Numbers.Rate(gauntlet), "", "");
        foreach (var (name, rate) in rates)
            table.Row($"redis-benchmark -t ping -c 50 {name}", Numbers.Rate(rate), Numbers.Ratio(gauntlet / rate), gauntlet / rate >= RedisGoalRatio ? "met" : "missed");
        if (result.Errors.Count > 0) text.AppendLine($"Gauntlet's errors: {string.Join(", ", result.Errors.Select(e => $"{e.Kind} {e.Count}"))}.").AppendLine();
        return text.Append(table).AppendLine()
            .AppendLine("Goal from the issue: at least 0.9x redis-benchmark in the same run. Gauntlet sends the inline command `PING\\r\\n`, so PING_INLINE is the like-for-like peer.").AppendLine().ToString();
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static string Seconds(TimeSpan span) => Numbers.Fixed(span.TotalSeconds, 3) + " s";

    private static async Task<string?> RunProcessAsync(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(CaseLimit);
            return await stdout;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>`gauntlet serve echo --port 0` as a child process, killed on dispose.</summary>
    private static async Task<EchoProcess> ServeEchoAsync(string repositoryRoot)
    {
        var tool = Path.Combine(repositoryRoot, "src", "Gauntlet.Cli", "bin", "Release", "net10.0", "gauntlet.dll");
        if (!File.Exists(tool)) throw new InvalidOperationException($"build the CLI in Release first: {tool} is missing");
        var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{tool}\" serve echo --port 0") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _ = process.StandardError.ReadToEndAsync();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var match = Regex.Match(line ?? "", @"listening on (\S+)");
        if (!match.Success)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"gauntlet serve echo did not start: {line}");
        }
        return new EchoProcess(process, match.Groups[1].Value);
    }

    private sealed record EchoProcess(Process Process, string Target) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Process.Dispose();
        }
    }
}
