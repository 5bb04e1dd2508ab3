using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gauntlet.Faults.Proxy;
using Gauntlet.Targets.Tcp;
using Gauntlet.Tests.Targets.Tcp;
using static Gauntlet.Tests.Targets.Tcp.TcpTestKit;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Faults.Proxy;

/// <summary>Faults injected by the proxy are measured through real TCP exchanges against the built-in echo server.</summary>
public sealed class FaultProxyTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Injected_50ms_latency_shows_in_p50()
    {
        await using var echo = EchoServer.Start(AnyLoopbackPort);
        var direct = await RunAsync(new TcpOptions { Target = Target(echo.EndPoint) }, workers: 4, perWorker: 20);
        var proxied = await RunAsync(new TcpOptions
        {
            Target = Target(echo.EndPoint),
            Proxy = new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(50), LatencyDirection = ProxyDirection.Upstream },
        }, workers: 4, perWorker: 20);

        Assert.Equal(80, direct.Counts.Ok);
        Assert.Equal(80, proxied.Counts.Ok);
        // The delay is a floor the proxy guarantees for every exchange (above it, a busy machine's timers add what they
        // will, so there is no honest ceiling): even the fastest proxied exchange took the 50 ms (less the histogram's
        // 0.1% resolution), and the direct ones, without it, were faster at the median.
        Assert.True(proxied.Latency.MinMicros >= 49_950, $"fastest proxied exchange {proxied.Latency.MinMicros}us");
        Assert.True(direct.Latency.P50Micros < proxied.Latency.MinMicros, $"direct p50 {direct.Latency.P50Micros}us, fastest proxied {proxied.Latency.MinMicros}us");
    }

    [Fact]
    public async Task Latency_applies_only_inside_the_fault_window()
    {
        await using var echo = EchoServer.Start(AnyLoopbackPort);
        await using var proxy = FaultProxy.Start(AnyLoopbackPort, echo.EndPoint, new FaultProxyOptions
        {
            Latency = TimeSpan.FromMilliseconds(200),
            From = TimeSpan.FromHours(1),
        });
        var result = await RunRawAsync(new TcpOptions { Target = Target(proxy.EndPoint) }, workers: 2, perWorker: 10);

        Assert.Equal(20, result.Counts.Ok);
        Assert.False(proxy.FaultsActive);
        Assert.True(result.Latency.P50Micros < 150_000, $"p50 {result.Latency.P50Micros} us: the window had not opened, so no latency was due");
        Assert.Equal(20 * 64, proxy.Counts.BytesUp);
        Assert.Equal(20 * 64, proxy.Counts.BytesDown);
    }

    [Fact]
    public async Task Refused_connections_are_counted_by_the_proxy_and_fail_on_the_client()
    {
        await using var echo = EchoServer.Start(AnyLoopbackPort);
        await using var proxy = FaultProxy.Start(AnyLoopbackPort, echo.EndPoint, new FaultProxyOptions { RefuseShare = 1 });
        var result = await RunRawAsync(new TcpOptions { Target = Target(proxy.EndPoint), Connect = TcpConnectMode.PerOperation }, workers: 2, perWorker: 5);

        Assert.Equal(10, result.Counts.Failed);
        Assert.All(result.Errors, e => Assert.Contains(e.Kind, new[] { TcpErrorKinds.Reset, TcpErrorKinds.ClosedEarly }));
        Assert.Equal(10, proxy.Counts.Refused);
        Assert.Equal(0, echo.Accepted);
    }

    [Fact]
    public async Task A_blackhole_never_replies_so_reads_time_out()
    {
        await using var echo = EchoServer.Start(AnyLoopbackPort);
        await using var proxy = FaultProxy.Start(AnyLoopbackPort, echo.EndPoint, new FaultProxyOptions { BlackholeShare = 1 });
        var result = await RunRawAsync(new TcpOptions { Target = Target(proxy.EndPoint), ReadTimeout = TimeSpan.FromMilliseconds(200) }, workers: 2, perWorker: 2);

        Assert.Equal(4, result.Counts.Failed);
        Assert.Equal(TcpErrorKinds.ReadTimeout, Assert.Single(result.Errors).Kind);
        Assert.Equal(0, echo.Accepted);
    }

    [Fact]
    public async Task Reset_after_bytes_cuts_the_connection_mid_reply()
    {
        await using var echo = EchoServer.Start(AnyLoopbackPort);
        await using var proxy = FaultProxy.Start(AnyLoopbackPort, echo.EndPoint, new FaultProxyOptions { ResetAfterBytes = 100 });
        // 64 B up, then the reply crosses 100 B after 36 of its 64 bytes.
        var result = await RunRawAsync(new TcpOptions { Target = Target(proxy.EndPoint) }, workers: 1, perWorker: 3);

        Assert.Equal(3, result.Counts.Failed);
        Assert.All(result.Errors, e => Assert.Contains(e.Kind, new[] { TcpErrorKinds.Reset, TcpErrorKinds.ShortRead }));
        Assert.Equal(3, proxy.Counts.Reset);
    }

    [Fact]
    public async Task Bandwidth_limit_slows_a_large_echo_to_the_rate()
    {
        await using var echo = EchoServer.Start(AnyLoopbackPort);
        var result = await RunAsync(new TcpOptions
        {
            Target = Target(echo.EndPoint),
            Payload = TcpPayload.Generated(64 * 1024),
            Proxy = new FaultProxyOptions { BandwidthBytesPerSecond = 256 * 1024 },
        }, workers: 1, perWorker: 2);

        Assert.Equal(2, result.Counts.Ok);
        // 64 KiB each way at 256 KiB/s: at least about 250 ms per direction once the first chunk has gone.
        Assert.True(result.Latency.P50Micros >= 150_000, $"p50 {result.Latency.P50Micros} us is faster than the limit allows");
    }

    [Theory]
    [InlineData(60, 0)]
    [InlineData(0, 60)]
    [InlineData(20, 60)]
    public async Task Latency_per_direction_is_measured_on_each_leg(int upMs, int downMs)
    {
        await using var server = new TimestampingServer();
        await using var proxy = FaultProxy.Start(AnyLoopbackPort, server.EndPoint, new FaultProxyOptions
        {
            UpstreamLatency = TimeSpan.FromMilliseconds(upMs),
            DownstreamLatency = TimeSpan.FromMilliseconds(downMs),
        });
        var legs = await server.ExchangeAsync(proxy.EndPoint, exchanges: 5);

        foreach (var (up, down) in legs)
        {
            // The injected delay is a floor; a busy machine only adds to it, so the other leg is checked against the larger one.
            Assert.True(up.TotalMilliseconds >= upMs, $"request leg {up.TotalMilliseconds:F1} ms, below the {upMs} ms injected");
            Assert.True(down.TotalMilliseconds >= downMs, $"reply leg {down.TotalMilliseconds:F1} ms, below the {downMs} ms injected");
        }
        var medianUp = legs.Select(l => l.Up.TotalMilliseconds).Order().ElementAt(legs.Count / 2);
        var medianDown = legs.Select(l => l.Down.TotalMilliseconds).Order().ElementAt(legs.Count / 2);
        if (upMs > downMs) Assert.True(medianUp - medianDown >= (upMs - downMs) / 2.0, $"median legs: up {medianUp:F1} ms, down {medianDown:F1} ms");
        else Assert.True(medianDown - medianUp >= (downMs - upMs) / 2.0, $"median legs: up {medianUp:F1} ms, down {medianDown:F1} ms");
    }

    [Fact]
    public async Task Jitter_on_one_direction_spreads_that_leg_only()
    {
        await using var server = new TimestampingServer();
        await using var proxy = FaultProxy.Start(AnyLoopbackPort, server.EndPoint, new FaultProxyOptions
        {
            UpstreamLatency = TimeSpan.FromMilliseconds(40),
            UpstreamJitter = TimeSpan.FromMilliseconds(30),
            Seed = 42,
        });
        var legs = await server.ExchangeAsync(proxy.EndPoint, exchanges: 12);

        var ups = legs.Select(l => l.Up.TotalMilliseconds).ToList();
        Assert.All(ups, up => Assert.True(up >= 10, $"request leg {up:F1} ms, below latency minus jitter (10 ms)"));
        Assert.True(ups.Max() - ups.Min() >= 10, $"request legs from {ups.Min():F1} to {ups.Max():F1} ms: 12 draws of ±30 ms jitter should spread more");
    }

    /// <summary>
    /// A one-byte echo server that notes when each byte arrives, so a client in the same process can split a round
    /// trip into its request leg and its reply leg on one clock.
    /// </summary>
    private sealed class TimestampingServer : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
        private readonly List<long> _arrivals = [];
        private readonly Task _serve;

        public TimestampingServer()
        {
            _listener.Bind(AnyLoopbackPort);
            _listener.Listen(4);
            EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
            _serve = ServeAsync();
        }

        public IPEndPoint EndPoint { get; }

        private async Task ServeAsync()
        {
            using var connection = await _listener.AcceptAsync(_stop.Token);
            var one = new byte[1];
            while (await connection.ReceiveAsync(one, SocketFlags.None, _stop.Token) == 1)
            {
                lock (_arrivals) _arrivals.Add(Stopwatch.GetTimestamp());
                await connection.SendAsync(one, SocketFlags.None, _stop.Token);
            }
        }

        /// <summary>Sends one byte at a time through <paramref name="via"/>; each exchange's request and reply legs.</summary>
        public async Task<List<(TimeSpan Up, TimeSpan Down)>> ExchangeAsync(IPEndPoint via, int exchanges)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(via, _stop.Token);
            var one = new byte[] { 42 };
            var legs = new List<(TimeSpan, TimeSpan)>();
            for (var i = 0; i < exchanges; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                await client.SendAsync(one, SocketFlags.None, _stop.Token);
                Assert.Equal(1, await client.ReceiveAsync(one, SocketFlags.None, _stop.Token));
                var received = Stopwatch.GetTimestamp();
                long arrived;
                lock (_arrivals) arrived = _arrivals[i];
                legs.Add((Stopwatch.GetElapsedTime(sent, arrived), Stopwatch.GetElapsedTime(arrived, received)));
            }
            return legs;
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Dispose();
            try
            {
                await _serve.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            _stop.Dispose();
        }
    }

    [Fact]
    public void Options_report_every_problem()
    {
        var problems = new FaultProxyOptions
        {
            Latency = TimeSpan.FromMilliseconds(-1), RefuseShare = 2, From = TimeSpan.FromSeconds(20), Until = TimeSpan.FromSeconds(10),
        }.Validate();
        Assert.Contains(problems, p => p.Path == "latency");
        Assert.Contains(problems, p => p.Path == "refuse");
        Assert.Contains(problems, p => p.Path == "until" && p.Message.Contains("empty"));
    }
}
