using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Bench.Spawning;

namespace Gauntlet.Bench.Cli;

/// <summary>
/// The CLI as a user runs it against native peers, written to bench/results/cli.md: every runner is its own process,
/// start-up included, and the rounds interleave the runners (the order rotates from round to round) so that a busy
/// minute on a shared machine does not land on one of them only. Ratios are taken within a round, then their median
/// and spread over the rounds.
/// </summary>
/// <remarks>
/// Sections: HTTP (wrk, hey, ab against one nginx worker), RESP PING (redis-benchmark against redis-server), process
/// spawn and capture (a C <c>posix_spawn</c> loop with the same parallelism, hyperfine), start-up (<c>--version</c>,
/// and the time from exec to the first request's first byte, against wrk's).
/// </remarks>
internal static partial class CliBenchmark
{
    public sealed record Settings
    {
        /// <summary>The CLI to measure: the apphost of a published, precompiled build (bench/run publishes one).</summary>
        public required string Cli { get; init; }
        /// <summary>An HTTP URL served by nginx (or any peer-neutral server); null skips the HTTP section.</summary>
        public string? HttpUrl { get; init; }
        /// <summary>host:port of a redis-server; null skips the RESP section.</summary>
        public string? Redis { get; init; }
        public int Rounds { get; init; } = 3;
        public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
        public int Connections { get; init; } = 64;
        public int RedisConnections { get; init; } = 50;
        public int RedisRequests { get; init; } = 300_000;
        public int SpawnOperations { get; init; } = 2_000;
        public int SpawnConcurrency { get; init; } = Environment.ProcessorCount;
        public int StartupRuns { get; init; } = 20;
        public required string Output { get; init; }
        public required string Root { get; init; }
    }

    private const string Gauntlet = Runner.Gauntlet;

