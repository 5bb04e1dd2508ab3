using System.Net;
using System.Net.Sockets;
using Gauntlet.Faults.Proxy;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// What a TCP operation's set-up started for a run (the built-in echo server, the operation's own fault proxy) and
/// where its operations connect; disposing it closes connections, then the proxy, then the server.
/// </summary>
internal sealed class TcpSession(TcpOperation operation) : IAsyncDisposable, IFaultWindows
{
    public EchoServer? Echo { get; set; }
    public FaultProxy? Proxy { get; set; }

    /// <summary>Where operations connect: the target, or the proxy's or built-in server's address when there is one.</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>The local addresses workers connect from, in turn (empty: the system picks).</summary>
    public IPEndPoint[] Sources { get; private set; } = [];

    /// <summary>
    /// Starts what the target needs, checks the open-files limit for the scenario's concurrency, and probes the
    /// target with one connection. Throws <see cref="TargetUnreachableException"/> with what to do when it cannot.
    /// </summary>
    public static async Task<TcpSession> StartAsync(TcpOperation operation, Scenario scenario, CancellationToken cancellationToken)
    {
        var options = operation.Options;
        var connections = scenario.Load.MaxConcurrency;
        var session = new TcpSession(operation);
        try
        {
            IPEndPoint target;
            var descriptors = (long)connections;
            var why = $"{connections} connections";
            if (options.Target == TcpOptions.BuiltinEcho)
            {
                descriptors += connections;
                why += " and the built-in echo server's side of each";
            }
            if (options.Proxy is not null || scenario.Faults is { UsesProxy: true })
            {
                descriptors += 2L * connections;
                why += ", and the fault proxy's two sockets per connection";
            }
            if (OpenFilesLimit.Ensure(descriptors + OpenFilesLimit.Reserve, why) is { } limitProblem)
                throw new TargetUnreachableException(limitProblem);

            if (options.Target == TcpOptions.BuiltinEcho)
            {
                session.Echo = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
                target = session.Echo.EndPoint;
            }
            else
            {
                TcpAddress.TryParse(options.Target, out var host, out var port, out _);
                var address = await TcpAddress.ResolveAsync(host!, cancellationToken).ConfigureAwait(false)
                    ?? throw new TargetUnreachableException($"cannot resolve '{host}' in target {options.Target}; check the host name");
                target = new IPEndPoint(address, port);
                if (options.Probe) await ProbeAsync(options, target, cancellationToken).ConfigureAwait(false);
            }
            if (options.Proxy is { } proxy)
            {
                session.Proxy = FaultProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), target, proxy);
                target = session.Proxy.EndPoint;
            }
            session.EndPoint = target;
            var sources = options.SourceAddresses ?? SourceAddresses.Automatic(target.Address, connections, SourceAddresses.EphemeralPorts());
            session.Sources = [.. sources.Select(a => new IPEndPoint(a, 0))];
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ProbeAsync(TcpOptions options, IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new TargetUnreachableException($"cannot connect to {options.Target} ({target}): {TcpErrorKinds.Describe(e.SocketErrorCode)}; start the server there, or check the address (target: {TcpOptions.BuiltinEcho} runs Gauntlet's own echo server)", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TargetUnreachableException($"cannot connect to {options.Target} ({target}): no answer within {Format.Duration(options.ConnectTimeout)}; check that the server runs and that no firewall drops the connection");
        }
        socket.Shutdown(SocketShutdown.Both);
    }

    public void ScenarioStarted(TimeProvider time) => Proxy?.ScenarioStarted(time);

    public IReadOnlyList<TimelineWindow> WindowsUntil(TimeSpan elapsed) => Proxy?.WindowsUntil(elapsed) ?? [];

    public async ValueTask DisposeAsync()
    {
        operation.CloseAll();
        if (Proxy is not null) await Proxy.DisposeAsync().ConfigureAwait(false);
        if (Echo is not null) await Echo.DisposeAsync().ConfigureAwait(false);
    }
}
