using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gauntlet.Targets.Tcp;

namespace Gauntlet.Tests.Cli;

/// <summary>`gauntlet tcp`, `gauntlet serve` and `gauntlet proxy`, run as processes: exit codes, output, clean stops.</summary>
public sealed partial class TcpCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-tcp-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Quick_mode_runs_batched_clients_against_the_builtin_echo_and_passes()
    {
        var output = Path.Combine(_folder, "quick");
        var run = await CliProcess.RunAsync("tcp", "builtin:echo", "-c", "300", "--per-connection", "2", "--batch", "50", "--every", "5ms",
            "--payload", "64B", "--expect", "echo", "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "result.json")));
        var counts = json.RootElement.GetProperty("scenarios")[0].GetProperty("counts");
        Assert.Equal(600, counts.GetProperty("started").GetInt64());
        Assert.Equal(600, counts.GetProperty("ok").GetInt64());
    }

    [Fact]
    public async Task An_unreachable_target_exits_3_with_what_to_do()
    {
        var run = await CliProcess.RunAsync("tcp", $"127.0.0.1:{Targets.Tcp.TcpOperationTests.FreePort()}", "-c", "2", "-d", "1s", "--out", Path.Combine(_folder, "x"));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("connection refused", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task Bad_flags_exit_2_with_every_problem_and_no_stack_trace()
    {
        var run = await CliProcess.RunAsync("tcp", "localhost", "--payload", "3X", "--expect", "maybe", "-d", "1s", "-n", "5");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--payload", run.Stderr);
        Assert.Contains("--expect", run.Stderr);
        Assert.Contains("HOST:PORT", run.Stderr);
        Assert.Contains("give one of -d", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);

        // A value the parser rejects stops there, naming the flag and its range.
        var connections = await CliProcess.RunAsync("tcp", "localhost:1", "-c", "0");
        Assert.True(connections.ExitCode == 2, connections.ToString());
        Assert.Contains("-c/--connections: expected a whole number from 1", connections.Stderr);
    }

    [Fact]
    public async Task Too_low_an_open_files_limit_exits_3_before_connecting_and_says_how_to_raise_it()
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n 400 && exec dotnet '{CliProcess.ToolPath}' tcp builtin:echo -c 1000 --per-connection 1 --out out");
        start.Environment["TERM"] = "dumb";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);

        Assert.True(process.ExitCode == 3, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        var message = await stderr;
        Assert.Contains("open-files limit is 400", message);
        Assert.Contains("ulimit", message);
        Assert.DoesNotContain("   at ", message);
    }

    [Fact]
    public async Task Serve_echo_prints_its_address_echoes_and_stops_on_ctrl_c()
    {
        var echoed = "";
        var run = await CliProcess.RunAsync(["serve", "echo", "--port", "0"], TimeSpan.FromSeconds(30), async (process, stdout) =>
        {
            await CliProcess.WaitForOutputAsync(stdout, "listening on");
            var endpoint = Listening(stdout);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint);
            await socket.SendAsync("hello gauntlet"u8.ToArray());
            var buffer = new byte[64];
            var received = 0;
            while (received < 14) received += await socket.ReceiveAsync(buffer.AsMemory(received));
            echoed = Encoding.ASCII.GetString(buffer, 0, received);
            socket.Shutdown(SocketShutdown.Both);
            CliProcess.Interrupt(process);
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hello gauntlet", echoed);
        Assert.Matches(@"listening on 127\.0\.0\.1:\d+", run.Stdout);
        Assert.Contains("stopping after 1 connections and 14 bytes echoed", run.Stdout);
    }

    [Fact]
    public async Task Serve_http_answers_every_route_and_stops_on_ctrl_c()
    {
        var answers = new List<string>();
        var run = await CliProcess.RunAsync(["serve", "http", "--port", "0"], TimeSpan.FromSeconds(40), async (process, stdout) =>
        {
            await CliProcess.WaitForOutputAsync(stdout, "listening on");
            string text;
            lock (stdout) text = stdout.ToString();
            var address = new Uri(HttpAddress().Match(text).Value);
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            answers.Add(await client.GetStringAsync("ok"));
            answers.Add(((int)(await client.GetAsync("status/503")).StatusCode).ToString());
            answers.Add((await client.GetByteArrayAsync("bytes/1000")).Length.ToString());
            answers.Add(await (await client.PostAsync("echo", new StringContent("ping body"))).Content.ReadAsStringAsync());
            answers.Add(JsonDocument.Parse(await client.GetStringAsync("json")).RootElement.GetProperty("name").GetString()!);
            answers.Add(await client.GetStringAsync("delay/20"));
            answers.Add(((int)(await client.GetAsync("delay/999999")).StatusCode).ToString());
            CliProcess.Interrupt(process);
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["ok", "503", "1000", "ping body", "gauntlet", "ok", "400"], answers);
        Assert.Matches(@"listening on http://127\.0\.0\.1:\d+/", run.Stdout);
    }

    [Fact]
    public async Task Proxy_forwards_with_the_latency_asked_and_stops_on_ctrl_c()
    {
        await using var echo = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var elapsed = TimeSpan.Zero;
        var run = await CliProcess.RunAsync(["proxy", "--listen", "127.0.0.1:0", "--to", $"127.0.0.1:{echo.EndPoint.Port}", "--latency", "60ms", "--direction", "down"],
            TimeSpan.FromSeconds(30), async (process, stdout) =>
            {
                await CliProcess.WaitForOutputAsync(stdout, "listening on");
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(Listening(stdout));
                var clock = Stopwatch.StartNew();
                await socket.SendAsync("abc"u8.ToArray());
                var buffer = new byte[8];
                var received = 0;
                while (received < 3) received += await socket.ReceiveAsync(buffer.AsMemory(received));
                elapsed = clock.Elapsed;
                socket.Shutdown(SocketShutdown.Both);
                CliProcess.Interrupt(process);
            });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(59), $"the reply came back after {elapsed.TotalMilliseconds} ms");
        Assert.Contains("latency 60ms (replies)", run.Stdout);
        Assert.Contains("1 connections", run.Stdout);
    }

    [Fact]
    public async Task Proxy_bad_flags_exit_2()
    {
        var run = await CliProcess.RunAsync("proxy", "--listen", "127.0.0.1", "--to", "127.0.0.1:7000", "--latency", "fast", "--refuse", "150%");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--latency", run.Stderr);
        Assert.Contains("--refuse", run.Stderr);
        Assert.Contains("--listen", run.Stderr);
    }

    private static IPEndPoint Listening(StringBuilder stdout)
    {
        string text;
        lock (stdout) text = stdout.ToString();
        var match = ListeningAddress().Match(text);
        Assert.True(match.Success, text);
        return IPEndPoint.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAddress();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex HttpAddress();
}
