using System.Net;
using System.Net.Sockets;
using System.Text;
using Gauntlet.Pipeline;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Tcp;
using Gauntlet.Tests.Engine;
using static Gauntlet.Tests.Targets.Tcp.TcpTestKit;

namespace Gauntlet.Tests.Targets.Tcp;

public sealed class TcpOperationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(4_096)]
    [InlineData(65_537)]
    [InlineData(1_048_576)]
    public async Task Echo_is_checked_byte_for_byte_from_1B_to_1MB(int size)
    {
        var result = await RunAsync(new TcpOptions { Target = TcpOptions.BuiltinEcho, Payload = TcpPayload.Generated(size) }, workers: 4, perWorker: 5);

        Assert.Equal(20, result.Counts.Started);
        Assert.True(result.Counts.Ok == 20, string.Join("; ", result.Errors.Select(e => $"{e.Kind}: {e.SampleMessage}")));
    }

    [Fact]
    public async Task A_garbled_echo_is_a_wrong_reply_with_the_first_differing_byte()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Garble);
        var result = await RunRawAsync(new TcpOptions { Target = Target(server.EndPoint) }, workers: 2, perWorker: 3);

        Assert.Equal(0, result.Counts.Ok);
        Assert.Equal(6, result.Counts.Failed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(TcpErrorKinds.WrongReply, error.Kind);
        Assert.Contains("differs at byte 0", error.SampleMessage);
    }

    [Theory]
    [InlineData(Misbehaviour.CloseAtOnce, TcpErrorKinds.ClosedEarly)]
    [InlineData(Misbehaviour.HalfReply, TcpErrorKinds.ShortRead)]
    [InlineData(Misbehaviour.Reset, TcpErrorKinds.Reset)]
    [InlineData(Misbehaviour.Silent, TcpErrorKinds.ReadTimeout)]
    public async Task Each_misbehaviour_is_classified(Misbehaviour mode, string kind)
    {
        await using var server = new MisbehavingServer(mode);
        var options = new TcpOptions { Target = Target(server.EndPoint), ReadTimeout = TimeSpan.FromMilliseconds(300) };
        var result = await RunRawAsync(options, workers: 2, perWorker: 2);

        Assert.Equal(4, result.Counts.Started);
        Assert.Equal(4, result.Counts.Failed);
        var error = Assert.Single(result.Errors);
        Assert.True(kind == error.Kind, $"expected {kind}, got {error.Kind}: {error.SampleMessage}");
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        var port = FreePort();
        var result = await RunRawAsync(new TcpOptions { Target = $"127.0.0.1:{port}" }, workers: 2, perWorker: 3);

        Assert.Equal(6, result.Counts.Failed);
        Assert.Equal(TcpErrorKinds.Refused, Assert.Single(result.Errors).Kind);
        // Unreachable, not just spelled "refused": the exit code (3) reads the class.
        Assert.Equal(Gauntlet.Results.ErrorClass.Unreachable, Assert.Single(result.Errors).Class);
    }

    [Fact]
    public async Task A_full_accept_queue_times_out_the_connect()
    {
        // A listener that never accepts: once its queue is full the kernel drops new SYNs, so connects hang.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try { await filler.ConnectAsync(endpoint, quick.Token); } catch (OperationCanceledException) { }
            }
            var options = new TcpOptions { Target = Target(endpoint), ConnectTimeout = TimeSpan.FromMilliseconds(200) };
            var result = await RunRawAsync(options, workers: 1, perWorker: 2);

            Assert.Equal(2, result.Counts.Failed);
            Assert.Equal(TcpErrorKinds.ConnectTimeout, Assert.Single(result.Errors).Kind);
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
        }
    }

    [Fact]
    public async Task Fixed_reply_text_delimiter_regex_and_byte_count_are_checked()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Fixed);
        var target = Target(server.EndPoint);
        Assert.True(TcpPayload.TryText("PING\\r\\n", false, out var ping, out _));
        var expectations = new[]
        {
            TcpExpectation.Exactly("+PONG\r\n"u8, "+PONG"),
            TcpExpectation.UpTo("\r\n"u8, "CRLF"),
            TcpExpectation.Matching(new System.Text.RegularExpressions.Regex(@"^\+PO[N]G"), "\r\n"u8),
            TcpExpectation.ByteCount(7),
        };
        foreach (var expect in expectations)
        {
            var result = await RunRawAsync(new TcpOptions { Target = target, Payload = ping, Expect = expect }, workers: 2, perWorker: 5);
            Assert.True(result.Counts.Ok == 10, $"{expect.Description}: " + string.Join("; ", result.Errors.Select(e => $"{e.Kind}: {e.SampleMessage}")));
        }

        var wrong = await RunRawAsync(new TcpOptions
        {
            Target = target, Payload = ping,
            Expect = TcpExpectation.Matching(new System.Text.RegularExpressions.Regex("^-ERR"), "\r\n"u8),
        }, workers: 1, perWorker: 3);
        Assert.Equal(3, wrong.Counts.Failed);
        Assert.Equal(TcpErrorKinds.WrongReply, Assert.Single(wrong.Errors).Kind);
    }

    [Fact]
    public async Task A_delimiter_that_never_comes_fails_at_max_reply()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Fixed, "no newline here"u8.ToArray());
        var result = await RunRawAsync(new TcpOptions
        {
            Target = Target(server.EndPoint),
            Payload = TcpPayload.Generated(4),
            Expect = TcpExpectation.UpTo("\n"u8, "LF", maxReply: 15),
            ReadTimeout = TimeSpan.FromSeconds(5),
        }, workers: 1, perWorker: 1);

        var error = Assert.Single(result.Errors);
        Assert.Equal(TcpErrorKinds.WrongReply, error.Kind);
        Assert.Contains("within 15 B", error.SampleMessage);
    }

    [Fact]
    public void Template_writes_the_numbers_of_each_operation()
    {
        Assert.True(TcpPayload.TryText("w{worker} i{iteration} op{op} {{x}}\\n", template: true, out var payload, out var error), error);
        var buffer = new byte[payload.MaxLength];
        var n = payload.Write(buffer, 3, 41, 1234567890123);

        Assert.Equal("w3 i41 op1234567890123 {x}\n", Encoding.UTF8.GetString(buffer, 0, n));
        Assert.True(payload.IsTemplate);
    }

    [Theory]
    [InlineData("{nope}", "unknown placeholder")]
    [InlineData("{worker", "not closed")]
    [InlineData("bad \\q", "unknown escape")]
    [InlineData("\\x4", "two hex digits")]
    public void Bad_templates_are_explained(string text, string message)
    {
        Assert.False(TcpPayload.TryText(text, template: true, out _, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void Escapes_and_hex_give_raw_bytes()
    {
        Assert.True(TcpPayload.TryText("A\\x00\\xff\\r\\n", template: false, out var text, out _));
        Assert.Equal(new byte[] { 65, 0, 255, 13, 10 }, text.Fixed);
        Assert.True(TcpPayload.TryHex("2a 31 0D0a", out var hex, out _));
        Assert.Equal(new byte[] { 0x2a, 0x31, 0x0d, 0x0a }, hex.Fixed);
        Assert.False(TcpPayload.TryHex("2a3", out _, out var odd));
        Assert.Contains("odd number", odd);
    }

    [Fact]
    public async Task A_template_payload_is_echoed_per_operation()
    {
        Assert.True(TcpPayload.TryText("op {op} from {worker}\\n", template: true, out var payload, out _));
        var result = await RunAsync(new TcpOptions { Target = TcpOptions.BuiltinEcho, Payload = payload }, workers: 3, perWorker: 7);
        Assert.Equal(21, result.Counts.Ok);
    }

    [Fact]
    public async Task Per_operation_mode_connects_for_every_exchange_and_closes_every_socket()
    {
        await using var echo = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var target = Target(echo.EndPoint);

        var perOperation = await RunRawAsync(new TcpOptions { Target = target, Connect = TcpConnectMode.PerOperation }, workers: 4, perWorker: 10);
        Assert.Equal(40, perOperation.Counts.Ok);
        Assert.Equal(40, echo.Accepted);

        var perWorker = await RunAsync(new TcpOptions { Target = target }, workers: 4, perWorker: 10);
        Assert.Equal(40, perWorker.Counts.Ok);
        Assert.Equal(40 + 1 + 4, echo.Accepted); // the probe, then one connection per worker

        // The scenario's teardown closed the workers' connections; the server sees each end (bounded wait).
        await WaitUntil(() => echo.Open == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(0, echo.Open);
    }

    [Fact]
    public async Task Two_thousand_connections_open_in_batches_and_all_complete()
    {
        await using var echo = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var result = await RunAsync(new TcpOptions { Target = Target(echo.EndPoint) }, workers: 2_000, perWorker: 2,
            batches: new BatchRamp(100, TimeSpan.FromMilliseconds(5)));

        Assert.Equal(4_000, result.Counts.Started);
        Assert.True(result.Counts.Ok == 4_000, string.Join("; ", result.Errors.Select(e => $"{e.Kind} x{e.Count}: {e.SampleMessage}")));
        Assert.Equal(2_000 + 1, echo.Accepted);
        Assert.Equal(4_000L * 64, echo.BytesEchoed);
    }

    [Fact]
    public async Task Connections_come_from_the_given_source_addresses_in_turn()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Fixed);
        var options = new TcpOptions
        {
            Target = Target(server.EndPoint),
            Expect = TcpExpectation.Exactly(server.FixedReply, "+PONG"),
            SourceAddresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")],
        };
        var result = await RunAsync(options, workers: 6, perWorker: 2);

        Assert.Equal(12, result.Counts.Ok);
        var peers = server.Peers.Select(a => a.ToString()).ToList();
        Assert.Equal(3, peers.Count(p => p == "127.0.0.2"));
        Assert.Equal(3, peers.Count(p => p == "127.0.0.3"));
    }

    [Fact]
    public void Sources_spread_over_loopback_only_past_one_address_share_of_ports()
    {
        var loopback = IPAddress.Loopback;
        Assert.Empty(SourceAddresses.Automatic(loopback, 10_000, 28_232));
        var spread = SourceAddresses.Automatic(loopback, 60_000, 28_232);
        Assert.Equal(["127.0.0.1", "127.0.0.2", "127.0.0.3"], spread.Select(a => a.ToString()));
        Assert.Empty(SourceAddresses.Automatic(IPAddress.Parse("10.1.2.3"), 60_000, 28_232));
        Assert.Empty(SourceAddresses.Automatic(IPAddress.IPv6Loopback, 60_000, 28_232));
    }

    [Fact]
    public async Task An_unreachable_target_fails_the_set_up_with_what_to_do()
    {
        var port = FreePort();
        var scenario = new TcpOperation(new TcpOptions { Target = $"127.0.0.1:{port}" }).ToScenario("x").WithMaxIterations(1);
        var e = await Assert.ThrowsAsync<TargetUnreachableException>(() => new Gauntlet.Pipeline.Runner(new Gauntlet.Pipeline.RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(scenario));
        Assert.Contains("connection refused", e.Message);
        Assert.Contains("builtin:echo", e.Message);
    }

    [Fact]
    public void Options_report_every_problem()
    {
        var problems = new TcpOptions { Target = "localhost", ConnectTimeout = TimeSpan.Zero, SourceAddresses = [] }.Validate();
        Assert.Contains(problems, p => p.Path == "target" && p.Message.Contains("HOST:PORT"));
        Assert.Contains(problems, p => p.Path == "connectTimeout");
        Assert.Contains(problems, p => p.Path == "sourceAddresses");
    }

    [Fact]
    public async Task A_persistent_exchange_does_not_allocate_once_warm()
    {
        await using var echo = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var operation = new TcpOperation(new TcpOptions { Target = Target(echo.EndPoint) });
        var context = new Gauntlet.Engine.WorkerSlot(0, 0).Context;
        const int exchanges = 2_000;
        const int maxRounds = 20;
        // A Debug build compiles async state machines as classes, one per awaited call (450 to 750 B an exchange here);
        // a Release build keeps them in pooled boxes and the exchange allocates nothing.
        var optimized = typeof(TcpOperation).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .Cast<System.Diagnostics.DebuggableAttribute>().All(a => !a.IsJITOptimizerDisabled);
        var limit = optimized ? 16 : 1024;
        // On the thread pool, as the engine's workers run: the test's own synchronization context would allocate
        // for every await it resumes on. Counted for the whole process (the in-process echo server included), over
        // many exchanges, with a little slack for the runtime's own bookkeeping. Warm means past tiered compilation
        // (tier-0 code allocates what the optimizing JIT keeps on the stack), which ends when the background compiler
        // gets to it: rounds run until one is under the limit, instead of sleeping and hoping it is done by then. An
        // exchange that allocates once warm fails every round.
        var perExchange = await Task.Run(async () =>
        {
            var last = double.NaN;
            for (var round = 0; round < maxRounds; round++)
            {
                var start = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < exchanges; i++)
                {
                    if (!(await operation.RunAsync(context)).IsOk) Assert.Fail("exchange failed");
                }
                last = (GC.GetTotalAllocatedBytes(precise: true) - start) / (double)exchanges;
                if (last < limit) break;
            }
            return last;
        });
        Assert.True(perExchange < limit, $"{perExchange:0.0} bytes allocated per exchange in the last of up to {maxRounds} rounds (limit {limit} B, optimized build: {optimized})");
        operation.CloseAll();
    }

    internal static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(20);
    }
}
