using System.Text.Json;
using Gauntlet.Results;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Cli;

/// <summary><c>gauntlet websocket</c> (alias <c>ws</c>), run as a process: its scenario file, exit codes, and reports.</summary>
public sealed class WebSocketCliTests
{
    [Fact]
    public async Task Flags_and_their_printed_yaml_run_as_the_same_scenario()
    {
        using var folder = new TempFolder();
        string[] flags = ["websocket", "builtin:http/ws", "-c", "3", "-n", "90", "--send", "hello {{worker}} \"{{iteration}}\"", "--expect", "echo", "--threshold", "count(ok) == 90"];

        var printed = await CliProcess.RunAsync([.. flags, "--print-yaml"]);
        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Contains("websocket:", printed.Stdout, StringComparison.Ordinal);
        Assert.Contains("send: \"hello {{worker}} \\\"{{iteration}}\\\"\"", printed.Stdout, StringComparison.Ordinal);
        var file = folder.File("scenario.yaml");
        await File.WriteAllTextAsync(file, printed.Stdout);
        var quick = await CliProcess.RunAsync([.. flags, "--out", folder.File("quick")]);
        var run = await CliProcess.RunAsync("run", file, "--out", folder.File("run"));

        Assert.True(quick.ExitCode == 0, quick.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var fromFlags = Assert.Single((await ResultFile.ReadAsync(folder.File("quick", "result.json"))).Scenarios);
        var fromFile = Assert.Single((await ResultFile.ReadAsync(folder.File("run", "result.json"))).Scenarios);
        Assert.Equal(JsonSerializer.Serialize(fromFlags.Config), JsonSerializer.Serialize(fromFile.Config));
        foreach (var result in new[] { fromFlags, fromFile })
        {
            Assert.Equal(90, result.Counts.Ok);
            Assert.Equal(90, result.WebSocket!.MessagesSent);
            Assert.Equal(90, result.WebSocket.MessagesReceived);
            Assert.Equal(3, result.WebSocket.ConnectionsOpened);
            // Which worker sends which iteration varies from run to run, and so the rendered lengths; echoed, they match.
            Assert.Equal(result.WebSocket.BytesOut, result.WebSocket.BytesIn);
        }
        Assert.Contains("90 messages sent, 90 replies, 0 lost", quick.Stdout, StringComparison.Ordinal);
        Assert.Contains("### WebSocket", await File.ReadAllTextAsync(folder.File("quick", "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_exits_3_with_what_to_do()
    {
        using var folder = new TempFolder();
        var run = await CliProcess.RunAsync("ws", $"ws://127.0.0.1:{Targets.Tcp.TcpOperationTests.FreePort()}/ws", "-c", "2", "-d", "1s", "--out", folder.Path);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("connection refused", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("gauntlet serve http", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_closes_fails_the_run_with_the_close_code_and_lost_messages()
    {
        using var folder = new TempFolder();
        var run = await CliProcess.RunAsync("ws", "builtin:http/ws?closeAfter=4", "-c", "1", "-n", "10", "--send", "m{{iteration}}", "--out", folder.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        var scenario = Assert.Single((await ResultFile.ReadAsync(folder.File("result.json"))).Scenarios);
        Assert.Equal(8, scenario.Counts.Ok);
        Assert.Equal(2, Assert.Single(scenario.Errors, e => e.Kind == "ws_close_1011_internal_error").Count);
        Assert.Equal(2, scenario.WebSocket!.MessagesLost);
    }

    [Fact]
    public async Task Bad_flags_exit_2_with_every_problem_and_no_stack_trace()
    {
        var run = await CliProcess.RunAsync("websocket", "http://127.0.0.1:8080/ws", "--send", "a", "--binary", "8B", "--expect", "maybe", "--connect", "sometimes");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("ws://127.0.0.1:8080/ws", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--send and --binary", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--expect", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--connect", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);

        var http = await CliProcess.RunAsync("http", "ws://127.0.0.1:8080/ws");
        Assert.True(http.ExitCode == 2, http.ToString());
        Assert.Contains("gauntlet websocket ws://127.0.0.1:8080/ws", http.Stderr, StringComparison.Ordinal);
    }
}