    public static async Task<int> RunAsync(Settings settings)
    {
        if (!File.Exists(settings.Cli)) throw new InvalidOperationException($"no CLI at {settings.Cli}: publish it first (bench/run does)");
        var machine = MachineDescription.Capture();
        var scratch = Directory.CreateTempSubdirectory("gauntlet-cli-bench-");
        try
        {
            var sections = new List<Section>();
            if (settings.HttpUrl is { } url) sections.Add(await Interleaved.RunAsync(HttpSection(settings, url, scratch.FullName), settings.Rounds).ConfigureAwait(false));
            if (settings.Redis is { } redis) sections.Add(await Interleaved.RunAsync(RespSection(settings, redis, scratch.FullName), settings.Rounds).ConfigureAwait(false));
            sections.Add(await Interleaved.RunAsync(SpawnSection(settings, scratch.FullName), settings.Rounds).ConfigureAwait(false));
            var startup = await StartupAsync(settings, scratch.FullName).ConfigureAwait(false);
            var text = Render(settings, machine, sections, startup);
            await File.WriteAllTextAsync(settings.Output, text).ConfigureAwait(false);
            Console.Write(text);
            Console.Error.WriteLine($"wrote {settings.Output}");
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    // ---- HTTP: gauntlet http against wrk, hey and ab ----

    private static SectionPlan HttpSection(Settings s, string url, string scratch)
    {
        var seconds = (int)s.Duration.TotalSeconds;
        var limit = s.Duration + TimeSpan.FromSeconds(60);
        var c = s.Connections.ToString(CultureInfo.InvariantCulture);
        var d = $"{seconds}s";
        var runners = new List<Runner>
        {
            new(Gauntlet, $"gauntlet http {url} -c {c} -d {d}", async () =>
            {
                var output = Path.Combine(scratch, "http");
                var run = await PeerRun.RunAsync(s.Cli, ["http", url, "-c", c, "-d", d, "-o", output], limit).ConfigureAwait(false);
                return Interleaved.FromResult(run, output);
            }),
        };
        var missing = new List<string>();
        Interleaved.AddIfInstalled(runners, missing, "wrk", $"wrk -t1 -c{c} -d{d} {url}", async () =>
        {
            var run = await PeerRun.RunAsync("wrk", ["-t1", $"-c{c}", $"-d{d}", url], limit).ConfigureAwait(false);
            var requests = Interleaved.Number(WrkRequests().Match(run.Stdout), run);
            return new Sample(requests, Interleaved.Number(RequestsPerSecond().Match(run.Stdout), run), run.CpuSeconds, run.PeakRssBytes);
        });
        Interleaved.AddIfInstalled(runners, missing, "hey", $"hey -c {c} -z {d} {url}", async () =>
        {
            var run = await PeerRun.RunAsync("hey", ["-c", c, "-z", d, url], limit).ConfigureAwait(false);
            var requests = Interleaved.Number(HeyOk().Match(run.Stdout), run);
            return new Sample(requests, Interleaved.Number(RequestsPerSecond().Match(run.Stdout), run), run.CpuSeconds, run.PeakRssBytes);
        });
        Interleaved.AddIfInstalled(runners, missing, "ab", $"ab -k -c {c} -t {seconds} -n 100000000 {url}", async () =>
        {
            var run = await PeerRun.RunAsync("ab", ["-q", "-k", "-c", c, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-n", "100000000", url], limit).ConfigureAwait(false);
            var requests = Interleaved.Number(AbComplete().Match(run.Stdout), run);
            return new Sample(requests, Interleaved.Number(AbRate().Match(run.Stdout), run), run.CpuSeconds, run.PeakRssBytes);
        });
        return new("HTTP", $"{s.Connections} connections, {seconds} s per run, against {url}", runners, missing,
        [
            Goal.Ratio("wrk", "requests/s against wrk", x => x.Rate, 0.95, atLeast: true),
            Goal.Ratio("wrk", "whole-process CPU per request against wrk", x => x.CpuMicrosPerOperation, 1.2, atLeast: false),
            Goal.Ratio("hey", "requests/s against hey", x => x.Rate, 3, atLeast: true),
            Goal.FirstSecond(0.9),
        ]);
    }

    // ---- RESP: gauntlet tcp against redis-benchmark ----

    private static SectionPlan RespSection(Settings s, string redis, string scratch)
    {
        var (host, port) = (redis[..redis.LastIndexOf(':')], redis[(redis.LastIndexOf(':') + 1)..]);
        var c = s.RedisConnections.ToString(CultureInfo.InvariantCulture);
        var d = $"{(int)s.Duration.TotalSeconds}s";
        var limit = s.Duration + TimeSpan.FromSeconds(120);
        var runners = new List<Runner>
        {
            new(Gauntlet, $"gauntlet tcp {redis} -c {c} --payload 'text:PING\\r\\n' --expect 'text:+PONG\\r\\n' -d {d}", async () =>
            {
                var output = Path.Combine(scratch, "resp");
                var run = await PeerRun.RunAsync(s.Cli, ["tcp", redis, "-c", c, "--payload", "text:PING\\r\\n", "--expect", "text:+PONG\\r\\n", "-d", d, "-o", output], limit).ConfigureAwait(false);
                return Interleaved.FromResult(run, output);
            }),
        };
        var missing = new List<string>();
        var n = s.RedisRequests.ToString(CultureInfo.InvariantCulture);
        Interleaved.AddIfInstalled(runners, missing, "redis-benchmark", $"redis-benchmark -h {host} -p {port} -c {c} -n {n} -t ping_inline --csv", async () =>
        {
            var run = await PeerRun.RunAsync("redis-benchmark", ["-h", host, "-p", port, "-c", c, "-n", n, "-t", "ping_inline", "--csv"], limit).ConfigureAwait(false);
            return new Sample(s.RedisRequests, Interleaved.Number(RedisRate().Match(run.Stdout), run), run.CpuSeconds, run.PeakRssBytes);
        });
        return new("RESP PING", $"{s.RedisConnections} connections, inline `PING` expecting `+PONG`, against redis-server at {redis} (gauntlet for {d}, redis-benchmark for {Numbers.Count(s.RedisRequests)} requests)", runners, missing,
            [Goal.Ratio("redis-benchmark", "PING/s against redis-benchmark", x => x.Rate, 1.0, atLeast: true)]);
    }

    // ---- Process spawn and capture: a scenario of /bin/true against a C posix_spawn loop and hyperfine ----

    private static SectionPlan SpawnSection(Settings s, string scratch)
    {
        var operations = s.SpawnOperations;
        var workers = s.SpawnConcurrency;
        var scenario = Path.Combine(scratch, "spawn.yaml");
        File.WriteAllText(scenario, $"""
            name: spawn
            operation:
              process:
                command: [/bin/true]
            load:
              iterations: {"{"} workers: {workers}, shared: {operations} {"}"}
            """);
        var limit = TimeSpan.FromMinutes(5);
        var runners = new List<Runner>
        {
            new(Gauntlet, $"gauntlet run spawn.yaml (process /bin/true, iterations: {{ workers: {workers}, shared: {operations} }})", async () =>
            {
                var output = Path.Combine(scratch, "spawn");
                var run = await PeerRun.RunAsync(s.Cli, ["run", scenario, "-o", output], limit).ConfigureAwait(false);
                var sample = Interleaved.FromResult(run, output);
                // As a user meets it: operations over the whole process's wall time, start-up and reports included.
                return sample with { Rate = sample.Operations / run.WallSeconds };
            }),
        };
        var missing = new List<string>();
        if (SpawnFloor.Build(s.Root) is { } floor)
        {
            runners.Add(new("C posix_spawn loop", $"spawn-floor /bin/true {operations} {workers}", async () =>
            {
                var run = await PeerRun.RunAsync(floor, ["/bin/true", operations.ToString(CultureInfo.InvariantCulture), workers.ToString(CultureInfo.InvariantCulture)], limit).ConfigureAwait(false);
                return new Sample(operations, operations / run.WallSeconds, run.CpuSeconds, run.PeakRssBytes);
            }));
        }
        else missing.Add("C posix_spawn loop (no cc)");
        Interleaved.AddIfInstalled(runners, missing, "hyperfine", $"hyperfine -N --runs {operations} /bin/true (sequential)", async () =>
        {
            var run = await PeerRun.RunAsync("hyperfine", ["-N", "--runs", operations.ToString(CultureInfo.InvariantCulture), "--style", "none", "/bin/true"], limit).ConfigureAwait(false);
            return new Sample(operations, operations / run.WallSeconds, run.CpuSeconds, run.PeakRssBytes);
        });
        return new("Process spawn and capture", $"{Numbers.Count(operations)} runs of `/bin/true` with {workers} at a time, output captured; rate = runs / the whole process's wall time", runners, missing,
            [Goal.Ratio("C posix_spawn loop", "spawns/s against the C loop with the same parallelism", x => x.Rate, 0.9, atLeast: true)]);
    }

    // ---- Start-up ----

    private sealed record Startup(List<double> VersionSeconds, List<double> FirstRequestSeconds, List<double>? WrkFirstRequestSeconds);

    private static async Task<Startup> StartupAsync(Settings s, string scratch)
    {
        var version = new List<double>();
        var first = new List<double>();
        var wrk = Interleaved.Installed("wrk") ? new List<double>() : null;
        for (var i = 0; i < s.StartupRuns; i++)
        {
            Console.Error.WriteLine($"start-up: run {i + 1}/{s.StartupRuns}");
            version.Add((await PeerRun.RunAsync(s.Cli, ["--version"], TimeSpan.FromSeconds(30)).ConfigureAwait(false)).WallSeconds);
            first.Add(await FirstRequestAsync(port => (s.Cli, ["http", $"http://127.0.0.1:{port}/", "-n", "1", "-c", "1", "-o", Path.Combine(scratch, "first")])).ConfigureAwait(false));
            if (wrk is not null) wrk.Add(await FirstRequestAsync(port => ("wrk", ["-t1", "-c1", "-d1s", $"http://127.0.0.1:{port}/"])).ConfigureAwait(false));
        }
        return new Startup(version, first, wrk);
    }

    /// <summary>
    /// Seconds from starting the program to the first byte of its first request on a listener of this benchmark's,
    /// which answers every request with a 200 until the program closes the connection.
    /// </summary>
    private static async Task<double> FirstRequestAsync(Func<int, (string Program, string[] Arguments)> command)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var (program, arguments) = command(port);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var run = PeerRun.RunAsync(program, arguments, TimeSpan.FromSeconds(60));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var firstByte = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = ServeAsync(listener, started, firstByte, limit.Token);
        var seconds = await firstByte.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        await run.ConfigureAwait(false);
        limit.Cancel();
        try { await serving.ConfigureAwait(false); } catch (OperationCanceledException) { }
        return seconds;
    }

    private static async Task ServeAsync(TcpListener listener, long started, TaskCompletionSource<double> firstByte, CancellationToken cancellation)
    {
        var response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"u8.ToArray();
        var connections = new List<Task>();
        while (!cancellation.IsCancellationRequested)
        {
            var socket = await listener.AcceptSocketAsync(cancellation).ConfigureAwait(false);
            connections.Add(Task.Run(async () =>
            {
                using (socket)
                {
                    var buffer = new byte[16 * 1024];
                    var pending = 0;
                    while (true)
                    {
                        int read;
                        try { read = await socket.ReceiveAsync(buffer.AsMemory(pending), cancellation).ConfigureAwait(false); }
                        catch (Exception e) when (e is SocketException or OperationCanceledException) { return; }
                        if (read == 0) return;
                        firstByte.TrySetResult(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                        pending += read;
                        // Answer each complete request head (the requests carry no body).
                        int end;
                        while ((end = buffer.AsSpan(0, pending).IndexOf("\r\n\r\n"u8)) >= 0)
                        {
                            try { await socket.SendAsync(response, cancellation).ConfigureAwait(false); }
                            catch (Exception e) when (e is SocketException or OperationCanceledException) { return; }
                            buffer.AsSpan(end + 4, pending - end - 4).CopyTo(buffer);
                            pending -= end + 4;
                        }
                    }
                }
            }, CancellationToken.None));
        }
    }

    // ---- Helpers ----

    [GeneratedRegex(@"(\d+) requests in")] private static partial Regex WrkRequests();
    /// <summary>wrk's and hey's rate line: both print <c>Requests/sec:</c> and the figure.</summary>
    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex RequestsPerSecond();
    [GeneratedRegex(@"\[200\]\s+(\d+) responses")] private static partial Regex HeyOk();
    [GeneratedRegex(@"Complete requests:\s+(\d+)")] private static partial Regex AbComplete();
    [GeneratedRegex(@"Requests per second:\s+([\d.]+)")] private static partial Regex AbRate();
    [GeneratedRegex("\"PING_INLINE\",\"([\\d.]+)\"")] private static partial Regex RedisRate();

    // ---- Report ----

    private static string Render(Settings s, MachineDescription machine, List<Section> sections, Startup startup)
    {
        var text = new StringBuilder();
        text.AppendLine("# The CLI against native peers").AppendLine();
        text.AppendLine(new MarkdownTable("", "")
            .Row("Date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Row("Command", "`bench/run cli` (publishes the CLI precompiled, starts nginx and redis-server on loopback, then `Gauntlet.Bench cli`)")
            .Row("Gauntlet commit", SourceRevision.Describe(s.Root))
            .Row("CLI", $"`{s.Cli}`{(IsPrecompiled(s.Cli) ? " (ReadyToRun)" : " (not precompiled)")}")
            .Row("CPU", machine.Cpu)
            .Row("Cores", $"{machine.LogicalCores} logical")
            .Row("Load average", $"{machine.LoadAverage} at start, {MachineDescription.LoadAverageNow()} at end")
            .ToString());
        text.Append(Interleaved.Method(s.Rounds));
        foreach (var section in sections) Interleaved.Render(text, section, s.Rounds);

        text.AppendLine("## Start-up").AppendLine();
        text.AppendLine($"Median of {s.StartupRuns} runs each. The first request is timed from starting the program to the first byte of its first request");
        text.AppendLine("on a listener of the benchmark's (`gauntlet http URL -n 1 -c 1`; wrk: `wrk -t1 -c1 -d1s URL`).").AppendLine();
        var version = Numbers.Median(startup.VersionSeconds);
        var first = Numbers.Median(startup.FirstRequestSeconds);
        var table = new MarkdownTable("claim", "goal", ">Gauntlet (median)", ">range", ">wrk (median)", "verdict");
        table.Row("`gauntlet --version`, wall", "< 50 ms", Millis(version), Range(startup.VersionSeconds, Millis), "", version < 0.050 ? "met" : "**missed**");
        table.Row("start to first request", "< 150 ms", Millis(first), Range(startup.FirstRequestSeconds, Millis),
            startup.WrkFirstRequestSeconds is { } w ? Millis(Numbers.Median(w)) : "not installed", first < 0.150 ? "met" : "**missed**");
        text.AppendLine(table.ToString());
        return text.ToString().Replace("\r\n", "\n");
    }

    private static string Range(List<double> seconds, Func<double, string> format) => seconds.Count == 0 ? "" : $"{format(seconds.Min())} - {format(seconds.Max())}";

    private static string Millis(double seconds) => (seconds * 1000).ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>True when the CLI's main library carries ReadyToRun code (a published build), false for a plain IL build.</summary>
    private static bool IsPrecompiled(string cli)
    {
        var core = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(cli))!, "Gauntlet.Core.dll");
        if (!File.Exists(core)) return false;
        using var stream = File.OpenRead(core);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
