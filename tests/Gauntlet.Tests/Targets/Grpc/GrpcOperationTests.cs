using Gauntlet.Thresholds;
using System.Net;
using System.Net.Sockets;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Grpc;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Targets.Grpc;

/// <summary>gRPC calls end to end against the built-in server's gauntlet.echo.Echo, in clear-text HTTP/2.</summary>
public sealed class GrpcOperationTests
{
    private static GrpcOptions Echo(string method, string message) =>
        new(GrpcOptions.BuiltinHttp, $"{GrpcEcho.Service}/{method}", Template.Constant(message));

    private static Task<ScenarioResult> Run(GrpcOptions options, long calls, int workers, params string[] thresholds)
    {
        var scenario = Scenario.Create("grpc", new GrpcOperation(options))
            .WithThresholds([.. thresholds.Select(Threshold.Parse)])
            .WithLoad(LoadProfile.Closed(workers))
            .WithMaxIterations(calls)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithDeadline(TimeSpan.FromSeconds(60));
        return RunHelpers.RunOne(scenario);
    }

    private static long Status(ScenarioResult result, string status) => result.Grpc!.Statuses.Where(s => s.Status == status).Sum(s => s.Count);

    [Fact]
    public async Task Unary_calls_are_counted_exactly_and_each_reply_is_checked()
    {
        var result = await Run(Echo("Say", """{"text": "hi"}""") with { Checks = [new HttpCheck.Contains("\"text\":\"hi\"")] }, 500, 8);

        Assert.Equal(500, result.Counts.Completed);
        Assert.Equal(500, result.Counts.Ok);
        Assert.Equal(500, Status(result, "OK"));
        Assert.Equal(500, result.Grpc!.MessagesReceived);
        Assert.Equal("unary", result.Grpc.Shape);
        Assert.Null(result.Grpc.FirstMessage);
    }

    [Fact]
    public async Task A_templated_message_is_encoded_per_call_and_a_failed_check_fails_the_call()
    {
        // Odd iterations say "odd"; the check wants "even", so exactly half fail it.
        var feeder = Feeder.FromValues("parity", ["even", "odd"]);
        Assert.True(Template.TryParse("""{"text": "{{parity}} {{iteration}}"}""", [feeder], out var message, out _, out _));
        var options = Echo("Say", "{}") with { Message = message, Feeders = [feeder], Checks = [new HttpCheck.Contains("even")] };

        var result = await Run(options, 40, 1);

        Assert.Equal(20, result.Counts.Ok);
        Assert.Equal(20, result.Errors.Where(e => e.Kind == HttpCheck.FailedKind).Sum(e => e.Count));
    }

    [Fact]
    public async Task Server_streaming_counts_every_message_with_the_first_message_and_gap_figures()
    {
        var result = await Run(Echo("Stream", """{"text": "t", "count": 5, "intervalMs": 3}"""), 20, 4);

        var grpc = result.Grpc!;
        Assert.Equal(20, result.Counts.Ok);
        Assert.Equal("server streaming", grpc.Shape);
        Assert.Equal(100, grpc.MessagesReceived);
        Assert.Equal(20, grpc.StreamsEnded);
        Assert.Equal(5, grpc.MessagesPerCall);
        Assert.Equal(5, grpc.MaxMessagesPerCall);
        Assert.Equal(20, grpc.FirstMessage!.Count);
        Assert.Equal(80, grpc.MessageGap!.Count);
        // The service waits 3 ms between its 5 messages, so no call is shorter than 12 ms (a floor, not a speed). A single
        // gap may be: two messages can arrive in one read, and the gaps are measured where the client sees them.
        Assert.True(result.Latency.MinMicros >= 12_000, $"shortest call {result.Latency.MinMicros} us");
    }

