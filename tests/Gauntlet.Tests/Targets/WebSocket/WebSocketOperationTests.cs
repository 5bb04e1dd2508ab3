using Gauntlet.Thresholds;
using System.Text.RegularExpressions;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.WebSocket;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Targets.WebSocket;

/// <summary>The WebSocket operation end to end against the built-in server's <c>/ws</c> echo endpoint, on loopback.</summary>
public sealed class WebSocketOperationTests
{
    private static WebSocketOptions Echo(string path = "ws", string send = "hello {{worker}}-{{iteration}}") => new()
    {
        Url = Url(WebSocketOptions.BuiltinPrefix + path),
        Send = WebSocketMessage.FromText(Text(send)),
    };

    private static Template Url(string text) => Text(text);

    private static Template Text(string text)
    {
        Assert.True(Template.TryParse(text, [], out var template, out _, out var error), error);
        return template;
    }

    private static Task<ScenarioResult> RunAsync(WebSocketOptions options, int workers, long perWorker, params string[] thresholds) =>
        RunHelpers.RunOne(new WebSocketOperation(options).ToScenario("ws-test")
            .WithThresholds([.. thresholds.Select(Threshold.Parse)])
            .WithLoad(new IterationsProfile { Workers = workers, Iterations = perWorker })
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithGracePeriod(TimeSpan.FromSeconds(10)));

    private static Dictionary<string, long> Kinds(ScenarioResult result) => result.Errors.ToDictionary(e => e.Kind, e => e.Count);

    [Fact]
    public async Task Echo_round_trips_are_counted_exactly_on_one_connection_per_worker()
    {
        var result = await RunAsync(Echo(), workers: 4, perWorker: 250);

        Assert.Equal(1000, result.Counts.Started);
        Assert.Equal(1000, result.Counts.Ok);
        var ws = Assert.IsType<WebSocketFigures>(result.WebSocket);
        Assert.Equal(1000, ws.MessagesSent);
        Assert.Equal(1000, ws.MessagesReceived);
        Assert.Equal(0, ws.MessagesLost);
        Assert.Equal(4, ws.ConnectionsOpened);
        Assert.Equal(0, ws.ServerCloses);
        Assert.Equal(4, ws.ConnectTime!.Count);
        Assert.Equal(ws.BytesOut, ws.BytesIn);
        Assert.True(ws.BytesOut >= 1000 * "hello 0-0".Length, $"{ws.BytesOut} B sent");
    }

    [Fact]
    public async Task Connect_per_operation_opens_and_closes_a_connection_for_every_message()
    {
        var options = new WebSocketOptions
        {
            Url = Url(WebSocketOptions.BuiltinPrefix + "ws"),
            Send = WebSocketMessage.Generated(100),
            Connect = WebSocketConnectMode.PerOperation,
        };
        var result = await RunAsync(options, workers: 2, perWorker: 10);

        Assert.Equal(20, result.Counts.Ok);
        Assert.Equal(20, result.WebSocket!.ConnectionsOpened);
        Assert.Equal(20, result.WebSocket.ConnectTime!.Count);
        Assert.Equal(2000, result.WebSocket.BytesIn);
        Assert.Equal(0, result.WebSocket.ServerCloses);
    }

    [Fact]
    public async Task A_server_closing_mid_run_is_classified_by_its_close_code_and_the_lost_messages_counted()
    {
        // Each connection echoes 3 messages, then the server closes it with 1011: the 4th message is lost, and the
        // worker reconnects for the 5th.
        var result = await RunAsync(Echo("ws?closeAfter=3"), workers: 1, perWorker: 8);

        Assert.Equal(6, result.Counts.Ok);
        Assert.Equal(2, result.Counts.Failed);
        Assert.Equal(new Dictionary<string, long> { ["ws_close_1011_internal_error"] = 2 }, Kinds(result));
        Assert.Equal(ErrorClass.Reached, Assert.Single(result.Errors).Class);
        var ws = result.WebSocket!;
        Assert.Equal(8, ws.MessagesSent);
        Assert.Equal(6, ws.MessagesReceived);
        Assert.Equal(2, ws.MessagesLost);
        Assert.Equal(ws.MessagesSent, ws.MessagesReceived + ws.MessagesLost);
        Assert.Equal(2, ws.ServerCloses);
        Assert.Equal(2, ws.ConnectionsOpened);
    }

