using System.Net;
using System.Net.Sockets;
using Gauntlet.Faults.Proxy;
using Gauntlet.Scenarios;
using Gauntlet.Servers;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.Tcp;
using Gauntlet.Tests.Cli;

namespace Gauntlet.Tests.Sockets;

/// <summary>Every server and proxy Gauntlet starts refuses a port another socket listens on, with one message.</summary>
public sealed class ListeningSocketTests : IDisposable
{
    private readonly Socket _holder = PortHolder.Listen();

    private IPEndPoint Held => (IPEndPoint)_holder.LocalEndPoint!;

    public void Dispose() => _holder.Dispose();

    [Fact]
    public void The_echo_server_refuses_a_held_port()
    {
        var e = Assert.Throws<SocketException>(() => EchoServer.Start(Held));

        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
        Assert.Equal($"127.0.0.1:{Held.Port} is already in use", e.Message);
    }

    [Fact]
    public void The_fault_proxy_refuses_a_held_port()
    {
        var e = Assert.Throws<SocketException>(() => FaultProxy.Start(Held, new IPEndPoint(IPAddress.Loopback, 9), new FaultProxyOptions()));

        Assert.Equal($"127.0.0.1:{Held.Port} is already in use", e.Message);
    }

    [Fact]
    public async Task The_builtin_http_server_refuses_a_held_port()
    {
        var e = await Assert.ThrowsAsync<IOException>(() => BuiltinHttpServer.StartAsync(Held));

        Assert.Equal($"127.0.0.1:{Held.Port} is already in use", e.Message);
    }

    [Fact]
    public async Task A_free_port_is_bound_again_at_once_after_the_server_that_had_connections_stops()
    {
        // SO_REUSEADDR is kept: a restarted server must not wait out its old connections' TIME_WAIT.
        IPEndPoint endpoint;
        await using (var first = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            endpoint = first.EndPoint;
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(endpoint);
            await client.SendAsync(new byte[] { 1 });
            var buffer = new byte[1];
            Assert.Equal(1, await client.ReceiveAsync(buffer));
        }
        await using var second = EchoServer.Start(endpoint);

        Assert.Equal(endpoint, second.EndPoint);
    }
}
