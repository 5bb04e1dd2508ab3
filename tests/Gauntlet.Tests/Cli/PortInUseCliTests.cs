using System.Net;
using System.Net.Sockets;

namespace Gauntlet.Tests.Cli;

/// <summary>
/// `gauntlet serve echo`, `serve http` and `proxy` on a port another process listens on: an error with exit code 3,
/// never a port shared with the other listener.
/// </summary>
public sealed class PortInUseCliTests : IDisposable
{
    private readonly Socket _holder = PortHolder.Listen();

    private int Port => ((IPEndPoint)_holder.LocalEndPoint!).Port;

    public void Dispose() => _holder.Dispose();

    public static TheoryData<string> Commands() => ["serve echo", "serve http", "proxy"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_port_another_listener_holds_exits_3_and_says_it_is_in_use(string command)
    {
        string[] args = command switch
        {
            "serve echo" => ["serve", "echo", "--port", $"{Port}"],
            "serve http" => ["serve", "http", "--port", $"{Port}"],
            _ => ["proxy", "--listen", $"127.0.0.1:{Port}", "--to", "127.0.0.1:9"],
        };

        // Before the fix the echo server and the proxy shared the port and ran until the timeout.
        var run = await CliProcess.RunAsync(args, TimeSpan.FromSeconds(60), null);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"127.0.0.1:{Port} is already in use", run.Stderr);
        Assert.DoesNotContain("listening on", run.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr);
    }
}

/// <summary>A listener that holds a loopback port the way a second Gauntlet once did: with address and port reuse.</summary>
internal static class PortHolder
{
    public static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // .NET's ReuseAddress sets SO_REUSEPORT too on Unix: the holder invites sharing, so only the newcomer's own
        // refusal to share can make its bind fail.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        return socket;
    }
}
