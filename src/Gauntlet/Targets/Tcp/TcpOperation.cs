using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Gauntlet.Scenarios;
using Gauntlet.Sockets;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// One TCP exchange per operation: connect (once per worker, or every time), send the payload, read the reply and
/// check it. Every failure is classified (<see cref="TcpErrorKinds"/>); every socket is closed, at the latest when
/// the scenario ends. Written for speed: each worker reuses its socket, buffers and timer, and the async state
/// machine is pooled, so a persistent-connection operation allocates nothing.
/// </summary>
/// <remarks>
/// A composition of its parts, each in its own file: <see cref="TcpSession"/> (what the set-up starts, where to
/// connect), <see cref="TcpWorker"/> (each worker's socket, buffers and timer), <see cref="TcpReplyReader"/> (reading
/// and judging the reply) and <see cref="TcpErrorKinds"/> (what went wrong, in a closed set).
/// </remarks>
public sealed class TcpOperation : Operation, IRedirectableTarget
{
    private TcpSession? _session;

    private readonly TcpOptions _options;
    private readonly ConcurrentQueue<TcpWorker> _workers = new();
    private readonly long _connectTimeoutMs;
    private readonly long _readTimeoutMs;
    private IPEndPoint? _endpoint;
    private IPEndPoint[] _sources = [];

    /// <summary>Creates the operation; throws <see cref="ScenarioValidationException"/> on invalid settings.</summary>
    public TcpOperation(TcpOptions options)
    {
        var problems = options.Validate();
        if (!SocketReactor.IsSupported) problems = [.. problems, new Problem("tcp", "the tcp operation's sockets need Linux (epoll)")];
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        _options = options;
        _connectTimeoutMs = (long)options.ConnectTimeout.TotalMilliseconds;
        _readTimeoutMs = (long)options.ReadTimeout.TotalMilliseconds;
        // An address literal needs no set-up; a host name, the built-in server and the proxy are resolved in SetUpAsync.
        if (options.Proxy is null && TcpAddress.TryParse(options.Target, out var host, out var port, out _) && IPAddress.TryParse(host, out var ip))
            _endpoint = new IPEndPoint(ip, port);
        if (options.SourceAddresses is { } sources) _sources = [.. sources.Select(a => new IPEndPoint(a, 0))];
    }

    /// <summary>The settings.</summary>
    public TcpOptions Options => _options;

    /// <summary>Always: a payload is written and sent without blocking, and the reply awaited on the socket reactor.</summary>
    public override bool StartsWithoutBlocking => true;

    /// <inheritdoc />
    public override string Name => "tcp";

    internal override bool HasOutput => true;

    /// <summary>Always: every exchange connects to the one target address.</summary>
    public override IRedirectableTarget? Redirection => this;

    /// <summary>The windows of the operation's own proxy (<see cref="TcpOptions.Proxy"/>), once set up.</summary>
    public override IFaultWindows? FaultWindows => _session;

    /// <summary>Where operations connect once set up (the proxy's or built-in server's address when there is one).</summary>
    public IPEndPoint? EndPoint => _endpoint;

    IPEndPoint? IRedirectableTarget.TargetEndPoint => _endpoint;

    /// <summary>Sends the following operations to <paramref name="endpoint"/> (a scenario's fault proxy); workers reconnect there.</summary>
    void IRedirectableTarget.Redirect(IPEndPoint endpoint)
    {
        CloseAll();
        _endpoint = endpoint;
    }

    /// <summary>A scenario that runs this operation; the same as <c>Scenario.Create(name, operation)</c>.</summary>
    public Scenario ToScenario(string name) => new(name, this);

