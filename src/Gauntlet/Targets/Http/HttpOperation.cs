using System.Net;
using System.Text;
using System.Runtime.CompilerServices;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Sockets;

namespace Gauntlet.Targets.Http;

/// <summary>
/// An HTTP operation: one request kind or a weighted mix, sent on raw keep-alive sockets (HTTP/1.1 over http://)
/// or through HttpClient (HTTP/2, TLS, header checks), judged by status code and checks, and counted by status
/// code, bytes and kind. Give it to a scenario (<c>Scenario.Create("api", new HttpOperation(options))</c>): its
/// set-up starts the built-in server or probes the target, its connections close when the load ends, and its figures
/// are added to the result.
/// </summary>
/// <remarks>
/// A composition of its parts, each in its own file: <see cref="HttpTarget"/> (the built-in server, the probe, where
/// to connect), <see cref="HttpRequestMix"/> (which <see cref="PreparedRequest"/> goes next), <see cref="RawHttpEngine"/>
/// or <see cref="ClientHttpEngine"/> (sending), <see cref="HttpResponseJudge"/> (status and checks),
/// <see cref="HttpWorker"/> (each worker's connection and buffers) and <see cref="HttpStatistics"/> (the figures).
/// </remarks>
public sealed class HttpOperation : Operation, IRedirectableTarget
{
    private readonly HttpOperationOptions _options;
    private readonly HttpRequestMix _mix;
    private readonly PreparedRequest[] _kinds;
    private readonly bool _raw;
    private readonly RawHttpEngine? _rawEngine;
    private readonly ClientHttpEngine? _clientEngine;
    private readonly HttpTarget _target;
    private readonly HttpStatistics _statistics;
    private readonly bool _reportsKinds;
    private readonly List<HttpWorker> _workers = [];
    private readonly Lock _workersLock = new();
    private long _startTicks;
    private long _endTicks;
    private readonly bool _singleAuthority;

