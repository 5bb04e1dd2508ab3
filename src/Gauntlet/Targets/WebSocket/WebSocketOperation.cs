using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Http;

namespace Gauntlet.Targets.WebSocket;

/// <summary>
/// One WebSocket message per operation: connect (once per worker, or every time), send a text or binary message,
/// read the reply and judge it (echo, exact text, contains, regex, a JSON path's value, or none). Counts connections
/// and their connect time, messages sent, received and lost, and bytes (<see cref="WebSocketFigures"/>); every failure
/// is classified (<see cref="WebSocketErrorKinds"/>), and every connection is closed, at the latest when the load ends.
/// </summary>
/// <remarks>
/// Written for speed on the connection a worker keeps: the message is rendered into the worker's buffer, sent and
/// received through the <see cref="Memory{T}"/> overloads of <see cref="ClientWebSocket"/> (value tasks, pooled state
/// machines), and the timer is reset rather than replaced, so a message allocates nothing of its own. The parts:
/// <see cref="WebSocketTarget"/> (built-in server, probe, where to connect), <see cref="WebSocketWorker"/> (each
/// worker's connection and buffers), <see cref="WebSocketExpectation"/> (judging the reply) and
/// <see cref="WebSocketStatistics"/> (the figures).
/// </remarks>
public sealed class WebSocketOperation : Operation, IRedirectableTarget
{
    private readonly WebSocketOptions _options;
    private readonly WebSocketTarget _target;
    private readonly WebSocketStatistics _statistics = new();
    private readonly List<WebSocketWorker> _workers = [];
    private readonly Lock _workersLock = new();
    private readonly long _connectTimeoutMs;
    private readonly long _readTimeoutMs;
    private readonly Uri? _constantUri;
    private readonly WebSocketMessageType _type;
    private readonly bool _keepsConnection;
    private long _startTicks;
    private long _endTicks;

    /// <summary>Creates the operation; throws <see cref="ScenarioValidationException"/> when the options are invalid.</summary>
    public WebSocketOperation(WebSocketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        _options = options;
        _connectTimeoutMs = (long)options.ConnectTimeout.TotalMilliseconds;
        _readTimeoutMs = (long)options.ReadTimeout.TotalMilliseconds;
        _constantUri = options.Url.IsConstant ? WebSocketTarget.Resolve(options.Url.Text) : null;
        _type = options.Send.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        _keepsConnection = options.Connect == WebSocketConnectMode.PerWorker;
        _target = new WebSocketTarget(options);
    }

    /// <summary>An operation that sends <paramref name="text"/> to <paramref name="url"/> (<c>ws://...</c>, or <c>builtin:http/ws</c>) on a connection per worker and expects it back.</summary>
    public static WebSocketOperation Echo(string url, string text) =>
        new(new WebSocketOptions { Url = Template.Constant(url), Send = WebSocketMessage.FromText(text) });

    /// <summary>The settings.</summary>
    public WebSocketOptions Options => _options;

    /// <inheritdoc />
    public override string Name => "websocket";

    /// <summary>The reply, as text, is the operation's output: a history label can read its value from it.</summary>
    internal override bool HasOutput => _options.Expect.ReadsReply;

    /// <summary>Every connection goes to the URL's one host and port (or the built-in server), so a fault proxy can stand in front of it; null when the host has placeholders.</summary>
    public override IRedirectableTarget? Redirection => HttpOperation.SplitUrl(_options.Url.Text).Authority.Contains('{', StringComparison.Ordinal) ? null : this;

    IPEndPoint? IRedirectableTarget.TargetEndPoint => _target.TargetEndPoint;

    /// <summary>Connects to <paramref name="endpoint"/> from now on (a scenario's fault proxy), with the same URL and Host header; workers reconnect.</summary>
    void IRedirectableTarget.Redirect(IPEndPoint endpoint)
    {
        CloseAll();
        _target.ConnectTo = endpoint;
    }

    /// <summary>A scenario that runs this operation; the same as <c>Scenario.Create(name, operation)</c>.</summary>
    public Scenario ToScenario(string name) => new(name, this);

    /// <summary>Starts the built-in server or probes the target; forgets the figures and feeder positions of an earlier run.</summary>
    public override async ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        CloseAll();
        lock (_workersLock) _workers.Clear();
        _statistics.Reset();
        foreach (var feeder in _options.Feeders) feeder.Rewind(scenario.Segment);
        _startTicks = Clock.Now;
        _endTicks = 0;
        await _target.SetUpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the built-in server the set-up started, if any.</summary>
    public override ValueTask TearDownAsync() => _target.StopServerAsync();