    [Fact]
    public async Task Thresholds_name_the_stream_phases_and_the_messages_received()
    {
        // 5 messages 3 ms apart: the gaps add up to at least 12 ms a call, so their mean is far above 1 us.
        var result = await Run(Echo("Stream", """{"text": "t", "count": 5, "intervalMs": 3}"""), 8, 2,
            "p99(first_message) < 60s", "mean(message_gap) < 1us", "messages_received == 40", "messages_lost == 0");

        var verdicts = result.Thresholds.ToDictionary(t => t.Expression);
        Assert.True(verdicts["p99(first_message) < 60s"].Passed, verdicts["p99(first_message) < 60s"].Note);
        Assert.Equal(result.Grpc!.FirstMessage!.P99Micros, verdicts["p99(first_message) < 60s"].Actual!.Value, 0);
        Assert.False(verdicts["mean(message_gap) < 1us"].Passed);
        Assert.True(verdicts["mean(message_gap) < 1us"].Actual >= 3_000, $"mean gap {verdicts["mean(message_gap) < 1us"].Actual} us");
        Assert.True(verdicts["messages_received == 40"].Passed, verdicts["messages_received == 40"].ActualText);
        // A gRPC call has no message to lose apart from its failed status: the WebSocket count is not measured here.
        Assert.False(verdicts["messages_lost == 0"].Passed);
        Assert.Contains("only a WebSocket operation counts the messages it sends and loses", verdicts["messages_lost == 0"].Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_past_its_deadline_fails_as_DEADLINE_EXCEEDED_having_reached_the_server()
    {
        var result = await Run(Echo("Say", """{"delayMs": 5000}""") with { Deadline = TimeSpan.FromMilliseconds(100) }, 4, 2);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("grpc_DEADLINE_EXCEEDED", 4L, ErrorClass.Reached), (error.Kind, error.Count, error.Class));
        Assert.Equal(0, result.Counts.TimedOut);
        Assert.Equal(4, Status(result, "DEADLINE_EXCEEDED"));
    }

    [Fact]
    public async Task A_status_the_call_does_not_expect_is_its_error_kind_and_an_expected_one_is_ok()
    {
        var failing = await Run(Echo("Say", """{"status": 5, "statusMessage": "no such thing"}"""), 6, 2);
        var expected = await Run(Echo("Say", """{"status": 5}""") with { Expect = [global::Grpc.Core.StatusCode.NotFound] }, 6, 2);

        var error = Assert.Single(failing.Errors);
        Assert.Equal(("grpc_NOT_FOUND", 6L, "no such thing"), (error.Kind, error.Count, error.SampleMessage));
        Assert.Equal(6, expected.Counts.Ok);
        Assert.Equal(6, Status(expected, "NOT_FOUND"));
    }

    [Fact]
    public async Task A_stream_that_ends_with_an_error_status_still_counts_its_messages()
    {
        var result = await Run(Echo("Stream", """{"count": 3, "status": 14}"""), 4, 1);

        Assert.Equal(4, result.Errors.Single(e => e.Kind == "grpc_UNAVAILABLE").Count);
        Assert.Equal(12, result.Grpc!.MessagesReceived);
        Assert.Equal(4, result.Grpc.StreamsEnded);
    }

    [Fact]
    public void The_csharp_front_door_checks_the_message_against_the_built_in_proto()
    {
        var invalid = Assert.Throws<ScenarioValidationException>(() => new GrpcOperation(Echo("Say", """{"txt": 1}""")));

        Assert.Contains("message: does not fit gauntlet.echo.EchoRequest: txt: gauntlet.echo.EchoRequest has no field 'txt'; did you mean 'text'?", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_in_server_answers_HTTP_1_1_and_gRPC_on_one_clear_text_port()
    {
        await using var server = await Gauntlet.Servers.BuiltinHttpServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var address = $"http://127.0.0.1:{server.Address.Port}";
        using var http11 = new HttpClient();

        var ok = await http11.GetAsync(new Uri(server.Address, "ok"));
        var calls = await Run(new GrpcOptions(address, $"{GrpcEcho.Service}/Say", Template.Constant("""{"text": "same port"}"""))
        {
            Proto = Path.Combine(Gauntlet.Tests.ScenarioFiles.RepositoryPaths.Examples, "grpc-echo", "echo.proto"),
        }, 50, 2);

        Assert.Equal(new Version(1, 1), ok.Version);
        Assert.Equal("ok", await ok.Content.ReadAsStringAsync());
        Assert.Equal(50, calls.Counts.Ok);
        Assert.Equal(50, Status(calls, "OK"));
    }

    [Fact]
    public async Task An_unreachable_target_ends_the_quick_mode_with_exit_3()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("echo.proto"), GrpcEcho.Proto);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await CliProcess.RunAsync("grpc", $"http://127.0.0.1:{port}", "--proto", folder.File("echo.proto"), "--call", "gauntlet.echo.Echo/Say", "-n", "5", "-o", folder.File("out"));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"cannot reach 127.0.0.1:{port}: connection refused", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_on_the_command_line_is_exit_2_with_the_scenario_path()
    {
        var run = await CliProcess.RunAsync("grpc", "builtin:http", "--call", "gauntlet.echo.Echo/Say", "--data", """{"txt": "a"}""", "-n", "1");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("operation.grpc.message: does not fit gauntlet.echo.EchoRequest: txt:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_and_their_printed_yaml_run_as_the_same_scenario()
    {
        using var folder = new TempFolder();
        string[] flags = ["grpc", "builtin:http", "--call", "gauntlet.echo.Echo/Stream", "--data", """{"text": "a\tb {{iteration}}", "count": 2}""",
            "-H", "authorization: Bearer x", "--deadline", "5s", "--expect", "OK", "-c", "2", "--channels", "2", "-n", "30", "--threshold", "count(ok) == 30"];

        var printed = await CliProcess.RunAsync([.. flags, "--print-yaml"]);
        Assert.True(printed.ExitCode == 0, printed.ToString());
        await File.WriteAllTextAsync(folder.File("scenario.yaml"), printed.Stdout);
        var quick = await CliProcess.RunAsync([.. flags, "--out", folder.File("quick")]);
        var fromFile = await CliProcess.RunAsync("run", folder.File("scenario.yaml"), "--out", folder.File("run"));

        Assert.True(quick.ExitCode == 0, quick.ToString());
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Contains("    call: \"gauntlet.echo.Echo/Stream\"\n    message: \"{", printed.Stdout, StringComparison.Ordinal);
        Assert.Contains("    metadata: { \"authorization\": \"Bearer x\" }\n    deadline: 5s\n    expect: [OK]\n    channels: 2\n", printed.Stdout, StringComparison.Ordinal);
        Assert.Contains("Streams: 60 messages in 30 calls (2 per call, at most 2)", quick.Stdout, StringComparison.Ordinal);
        foreach (var folderName in new[] { "quick", "run" })
        {
            var scenario = Assert.Single((await ResultFile.ReadAsync(folder.File(folderName, "result.json"))).Scenarios);
            Assert.Equal(30, scenario.Counts.Ok);
            Assert.Equal(60, scenario.Grpc!.MessagesReceived);
            Assert.Equal(2, scenario.Grpc.Channels);
        }
    }
}