    /// <summary>Creates the operation; throws <see cref="ScenarioValidationException"/> when the options are invalid.</summary>
    public HttpOperation(HttpOperationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        options = options.Resolved();
        _options = options;
        var authorities = options.Requests.Select(r => SplitUrl(r.Url.Text).Authority.ToLowerInvariant()).Distinct().ToList();
        _singleAuthority = authorities.Count == 1;
        _raw = options.Engine switch
        {
            HttpEngineChoice.Raw when !SocketReactor.IsSupported =>
                throw new ScenarioValidationException([new Problem("engine", "the raw engine needs Linux (epoll); use engine: client (or auto) here")]),
            HttpEngineChoice.Raw => authorities.Count == 1 ? true
                : throw new ScenarioValidationException([new Problem("engine", "the raw engine keeps one connection per worker, so every kind must use the same host and port")]),
            HttpEngineChoice.Client => false,
            HttpEngineChoice.Auto => options.RawPathFits && authorities.Count == 1 && SocketReactor.IsSupported,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Engine, "unknown engine"),
        };
        _target = new HttpTarget(options);
        _statistics = new HttpStatistics(options.Requests.Count, streams: options.Sse is not null);
        if (_raw) _rawEngine = new RawHttpEngine(options, _statistics);
        else _clientEngine = new ClientHttpEngine(options, _statistics, _target);
        _mix = new HttpRequestMix(options, _raw);
        _kinds = _mix.Kinds;
        _reportsKinds = _kinds.Length > 1 || _kinds[0].Options.Name != HttpRequestKind.DefaultName;
    }

    /// <summary>An operation that sends <c>GET <paramref name="url"/></c> (a full URL) and expects a 2xx or 3xx answer.</summary>
    public static HttpOperation Get(string url) => new(new HttpOperationOptions([new HttpRequestKind(Template.Constant(url))]));

    /// <summary>An operation that sends <c>GET <paramref name="path"/></c> to Gauntlet's built-in HTTP server, started on a free loopback port for the run (<see cref="HttpOperationOptions.BuiltinHttp"/>).</summary>
    public static HttpOperation GetBuiltin(string path) =>
        new(new HttpOperationOptions([new HttpRequestKind(Template.Constant(path))]) { Target = HttpOperationOptions.BuiltinHttp });

    /// <summary>How long the probe before a run waits for a connection.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Before a run: one TCP connection to each host and port the requests name (those without placeholders), so a
    /// server that is not there is exit code 3 and one clear line rather than a run of refused requests.
    /// </summary>
    public override async ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        StartAfresh();
        foreach (var feeder in _options.Feeders) feeder.Rewind(scenario.Segment);
        await _target.SetUpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the built-in server the set-up started, if any.</summary>
    public override ValueTask TearDownAsync() => _target.StopServerAsync();

    /// <inheritdoc />
    public override string Name => "http";

    internal override bool HasOutput => true;

    /// <summary>Every request goes to one host and port (or the built-in server), so a fault proxy can stand in front of it; null for a mix over several hosts.</summary>
    public override IRedirectableTarget? Redirection => _singleAuthority ? this : null;

    IPEndPoint? IRedirectableTarget.TargetEndPoint => _target.TargetEndPoint;

    /// <summary>Connects to <paramref name="endpoint"/> from now on (a scenario's fault proxy), with the same URLs, Host header and TLS name.</summary>
    void IRedirectableTarget.Redirect(IPEndPoint endpoint)
    {
        LoadEnded();
        _target.ConnectTo = endpoint;
    }

    /// <summary>One TCP connection attempt to <paramref name="uri"/>'s host and port, bounded; null when it connects, else why not.</summary>
    public static Task<string?> ReachAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        HttpTarget.ReachAsync(uri, timeout, cancellationToken);

    /// <summary>The names of the mix's kinds, which <see cref="AddFigures"/> reports one by one; empty for one unnamed request.</summary>
    public override IReadOnlyList<string> KindNames => _reportsKinds ? [.. _options.Requests.Select(r => r.Name)] : [];

    /// <summary>
    /// True on the raw engine: a request is rendered and sent without blocking, then awaited on the socket reactor.
    /// HttpClient does more before its first wait (its pool, its headers), so it keeps the thread pool.
    /// </summary>
    public override bool StartsWithoutBlocking => _raw;

    /// <summary>The options the operation runs with.</summary>
    public HttpOperationOptions Options => _options;

    /// <summary><c>raw-http1</c> or <c>httpclient</c>: how requests are sent.</summary>
    public string EngineName => _raw ? "raw-http1" : "httpclient";

    /// <summary>The operation: sends one request of the next kind and judges its response.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<Outcome> RunAsync(OperationContext context)
    {
        var worker = context.WorkerState as HttpWorker ?? Register(context);
        var index = _mix.Next();
        var kind = _kinds[index];
        // One unnamed request reports no kinds: its figures are the scenario's own, so the clock reads and the
        // second histogram record per request are skipped (the load generator's hot path).
        var start = _reportsKinds ? Clock.Now : 0;
        var outcome = Outcome.Ok;
        var rows = worker.Rows;
        foreach (var f in kind.Feeders)
        {
            rows[f] = _options.Feeders[f].Next();
            if (rows[f] < 0)
            {
                outcome = Outcome.Failed(Feeder.ExhaustedKind, $"feeder '{_options.Feeders[f].Name}' has handed out all {_options.Feeders[f].Count} rows once (order: unique)");
                if (_reportsKinds) _statistics.Kind(context.WorkerId, index, ok: false, Clock.ToMicros(Clock.Now - start));
                return outcome;
            }
        }
        var values = new OperationValues(context.Iteration, context.WorkerId, context.OperationId);
        // A body that never arrives (no connection) must not read as the previous request's.
        if (context.KeepsOutput) worker.Received.Clear();
        try
        {
            outcome = _raw
                ? await _rawEngine!.SendAsync(worker, kind, values, context).ConfigureAwait(false)
                : await _clientEngine!.SendAsync(worker, kind, values, context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The engine turns this into a timeout (or a cut-off at the end); the connection is in an unknown state.
            worker.Connection?.Close();
            if (_reportsKinds) _statistics.Kind(context.WorkerId, index, ok: false, Clock.ToMicros(Clock.Now - start));
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            worker.Connection?.Close();
            outcome = HttpErrors.Classify(e);
        }
        finally
        {
            KeepOutput(context, worker);
        }
        if (_reportsKinds) _statistics.Kind(context.WorkerId, index, outcome.IsOk, Clock.ToMicros(Clock.Now - start));
        return outcome;
    }

    /// <summary>For a history label that reads the response: the body as text, what arrived of it when it was cut off.</summary>
    private static void KeepOutput(OperationContext context, HttpWorker worker)
    {
        if (context.KeepsOutput) context.Output = worker.Received.Length == 0 ? null : Encoding.UTF8.GetString(worker.Received.Span);
    }

    private HttpWorker Register(OperationContext context)
    {
        var worker = new HttpWorker(_options.Feeders.Count, _options.MaxCheckedBody, _rawEngine?.Connection(_target.ConnectTo));
        lock (_workersLock) _workers.Add(worker);
        context.WorkerState = worker;
        return worker;
    }

    /// <summary>Before a run: no connection, figures, feeder position or mix position is left from an earlier one.</summary>
    private void StartAfresh()
    {
        LoadEnded();
        _statistics.Reset();
        foreach (var feeder in _options.Feeders) feeder.Rewind();
        _mix.Rewind();
        _startTicks = Clock.Now;
        _endTicks = 0;
    }

    /// <summary>After a warm-up: status codes, bytes and kinds count from now on; connections stay open and feeders go on where they are.</summary>
    public override void ResetFigures()
    {
        _statistics.Reset();
        _startTicks = Clock.Now;
        _endTicks = 0;
    }

    /// <inheritdoc />
    public override void LoadEnded()
    {
        _endTicks = Clock.Now;
        List<HttpWorker> workers;
        lock (_workersLock)
        {
            workers = [.. _workers];
            _workers.Clear();
        }
        foreach (var worker in workers) worker.Connection?.Dispose();
        _clientEngine?.Close();
    }

    /// <inheritdoc />
    public override ScenarioResult AddFigures(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var seconds = result.DurationSeconds > 0 ? result.DurationSeconds : Clock.ToSeconds(_endTicks - _startTicks);
        return result with
        {
            Http = _statistics.Figures(EngineName, _options.Version == HttpVersionChoice.Http2 ? "2" : "1.1", seconds),
            OperationKinds = _reportsKinds ? _statistics.Kinds(_options.Requests) : null,
        };
    }

    /// <summary>Splits an absolute URL into scheme, authority (host and port) and the rest (path and query, at least <c>/</c>).</summary>
    internal static (string Scheme, string Authority, int PathStart) SplitUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return ("", "", 0);
        var authorityStart = schemeEnd + 3;
        var end = url.IndexOfAny(['/', '?'], authorityStart);
        if (end < 0) end = url.Length;
        return (url[..schemeEnd], url[authorityStart..end], end);
    }
}