    /// <summary>Closes the workers' connections: the load has ended.</summary>
    public override void LoadEnded()
    {
        _endTicks = Clock.Now;
        CloseAll();
    }

    /// <summary>After a warm-up: the figures count from now on; connections stay open.</summary>
    public override void ResetFigures()
    {
        _statistics.Reset();
        _startTicks = Clock.Now;
        _endTicks = 0;
    }

    /// <inheritdoc />
    public override ScenarioResult AddFigures(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var seconds = result.DurationSeconds > 0 ? result.DurationSeconds : Clock.ToSeconds((_endTicks == 0 ? Clock.Now : _endTicks) - _startTicks);
        return result with { WebSocket = _statistics.Figures(seconds) };
    }

    /// <summary>Sends one message and judges its reply.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<Outcome> RunAsync(OperationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var worker = context.WorkerState as WebSocketWorker ?? Register(context);
        var feeders = _options.Feeders;
        for (var f = 0; f < feeders.Count; f++)
        {
            worker.Rows[f] = feeders[f].Next();
            if (worker.Rows[f] < 0)
                return Outcome.Failed(Feeder.ExhaustedKind, $"feeder '{feeders[f].Name}' has handed out all {feeders[f].Count} rows once (order: unique)");
        }
        var values = new OperationValues(context.Iteration, context.WorkerId, context.OperationId);
        var message = _options.Send.Render(ref worker.Send, feeders, worker.Rows, values);
        var expect = _options.Expect;
        var phase = Phase.Connect;
        var keep = false;
        var sent = false;
        var replied = false;
        worker.Received = 0;
        var engineToken = context.CancellationToken;
        // Linking per operation costs no allocation: registration nodes are pooled per token source.
        var link = engineToken.UnsafeRegister(static state => ((WebSocketWorker)state!).Timer.Abort(), worker);
        try
        {
            var socket = worker.Socket;
            if (socket is null)
            {
                worker.Timer.Arm(_connectTimeoutMs);
                var (opened, failure) = await ConnectAsync(worker, context.WorkerId, values).ConfigureAwait(false);
                if (opened is null) return failure;
                socket = worker.Socket = opened;
            }
            phase = Phase.Send;
            worker.Timer.Arm(_readTimeoutMs);
            await socket.SendAsync(message, _type, endOfMessage: true, worker.Timer.Token).ConfigureAwait(false);
            sent = true;
            _statistics.MessageSent(context.WorkerId, message.Length);
            var outcome = Outcome.Ok;
            if (expect.ReadsReply)
            {
                phase = Phase.Read;
                var reply = await ReceiveAsync(socket, worker).ConfigureAwait(false);
                if (reply.MessageType == WebSocketMessageType.Close)
                {
                    _statistics.ServerClosed(context.WorkerId);
                    var code = (int?)socket.CloseStatus ?? 1005;
                    return Outcome.Failed(WebSocketErrorKinds.Close(code),
                        $"the server closed the connection (code {code}{(string.IsNullOrEmpty(socket.CloseStatusDescription) ? "" : $", \"{socket.CloseStatusDescription}\"")}) before replying");
                }
                if (!reply.EndOfMessage)
                    return Outcome.Failed(WebSocketErrorKinds.WrongReply, $"the reply is longer than maxReply ({_options.MaxReply} B)");
                replied = true;
                _statistics.ReplyReceived(context.WorkerId, worker.Received);
                var expected = expect.Kind == WebSocketReplyKind.Exact ? RenderExpected(worker, values) : default;
                if (expect.Judge(worker.Receive.AsSpan(0, worker.Received), reply.MessageType == WebSocketMessageType.Binary,
                        message.Span, _options.Send.IsBinary, expected) is { } wrong)
                    outcome = Outcome.Failed(WebSocketErrorKinds.WrongReply, wrong);
            }
            if (outcome.IsOk && !_keepsConnection)
            {
                phase = Phase.Close;
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, worker.Timer.Token).ConfigureAwait(false);
            }
            keep = outcome.IsOk && _keepsConnection;
            return outcome;
        }
        catch (OperationCanceledException) when (!engineToken.IsCancellationRequested)
        {
            return phase == Phase.Connect
                ? Outcome.Unreachable(WebSocketErrorKinds.ConnectTimeout, $"no WebSocket connection to {ShownUrl} within {Format.Duration(_options.ConnectTimeout)}")
                : Outcome.Failed(WebSocketErrorKinds.ReadTimeout, phase == Phase.Read
                    ? $"no complete reply within {Format.Duration(_options.ReadTimeout)} ({worker.Received} B received)"
                    : $"the message could not be {(phase == Phase.Send ? "sent" : "closed")} within {Format.Duration(_options.ReadTimeout)}");
        }
        catch (Exception) when (engineToken.IsCancellationRequested)
        {
            // Cut off (the operation's timeout, or the end of the run): the engine counts it.
            throw new OperationCanceledException(engineToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // Open, then gone without a close frame: the server dropped or reset the connection.
            _statistics.ServerClosed(context.WorkerId);
            return Outcome.Failed(WebSocketErrorKinds.Abnormal,
                $"the connection ended without a close frame while {(phase == Phase.Send ? "sending" : phase == Phase.Read ? "waiting for the reply" : "closing")} ({e.Message})");
        }
        finally
        {
            if (sent && !replied && expect.ReadsReply) _statistics.MessageLost(context.WorkerId);
            // Unlinked before the timer is reset: Dispose waits out a running Abort, so a cut-off that races the end
            // of this operation cannot leave the next one's timer already cancelled.
            link.Dispose();
            worker.Timer.Disarm();
            // What arrived, even of a reply judged wrong: a history label reads its value from it.
            if (context.KeepsOutput) context.Output = worker.Received == 0 ? null : WebSocketExpectation.AsText(worker.Receive.AsSpan(0, worker.Received));
            if (!keep) worker.Close();
        }
    }

    /// <summary>Reads one whole message into the worker's buffer, growing it up to <see cref="WebSocketOptions.MaxReply"/>; a close frame ends it early.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(ClientWebSocket socket, WebSocketWorker worker)
    {
        while (true)
        {
            if (worker.Received == worker.Receive.Length)
            {
                if (worker.Receive.Length >= _options.MaxReply) return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Binary, endOfMessage: false);
                Array.Resize(ref worker.Receive, (int)Math.Min(_options.MaxReply, worker.Receive.Length * 2L));
            }
            var result = await socket.ReceiveAsync(worker.Receive.AsMemory(worker.Received), worker.Timer.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return result;
            worker.Received += result.Count;
            if (result.EndOfMessage) return result;
        }
    }

    /// <summary>Opens a connection: the socket, or null with the failure (refused, the upgrade answered with another status, ...).</summary>
    private async ValueTask<(ClientWebSocket? Socket, Outcome Failure)> ConnectAsync(WebSocketWorker worker, int workerId, OperationValues values)
    {
        var socket = new ClientWebSocket();
        var feeders = _options.Feeders;
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in _options.Headers) socket.Options.SetRequestHeader(name, value.Render(feeders, worker.Rows, values));
        foreach (var protocol in _options.Subprotocols) socket.Options.AddSubProtocol(protocol);
        var uri = _constantUri ?? WebSocketTarget.Resolve(_options.Url.Render(feeders, worker.Rows, values));
        var start = Clock.Now;
        try
        {
            await socket.ConnectAsync(uri, _target.Invoker, worker.Timer.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            if (worker.Timer.Token.IsCancellationRequested) throw new OperationCanceledException(worker.Timer.Token);
            return (null, WebSocketErrorKinds.ConnectFailure(e, status, uri.ToString()));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _statistics.ConnectionOpened(workerId, Clock.ToMicros(Clock.Now - start));
        return (socket, Outcome.Ok);
    }

    private ReadOnlySpan<byte> RenderExpected(WebSocketWorker worker, in OperationValues values)
    {
        var text = _options.Expect.Text!;
        var need = text.MaxUtf8Length(_options.Feeders, worker.Rows);
        if (worker.Expected.Length < need) worker.Expected = new byte[Math.Max(need, worker.Expected.Length * 2)];
        return worker.Expected.AsSpan(0, text.RenderUtf8(_options.Feeders, worker.Rows, values, worker.Expected));
    }

    private string ShownUrl => _constantUri?.ToString() ?? _options.Url.Text;

    private WebSocketWorker Register(OperationContext context)
    {
        var expectsEcho = _options.Expect.Kind == WebSocketReplyKind.Echo;
        var worker = new WebSocketWorker(_options.Feeders.Count, expectsEcho && _options.Send.IsBinary ? Math.Max(1, _options.Send.Bytes.Length) : 4096);
        lock (_workersLock) _workers.Add(worker);
        context.WorkerState = worker;
        return worker;
    }

    /// <summary>Drops every worker's connection; a worker that runs again reconnects.</summary>
    private void CloseAll()
    {
        WebSocketWorker[] workers;
        lock (_workersLock) workers = [.. _workers];
        foreach (var worker in workers) worker.Close();
    }

    private enum Phase { Connect, Send, Read, Close }
}
