namespace GuideSamples;

// <sample:own-operation>
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Tcp;

/// <summary>
/// Sends 16 bytes per operation on one connection per worker and checks that they come back. Its set-up starts the
/// server (here Gauntlet's echo server, standing in for yours), its tear-down stops it, and it declares Redirection:
/// it connects to one address that can be changed, so a scenario's faults can put a proxy in front of it.
/// </summary>
public sealed class PingOperation : Operation, IRedirectableTarget
{
    private readonly ConcurrentBag<TcpClient> _open = [];
    private EchoServer? _server;
    private IPEndPoint? _serverAddress;   // where the server listens
    private IPEndPoint? _connectTo;       // where operations connect: the server, or a fault proxy in front of it

    public override string Name => "ping";

    public override IRedirectableTarget? Redirection => this;

    IPEndPoint? IRedirectableTarget.TargetEndPoint => _serverAddress;

    void IRedirectableTarget.Redirect(IPEndPoint endpoint) => _connectTo = endpoint;

    public override ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        _server = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        _serverAddress = _connectTo = _server.EndPoint;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<Outcome> RunAsync(OperationContext ctx)
    {
        if (ctx.WorkerState is not TcpClient client)
        {
            client = new TcpClient { NoDelay = true };
            _open.Add(client);
            await client.ConnectAsync(_connectTo!, ctx.CancellationToken);   // a refusal throws: Failed, SocketException
            ctx.WorkerState = client;
        }
        var sent = new byte[16];
        BitConverter.TryWriteBytes(sent, ctx.OperationId);
        var stream = client.GetStream();
        await stream.WriteAsync(sent, ctx.CancellationToken);
        var received = new byte[16];
        try
        {
            await stream.ReadExactlyAsync(received, ctx.CancellationToken);
        }
        catch (EndOfStreamException)
        {
            ctx.WorkerState = null;   // the next operation of this worker connects again
            return Outcome.Failed("closed", "the server closed the connection before replying");
        }
        return received.AsSpan().SequenceEqual(sent) ? Outcome.Ok : Outcome.Failed("wrong_reply", $"operation {ctx.OperationId}");
    }

    /// <summary>Every operation has ended: close the connections (one still cut off in flight then fails fast).</summary>
    public override void LoadEnded()
    {
        while (_open.TryTake(out var client)) client.Dispose();
    }

    public override async ValueTask TearDownAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _server = null;
    }
}
// </sample:own-operation>
