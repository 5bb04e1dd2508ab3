using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Gauntlet.Faults.Proxy;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Sockets;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// One TCP exchange per operation: connect (once per worker, or every time), send the payload, read the reply and
/// check it. Every failure is classified (<see cref="TcpErrorKinds"/>); every socket is closed, at the latest when
/// the scenario ends. Written for speed: each worker reuses its socket, buffers and timer, and the async state
/// machine is pooled, so a persistent-connection operation allocates nothing.
/// </summary>
public sealed class TcpOperation : Operation, IRedirectableTarget
{
    private Session? _session;

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
        var connections = scenario.Load.MaxConcurrency;
        var session = new Session(this);
        try
        {
            IPEndPoint target;
            var descriptors = (long)connections;
            var why = $"{connections} connections";
            if (_options.Target == TcpOptions.BuiltinEcho)
            {
                descriptors += connections;
                why += " and the built-in echo server's side of each";
            }
            if (_options.Proxy is not null || scenario.Faults is { UsesProxy: true })
            {
                descriptors += 2L * connections;
                why += ", and the fault proxy's two sockets per connection";
            }
            if (OpenFilesLimit.Ensure(descriptors + OpenFilesLimit.Reserve, why) is { } limitProblem)
                throw new TargetUnreachableException(limitProblem);

            if (_options.Target == TcpOptions.BuiltinEcho)
            {
                session.Echo = EchoServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
                target = session.Echo.EndPoint;
            }
            else
            {
                TcpAddress.TryParse(_options.Target, out var host, out var port, out _);
                var address = await TcpAddress.ResolveAsync(host!, cancellationToken).ConfigureAwait(false)
                    ?? throw new TargetUnreachableException($"cannot resolve '{host}' in target {_options.Target}; check the host name");
                target = new IPEndPoint(address, port);
                if (_options.Probe) await ProbeAsync(target, cancellationToken).ConfigureAwait(false);
            }
            if (_options.Proxy is { } proxy)
            {
                session.Proxy = FaultProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), target, proxy);
                target = session.Proxy.EndPoint;
            }
            _endpoint = target;
            var sources = _options.SourceAddresses ?? SourceAddresses.Automatic(target.Address, connections, SourceAddresses.EphemeralPorts());
            _sources = [.. sources.Select(a => new IPEndPoint(a, 0))];
            _session = session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
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

    private async Task ProbeAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new TargetUnreachableException($"cannot connect to {_options.Target} ({target}): {Describe(e.SocketErrorCode)}; start the server there, or check the address (target: {TcpOptions.BuiltinEcho} runs Gauntlet's own echo server)", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TargetUnreachableException($"cannot connect to {_options.Target} ({target}): no answer within {Format.Duration(_options.ConnectTimeout)}; check that the server runs and that no firewall drops the connection");
        }
        socket.Shutdown(SocketShutdown.Both);
    }

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
        var link = engineToken.UnsafeRegister(static state => ((TcpWorker)state!).Abort(), worker);
        try
        {
            if (worker.Socket is null)
            {
                worker.Arm(_connectTimeoutMs);
                worker.Socket = await ReactorSocket.ConnectAsync(endpoint, worker.Token, worker.Bind).ConfigureAwait(false);
            }
            phase = Phase.Send;
            worker.Arm(_readTimeoutMs);
            await worker.Socket.SendAsync(worker.Send.AsMemory(0, length), worker.Token).ConfigureAwait(false);
            phase = Phase.Read;
            var outcome = await ReadReplyAsync(worker, length).ConfigureAwait(false);
            keep = outcome.IsOk && _options.Connect == TcpConnectMode.PerWorker;
            return outcome;
        }
        catch (OperationCanceledException) when (!engineToken.IsCancellationRequested)
        {
            return phase == Phase.Connect
                ? Outcome.Failed(TcpErrorKinds.ConnectTimeout, $"no connection to {endpoint} within {Format.Duration(_options.ConnectTimeout)}")
                : Outcome.Failed(TcpErrorKinds.ReadTimeout, $"no complete reply from {endpoint} within {Format.Duration(_options.ReadTimeout)} ({worker.Received} B received)");
        }
        catch (SocketException e)
        {
            var kind = TcpErrorKinds.Of(e.SocketErrorCode);
            if (kind == TcpErrorKinds.ConnectTimeout && phase != Phase.Connect) kind = TcpErrorKinds.ReadTimeout;
            return Outcome.Failed(kind, $"{Describe(e.SocketErrorCode)} while {PhaseName(phase)} {endpoint}");
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
            worker.Disarm();
            if (!keep) worker.Close();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome> ReadReplyAsync(TcpWorker worker, int sent)
    {
        var expect = _options.Expect;
        var socket = worker.Socket!;
        var buffer = worker.Receive;
        worker.Received = 0;
        switch (expect.Kind)
        {
            case TcpReplyKind.None:
                return Outcome.Ok;
            case TcpReplyKind.Echo:
            case TcpReplyKind.Fixed:
            case TcpReplyKind.Bytes:
            {
                var need = expect.Kind == TcpReplyKind.Echo ? sent : expect.Count;
                while (worker.Received < need)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(worker.Received, need - worker.Received), worker.Token).ConfigureAwait(false);
                    if (n == 0) return ClosedBeforeEnd(worker.Received, need);
                    worker.Received += n;
                }
                if (expect.Kind == TcpReplyKind.Bytes) return Outcome.Ok;
                var wanted = expect.Kind == TcpReplyKind.Echo ? worker.Send.AsSpan(0, sent) : expect.Bytes;
                return buffer.AsSpan(0, need).SequenceEqual(wanted) ? Outcome.Ok : WrongReply(wanted, buffer.AsSpan(0, need));
            }
            case TcpReplyKind.Delimiter:
            case TcpReplyKind.Regex:
            {
                var delimiter = expect.Bytes;
                while (true)
                {
                    if (worker.Received == buffer.Length)
                        return Outcome.Failed(TcpErrorKinds.WrongReply, $"no delimiter {Printable(delimiter)} within {buffer.Length} B; raise maxReply if replies are that long");
                    var n = await socket.ReceiveAsync(buffer.AsMemory(worker.Received), worker.Token).ConfigureAwait(false);
                    if (n == 0) return worker.Received == 0
                        ? ClosedBeforeEnd(0, 1)
                        : Outcome.Failed(TcpErrorKinds.ShortRead, $"the connection closed after {worker.Received} B, before the delimiter {Printable(delimiter)}");
                    var searchFrom = Math.Max(0, worker.Received - delimiter.Length + 1);
                    worker.Received += n;
                    var at = buffer.AsSpan(searchFrom, worker.Received - searchFrom).IndexOf(delimiter);
                    if (at < 0) continue;
                    var end = searchFrom + at + delimiter.Length;
                    if (end != worker.Received)
                        return Outcome.Failed(TcpErrorKinds.WrongReply, $"{worker.Received - end} unexpected bytes after the delimiter {Printable(delimiter)}");
                    if (expect.Kind == TcpReplyKind.Delimiter) return Outcome.Ok;
                    var chars = worker.Chars ??= new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
                    var count = Encoding.UTF8.GetChars(buffer.AsSpan(0, end), chars);
                    return expect.Pattern!.IsMatch(chars.AsSpan(0, count))
                        ? Outcome.Ok
                        : Outcome.Failed(TcpErrorKinds.WrongReply, $"reply {Printable(buffer.AsSpan(0, end))} does not match /{expect.Pattern}/");
                }
            }
            default:
                throw new InvalidOperationException($"unknown reply kind {expect.Kind}");
        }
    }

    private static Outcome ClosedBeforeEnd(int received, int expected) => received == 0
        ? Outcome.Failed(TcpErrorKinds.ClosedEarly, "the connection closed before any byte of the reply")
        : Outcome.Failed(TcpErrorKinds.ShortRead, $"the connection closed after {received} of {expected} B of the reply");

    private static Outcome WrongReply(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var at = expected.CommonPrefixLength(actual);
        return Outcome.Failed(TcpErrorKinds.WrongReply,
            $"reply differs at byte {at}: expected {Printable(Slice(expected, at))}, got {Printable(Slice(actual, at))}");
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> bytes, int at) =>
        bytes[Math.Min(at, bytes.Length)..Math.Min(bytes.Length, at + 24)];

    /// <summary>Bytes as a quoted, escaped string for messages: <c>"+PONG\r\n"</c>.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes[..Math.Min(bytes.Length, 64)])
        {
            text.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'\\' => "\\\\",
                (byte)'"' => "\\\"",
                >= 32 and < 127 => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        if (bytes.Length > 64) text.Append("...");
        return text.Append('"').ToString();
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset by the peer",
        SocketError.TimedOut => "timed out",
        SocketError.AddressNotAvailable or SocketError.AddressAlreadyInUse => "no local port left (ephemeral ports exhausted)",
        SocketError.TooManyOpenSockets => "too many open files",
        _ => "socket error " + error,
    };

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

    /// <summary>What the run's set-up started; disposing it closes connections, then the proxy, then the server.</summary>
    private sealed class Session(TcpOperation operation) : IAsyncDisposable, IFaultWindows
    {
        public EchoServer? Echo { get; set; }
        public FaultProxy? Proxy { get; set; }

        public void ScenarioStarted(TimeProvider time) => Proxy?.ScenarioStarted(time);

        public IReadOnlyList<TimelineWindow> WindowsUntil(TimeSpan elapsed) => Proxy?.WindowsUntil(elapsed) ?? [];

        public async ValueTask DisposeAsync()
        {
            operation.CloseAll();
            if (Proxy is not null) await Proxy.DisposeAsync().ConfigureAwait(false);
            if (Echo is not null) await Echo.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One worker's connection, buffers and timer, reused for every operation it runs.</summary>
    private sealed class TcpWorker(byte[] send, byte[] receive, IPEndPoint? source)
    {
        private CancellationTokenSource _timer = new();
        private readonly Lock _lock = new();

        public ReactorSocket? Socket;
        public readonly byte[] Send = send;
        public readonly byte[] Receive = receive;

        /// <summary>Binds a new socket to the worker's source address, if it has one.</summary>
        public readonly Action<Socket>? Bind = source is null ? null : socket => SourceAddresses.Bind(socket, source);
        public char[]? Chars;
        public int Received;

        public CancellationToken Token => _timer.Token;

        /// <summary>(Re)starts the timer: the next wait ends after <paramref name="milliseconds"/>.</summary>
        public void Arm(long milliseconds) => _timer.CancelAfter(TimeSpan.FromMilliseconds(milliseconds));

        /// <summary>Stops the timer; a fired one cannot be reused, so it is replaced (only after a timeout).</summary>
        public void Disarm()
        {
            if (_timer.TryReset()) return;
            lock (_lock)
            {
                _timer.Dispose();
                _timer = new CancellationTokenSource();
            }
        }

        /// <summary>The engine cut the operation off (its timeout, or the end of the scenario).</summary>
        public void Abort()
        {
            lock (_lock) _timer.Cancel();
        }

        public void Close()
        {
            var socket = Interlocked.Exchange(ref Socket, null);
            socket?.Dispose();
        }
    }
}