    [Fact]
    public async Task Thresholds_name_the_messages_sent_received_and_lost_and_the_connect_time()
    {
        var result = await RunAsync(Echo("ws?closeAfter=3"), workers: 1, perWorker: 8,
            "messages_lost == 0", "messages_sent == 8", "messages_received == 6", "max(connect) < 60s", "p99(first_message) < 1s");

        var verdicts = result.Thresholds.ToDictionary(t => t.Expression);
        Assert.False(verdicts["messages_lost == 0"].Passed);
        Assert.Equal(2, verdicts["messages_lost == 0"].Actual);
        Assert.True(verdicts["messages_sent == 8"].Passed, verdicts["messages_sent == 8"].ActualText);
        Assert.True(verdicts["messages_received == 6"].Passed, verdicts["messages_received == 6"].ActualText);
        // The connect phase of a WebSocket operation is its connections' opening: two here, one after the server's close.
        Assert.True(verdicts["max(connect) < 60s"].Passed, verdicts["max(connect) < 60s"].Note);
        Assert.Equal(result.WebSocket!.ConnectTime!.MaxMicros, verdicts["max(connect) < 60s"].Actual!.Value, 0);
        Assert.False(verdicts["p99(first_message) < 1s"].Passed);
        Assert.Contains("did not measure the phase 'first_message'", verdicts["p99(first_message) < 1s"].Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_close_code_of_the_servers_own_is_its_own_kind()
    {
        var result = await RunAsync(Echo("ws?closeAfter=0&closeCode=4001"), workers: 1, perWorker: 3);

        Assert.Equal(new Dictionary<string, long> { ["ws_close_4001"] = 3 }, Kinds(result));
        Assert.Equal(3, result.WebSocket!.MessagesLost);
    }

    [Fact]
    public async Task A_connection_dropped_without_a_close_frame_is_1006_abnormal()
    {
        var result = await RunAsync(Echo("ws?abortAfter=3"), workers: 1, perWorker: 12);

        Assert.Equal(9, result.Counts.Ok);
        Assert.Equal(new Dictionary<string, long> { [WebSocketErrorKinds.Abnormal] = 3 }, Kinds(result));
        var ws = result.WebSocket!;
        Assert.Equal(12, ws.MessagesSent);
        Assert.Equal(9, ws.MessagesReceived);
        Assert.Equal(3, ws.MessagesLost);
        Assert.Equal(3, ws.ConnectionsOpened);
    }

    [Fact]
    public async Task A_reply_that_never_comes_is_a_read_timeout_and_a_lost_message()
    {
        // The server answers the first message of each connection and none after: the second times out, the worker
        // drops that connection and reconnects for the third.
        var result = await RunAsync(Echo("ws?silentAfter=1") with { ReadTimeout = TimeSpan.FromMilliseconds(200) }, workers: 1, perWorker: 3);

        Assert.Equal(2, result.Counts.Ok);
        Assert.Equal(new Dictionary<string, long> { [WebSocketErrorKinds.ReadTimeout] = 1 }, Kinds(result));
        var ws = result.WebSocket!;
        Assert.Equal(3, ws.MessagesSent);
        Assert.Equal(2, ws.MessagesReceived);
        Assert.Equal(1, ws.MessagesLost);
        Assert.Equal(2, ws.ConnectionsOpened);
        Assert.Equal(0, ws.ServerCloses);
    }

    [Fact]
    public async Task A_closed_port_is_unreachable_for_every_operation_and_stops_the_run_when_probed()
    {
        var url = $"ws://127.0.0.1:{Tcp.TcpOperationTests.FreePort()}/ws";
        var options = Echo() with { Url = Url(url), Probe = false };

        var result = await RunAsync(options, workers: 2, perWorker: 3);

        Assert.Equal(6, result.Counts.Failed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(HttpErrors.Refused, error.Kind);
        Assert.Equal(ErrorClass.Unreachable, error.Class);
        Assert.Equal(0, result.WebSocket!.ConnectionsOpened);
        Assert.Equal(0, result.WebSocket.MessagesSent);

        var probed = new WebSocketOperation(options with { Probe = true }).ToScenario("probed").WithLoad(new IterationsProfile { Workers = 1, Iterations = 1 });
        var e = await Assert.ThrowsAsync<TargetUnreachableException>(() => new Gauntlet.Pipeline.Runner(new Gauntlet.Pipeline.RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(probed));
        Assert.Contains("connection refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upgrade_answered_with_another_status_names_the_status()
    {
        var result = await RunAsync(Echo("ok"), workers: 1, perWorker: 2);

        Assert.Equal(new Dictionary<string, long> { ["ws_handshake_200"] = 2 }, Kinds(result));
        Assert.Equal(ErrorClass.Reached, result.Errors[0].Class);
    }

    [Fact]
    public async Task Replies_are_judged_by_exact_text_regex_and_json_path()
    {
        var send = "{\"id\": {{iteration}}, \"text\": \"hello\"}";
        var exact = await RunAsync(Echo(send: send) with { Expect = WebSocketExpectation.Exactly(Text(send)) }, 2, 5);
        Assert.Equal(10, exact.Counts.Ok);

        Assert.True(JsonPath.TryParse("$.text", out var path, out _));
        var json = await RunAsync(Echo(send: send) with { Expect = WebSocketExpectation.Json(path, "hello") }, 2, 5);
        Assert.Equal(10, json.Counts.Ok);

        var wrong = await RunAsync(Echo(send: send) with { Expect = WebSocketExpectation.Matching(new Regex("^bye")) }, 2, 5);
        Assert.Equal(new Dictionary<string, long> { [WebSocketErrorKinds.WrongReply] = 10 }, Kinds(wrong));
        // A wrong reply is still a reply: nothing was lost.
        Assert.Equal(10, wrong.WebSocket!.MessagesReceived);
        Assert.Equal(0, wrong.WebSocket.MessagesLost);
    }

    [Fact]
    public async Task Fire_and_forget_sends_and_reads_nothing()
    {
        var result = await RunAsync(Echo() with { Expect = WebSocketExpectation.None }, workers: 2, perWorker: 50);

        Assert.Equal(100, result.Counts.Ok);
        Assert.Equal(100, result.WebSocket!.MessagesSent);
        Assert.Equal(0, result.WebSocket.MessagesReceived);
        Assert.Equal(0, result.WebSocket.MessagesLost);
    }

    [Fact]
    public async Task A_history_label_reads_function_and_value_from_the_reply()
    {
        var folder = Directory.CreateTempSubdirectory("gauntlet-ws-history-").FullName;
        try
        {
            var loaded = Gauntlet.ScenarioFiles.ScenarioFile.Parse("""
                name: ws-register
                operation:
                  websocket:
                    url: builtin:http/ws
                    send: '{"f": "write", "v": {{op}}}'
                load: { iterations: { workers: 2, perWorker: 5 } }
                history:
                  function: { json: f }
                  value: { json: v }
                verify:
                  - linearizable: { model: register }
                """, "scenario.yaml");
            Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
            var runner = new Gauntlet.Pipeline.Runner(new Gauntlet.Pipeline.RunOptions { Environment = RunHelpers.TestEnvironment, ResultsDirectory = folder });
            var result = Assert.Single((await runner.RunAsync(Assert.Single(loaded.Scenarios))).Scenarios);
            var history = Gauntlet.Verification.HistoryReader.Read(Path.Combine(folder, HistoryInfo.FileName)).Where(e => !e.IsFault).ToList();

            Assert.Equal(Verdict.Passed, result.Verdict);
            Assert.Equal(10, history.Count);
            Assert.All(history, e => Assert.Equal(("write", e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (e.Function, e.Value)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Messages_to_the_builtin_server_go_through_a_scenarios_fault_proxy()
    {
        var scenario = new WebSocketOperation(Echo()).ToScenario("ws-faults")
            .WithLoad(new IterationsProfile { Workers = 2, Iterations = 5 })
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithFaults(new FaultOptions { Proxy = new FaultProxyOptions { DownstreamLatency = TimeSpan.FromMilliseconds(50) } });
        var result = await RunHelpers.RunOne(scenario);

        Assert.Equal(10, result.Counts.Ok);
        Assert.True(result.Latency.MinMicros >= 50_000, $"min latency {result.Latency.MinMicros} us: the replies did not cross the proxy's 50 ms");
        // The upgrade's answer crossed it too.
        Assert.True(result.WebSocket!.ConnectTime!.MinMicros >= 50_000, $"min connect time {result.WebSocket.ConnectTime.MinMicros} us");
        Assert.Contains("latency 50ms (replies)", Assert.Single(result.Windows!).Label, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/ws", "ws://127.0.0.1:8080/ws")]
    [InlineData("https://example.com/ws", "wss://example.com/ws")]
    public void An_http_url_says_to_write_ws(string url, string suggestion)
    {
        var e = Assert.Throws<ScenarioValidationException>(() => new WebSocketOperation(new WebSocketOptions { Url = Template.Constant(url) }));
        Assert.Contains(suggestion, Assert.Single(e.Problems).Message, StringComparison.Ordinal);
    }
}

/// <summary>The C# guide's WebSocket sample (docs/samples/WebSocket.cs), run.</summary>
public sealed class WebSocketGuideSampleTests
{
    [Fact]
    public async Task The_guide_sample_echoes_200_messages_on_4_connections()
    {
        var result = Assert.Single((await GuideSamples.WebSocketSamples.EchoAsync()).Scenarios);

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(200, result.Counts.Ok);
        Assert.Equal(200, result.WebSocket!.MessagesReceived);
        Assert.Equal(4, result.WebSocket.ConnectionsOpened);
    }
}

/// <summary>examples/websocket-echo passes as its README says, and fails as it says with the server closing (scaled down).</summary>
public sealed class WebSocketExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-ws-example-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_example_passes_with_every_message_answered()
    {
        var result = await Gauntlet.Tests.ScenarioFiles.ExampleRuns.RunAsync("websocket-echo", "scenario.yaml",
            new() { ["workers"] = "4", ["duration"] = "1s" }, _folder);

        Assert.True(result.Verdict == Verdict.Passed, string.Join("; ", result.Reasons.Select(r => r.Message)));
        var ws = result.WebSocket!;
        Assert.Equal(4, ws.ConnectionsOpened);
        Assert.Equal(result.Counts.Ok, ws.MessagesReceived);
        Assert.Equal(ws.MessagesSent, ws.MessagesReceived);
        Assert.Equal(0, ws.MessagesLost);
        Assert.All(result.Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText} {t.Note}"));
        Assert.Contains(result.Thresholds, t => t.Expression == "p99(connect) < 1s");
    }

    [Fact]
    public async Task With_the_server_closing_it_fails_on_the_close_code_and_the_books_balance()
    {
        var result = await Gauntlet.Tests.ScenarioFiles.ExampleRuns.RunAsync("websocket-echo", "scenario.yaml",
            new() { ["workers"] = "2", ["duration"] = "1s", ["url"] = "builtin:http/ws?closeAfter=20" }, _folder);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var error = Assert.Single(result.Errors);
        Assert.Equal("ws_close_1011_internal_error", error.Kind);
        var ws = result.WebSocket!;
        Assert.Equal(error.Count, ws.MessagesLost);
        var lost = Assert.Single(result.Thresholds, t => t.Expression == "messages_lost == 0");
        Assert.False(lost.Passed);
        Assert.Equal(ws.MessagesLost, lost.Actual);
        Assert.Equal(ws.MessagesSent, ws.MessagesReceived + ws.MessagesLost);
        Assert.Equal(result.Counts.Ok, ws.MessagesReceived);
    }
}
