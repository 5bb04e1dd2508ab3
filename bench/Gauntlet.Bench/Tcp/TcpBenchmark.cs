using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
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

    public static async Task<int> RunAsync(string repositoryRoot, string output, string? peer, string? redis, int clients)
    {
        var report = new StringBuilder();
        var machine = MachineDescription.Capture();
        report.AppendLine("# TCP benchmark").AppendLine()
            .AppendLine($"Machine: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Os}, kernel {machine.Kernel}, {machine.Runtime}; load {machine.LoadAverage}.")
            .AppendLine($"Source: {SourceRevision.Describe(repositoryRoot)}.").AppendLine();

        await using var server = await ServeEchoAsync(repositoryRoot);
        var echo = new MarkdownTable("server", ">clients", ">ok", ">failed", ">whole run", ">ramp", ">after the ramp", "verdict");
        foreach (var (name, target) in new[] { ("gauntlet serve echo", server.Target), ("peer: " + peer, peer) })
        {
            if (target is null) continue;
            var result = await EchoCaseAsync(target, clients);
            var ramp = TimeSpan.FromMilliseconds(5 * ((clients + 99) / 100 - 1));
            var whole = TimeSpan.FromSeconds(result.DurationSeconds);
            echo.Row(name, Numbers.Count(clients), Numbers.Count(result.Counts.Ok), Numbers.Count(result.Counts.Failed + result.Counts.TimedOut + result.Counts.CutOff),
                Seconds(whole), Seconds(ramp), Seconds(whole - ramp), result.Verdict.ToString());
        }
        report.AppendLine("## 10k-client echo (64 B, batches of 100 every 5 ms)").AppendLine().Append(echo).AppendLine()
            .AppendLine("Target from the issue: all complete, under 1.5 s after the ramp (the seed report took about 6 s).").AppendLine();

        var memory = await MemoryPerConnectionAsync(server.Target, clients);
        report.AppendLine("## Memory per open connection").AppendLine()
            .AppendLine($"{Numbers.Count(clients)} persistent connections held 3 s: RSS {Numbers.Bytes(memory.Before)} before, {Numbers.Bytes(memory.During)} during, "
                + $"{Numbers.Bytes((memory.During - memory.Before) / clients)} per connection (target: under 4 KB).").AppendLine();

        if (redis is not null) report.Append(await RedisCaseAsync(redis));
        else report.AppendLine("## Redis PING").AppendLine().AppendLine("Skipped: give --redis HOST:PORT (redis-server from Debian's package, on loopback).").AppendLine();

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
        var table = new MarkdownTable("tool", ">PING/s", ">Gauntlet / peer");
        table.Row("gauntlet tcp (closed, 50 connections, 10 s)", Numbers.Rate(gauntlet), "");
        foreach (var (name, rate) in rates) table.Row($"redis-benchmark {name}", Numbers.Rate(rate), Numbers.Ratio(gauntlet / rate));
        return text.Append(table).AppendLine().AppendLine("Target from the issue: at least 0.9x redis-benchmark in the same run.").AppendLine().ToString();
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
