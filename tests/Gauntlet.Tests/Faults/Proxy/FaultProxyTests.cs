using System.Net;
using Gauntlet.Faults.Proxy;
using Gauntlet.Targets.Tcp;
using Gauntlet.Tests.Targets.Tcp;
using static Gauntlet.Tests.Targets.Tcp.TcpTestKit;

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
        var addedMs = (proxied.Latency.P50 - direct.Latency.P50) / 1000;
        // The delay is a floor the proxy guarantees; above it, timers fire up to a few ms late on a busy machine.
        Assert.InRange(addedMs, 49, 130); // at least what was injected, and within 80 ms of it
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
        Assert.True(result.Latency.P50 < 150_000, $"p50 {result.Latency.P50} us: the window had not opened, so no latency was due");
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
        Assert.True(result.Latency.P50 >= 150_000, $"p50 {result.Latency.P50} us is faster than the limit allows");
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