    /// <summary>
    /// Starts what the target needs, checks the open-files limit for the scenario's concurrency, and probes the
    /// target with one connection. Throws <see cref="TargetUnreachableException"/> with what to do when it cannot.
    /// </summary>
    public override async ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        await TearDownAsync().ConfigureAwait(false);
        var session = await TcpSession.StartAsync(this, scenario, cancellationToken).ConfigureAwait(false);
        _endpoint = session.EndPoint;
        _sources = session.Sources;
        _session = session;
    }

    /// <summary>Closes the connections, then the operation's proxy, then the built-in echo server.</summary>
    public override async ValueTask TearDownAsync()
    {
        var session = _session;
        _session = null;
        if (session is not null) await session.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the workers' connections: the load has ended.</summary>
    public override void LoadEnded() => CloseAll();

    /// <summary>Runs one exchange.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<Outcome> RunAsync(OperationContext context)
    {
        var worker = context.WorkerState as TcpWorker ?? CreateWorker(context);
        var endpoint = _endpoint ?? throw new InvalidOperationException(
            $"the TCP target {_options.Target} is not set up; run it in a scenario, or call SetUpAsync first");
        var length = _options.Payload.Write(worker.Send, context.WorkerId, context.Iteration, context.OperationId);
        var phase = Phase.Connect;
        var keep = false;
        var engineToken = context.CancellationToken;
        // Linking per operation costs no allocation: registration nodes are pooled per token source.
        var link = engineToken.UnsafeRegister(static state => ((TcpWorker)state!).Timer.Abort(), worker);
        try
        {
            if (worker.Socket is null)
            {
                worker.Timer.Arm(_connectTimeoutMs);
                worker.Socket = await ReactorSocket.ConnectAsync(endpoint, worker.Timer.Token, worker.Bind).ConfigureAwait(false);
            }
            phase = Phase.Send;
            worker.Timer.Arm(_readTimeoutMs);
            await worker.Socket.SendAsync(worker.Send.AsMemory(0, length), worker.Timer.Token).ConfigureAwait(false);
            phase = Phase.Read;
            var outcome = await TcpReplyReader.ReadAsync(worker, _options.Expect, length).ConfigureAwait(false);
            keep = outcome.IsOk && _options.Connect == TcpConnectMode.PerWorker;
            return outcome;
        }
        catch (OperationCanceledException) when (!engineToken.IsCancellationRequested)
        {
            return phase == Phase.Connect
                ? TcpErrorKinds.Failure(TcpErrorKinds.ConnectTimeout, $"no connection to {endpoint} within {Format.Duration(_options.ConnectTimeout)}")
                : Outcome.Failed(TcpErrorKinds.ReadTimeout, $"no complete reply from {endpoint} within {Format.Duration(_options.ReadTimeout)} ({worker.Received} B received)");
        }
        catch (SocketException e)
        {
            var kind = TcpErrorKinds.Of(e.SocketErrorCode);
            if (kind == TcpErrorKinds.ConnectTimeout && phase != Phase.Connect) kind = TcpErrorKinds.ReadTimeout;
            return TcpErrorKinds.Failure(kind, $"{TcpErrorKinds.Describe(e.SocketErrorCode)} while {PhaseName(phase)} {endpoint}");
        }
        catch (ObjectDisposedException) when (engineToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(engineToken);
        }
        finally
        {
            // Unlinked before the timer is reset: Dispose waits out a running Abort, so a cut-off that races the end
            // of this operation cannot leave the next one's timer already cancelled.
            link.Dispose();
            worker.Timer.Disarm();
            // What arrived, even of a reply cut off or judged wrong: a history label reads its value from it.
            if (context.KeepsOutput) context.Output = phase == Phase.Read ? Encoding.UTF8.GetString(worker.Receive, 0, worker.Received) : null;
            if (!keep) worker.Close();
        }
    }

    private static string PhaseName(Phase phase) => phase switch
    {
        Phase.Connect => "connecting to",
        Phase.Send => "sending to",
        Phase.Read => "reading from",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    private TcpWorker CreateWorker(OperationContext context)
    {
        var payloadLength = _options.Payload.MaxLength;
        var worker = new TcpWorker(new byte[payloadLength], new byte[_options.Expect.BufferLength(payloadLength)],
            _sources.Length == 0 ? null : _sources[context.WorkerId % _sources.Length]);
        context.WorkerState = worker;
        _workers.Enqueue(worker);
        return worker;
    }

    /// <summary>Closes every worker's connection; what a scenario's teardown calls.</summary>
    internal void CloseAll()
    {
        while (_workers.TryDequeue(out var worker)) worker.Close();
    }

    private enum Phase { Connect, Send, Read }
}
