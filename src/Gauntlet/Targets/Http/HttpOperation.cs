using System.Net;
using System.Net.Sockets;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
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
public sealed class HttpOperation : Operation, IRedirectableTarget
{
    /// <summary>Above this size a request body is sent on its own rather than copied behind the head (bytes).</summary>
    private const int CoalesceLimit = 16 * 1024;

    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Encoding", "Content-Language", "Content-Disposition", "Content-MD5", "Content-Range", "Expires", "Last-Modified", "Allow",
    };

    private readonly HttpOperationOptions _options;
    private readonly Kind[] _kinds;
    private readonly int[] _schedule;
    private readonly int _totalWeight;
    private readonly bool _raw;
    private readonly string? _rawHost;
    private readonly int _rawPort;
    private readonly HttpStatistics _statistics;
    private readonly bool _reportsKinds;
    private readonly List<Worker> _workers = [];
    private readonly Lock _workersLock = new();
    private long _picks = -1;
    private HttpClient? _client;
    private long _startTicks;
    private long _endTicks;
    private IPEndPoint? _targetEndPoint;
    private IPEndPoint? _connectTo;
    private IBuiltinHttpServer? _server;
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
        if (_raw)
        {
            var uri = new Uri("http://" + SplitUrl(options.Requests[0].Url.Text).Authority);
            _rawHost = uri.DnsSafeHost;
            _rawPort = uri.Port;
        }
        _kinds = [.. options.Requests.Select(r => new Kind(r, options.Feeders, _raw))];
        _totalWeight = options.Requests.Sum(r => r.Weight);
        _schedule = Interleave(options.Requests);
        _statistics = new HttpStatistics(_kinds.Length);
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
        await StopServerAsync().ConfigureAwait(false);
        _connectTo = _targetEndPoint = null;
        if (_options.Target is HttpOperationOptions.BuiltinHttp)
        {
            IBuiltinHttpServer server;
            try
            {
                server = await BuiltinHttpServers.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new TargetUnreachableException($"cannot start the built-in HTTP server ({HttpOperationOptions.BuiltinHttp}) on a loopback port: {e.Message}", e);
            }
            _server = server;
            _connectTo = _targetEndPoint = new IPEndPoint(IPAddress.Loopback, server.Address.Port);
            return;
        }
        var targets = _options.Requests.Select(r => SplitUrl(r.Url.Text)).Where(u => !u.Authority.Contains('{', StringComparison.Ordinal))
            .Select(u => new Uri($"{u.Scheme}://{u.Authority}")).DistinctBy(u => (u.DnsSafeHost, u.Port)).ToList();
        foreach (var uri in _options.Probe ? targets : [])
        {
            if (await ReachAsync(uri, ProbeTimeout, cancellationToken).ConfigureAwait(false) is { } why)
                throw new TargetUnreachableException($"cannot reach {uri.Host}:{uri.Port}: {why}; start the server there or check the URL "
                    + $"('gauntlet serve http --port {uri.Port}' runs Gauntlet's own, or write target: {HttpOperationOptions.BuiltinHttp})");
        }
        // A fault proxy can stand in front of one host and port only.
        if (targets.Count == 1 && targets.Count == _options.Requests.Select(r => SplitUrl(r.Url.Text).Authority.ToLowerInvariant()).Distinct().Count())
        {
            var uri = targets[0];
            var address = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? literal
                : (await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (address is not null) _targetEndPoint = new IPEndPoint(address, uri.Port);
        }
    }

    /// <summary>Stops the built-in server the set-up started, if any.</summary>
    public override ValueTask TearDownAsync() => StopServerAsync();

    private async ValueTask StopServerAsync()
    {
        var server = _server;
        _server = null;
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string Name => "http";

    /// <summary>Every request goes to one host and port (or the built-in server), so a fault proxy can stand in front of it; null for a mix over several hosts.</summary>
    public override IRedirectableTarget? Redirection => _singleAuthority ? this : null;

    IPEndPoint? IRedirectableTarget.TargetEndPoint => _targetEndPoint;

    /// <summary>Connects to <paramref name="endpoint"/> from now on (a scenario's fault proxy), with the same URLs, Host header and TLS name.</summary>
    void IRedirectableTarget.Redirect(IPEndPoint endpoint)
    {
        LoadEnded();
        _connectTo = endpoint;
    }

    /// <summary>One TCP connection attempt to <paramref name="uri"/>'s host and port, bounded; null when it connects, else why not.</summary>
    public static async Task<string?> ReachAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(uri.DnsSafeHost, uri.Port, bounded.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no connection within {Format.Duration(timeout)}";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve",
                _ => e.Message,
            };
        }
    }

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
        var worker = context.WorkerState as Worker ?? Register(context);
        var index = NextKind();
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
        try
        {
            outcome = _raw
                ? await SendRawAsync(worker, kind, values, context).ConfigureAwait(false)
                : await SendClientAsync(worker, kind, values, context).ConfigureAwait(false);
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
        if (_reportsKinds) _statistics.Kind(context.WorkerId, index, outcome.IsOk, Clock.ToMicros(Clock.Now - start));
        return outcome;
    }

    private int NextKind()
    {
        if (_kinds.Length == 1) return 0;
        if (_options.MixOrder == MixOrder.Random)
        {
            var draw = Random.Shared.Next(_totalWeight);
            for (var k = 0; k < _kinds.Length; k++)
            {
                draw -= _kinds[k].Options.Weight;
                if (draw < 0) return k;
            }
            return _kinds.Length - 1;
        }
        return _schedule[(int)((ulong)Interlocked.Increment(ref _picks) % (ulong)_schedule.Length)];
    }

    /// <summary>Smooth weighted round robin (as nginx balances upstreams): weights 2:1 give A B A, not A A B.</summary>
    private static int[] Interleave(IReadOnlyList<HttpRequestKind> requests)
    {
        var weights = requests.Select(r => (long)r.Weight).ToArray();
        var total = weights.Sum();
        // Very large weights: a cycle of at most 100,000 picks in the same proportions (to within rounding).
        if (total > MaxCycle)
        {
            weights = [.. weights.Select(w => Math.Max(1, w * MaxCycle / total))];
            total = weights.Sum();
        }
        var current = new long[weights.Length];
        var schedule = new int[total];
        for (var i = 0; i < total; i++)
        {
            var best = 0;
            for (var k = 0; k < weights.Length; k++)
            {
                current[k] += weights[k];
                if (current[k] > current[best]) best = k;
            }
            current[best] -= total;
            schedule[i] = best;
        }
        return schedule;
    }

    private const long MaxCycle = 100_000;

    private Worker Register(OperationContext context)
    {
        var worker = new Worker(_options.Feeders.Count, _options.MaxCheckedBody,
            _raw ? new RawHttpConnection(_rawHost!, _rawPort, _options.ConnectTimeout, _connectTo) : null);
        lock (_workersLock) _workers.Add(worker);
        context.WorkerState = worker;
        return worker;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome> SendRawAsync(Worker worker, Kind kind, OperationValues values, OperationContext context)
    {
        ReadOnlyMemory<byte> head, body;
        if (kind.ConstantHead is { } constant)
        {
            head = constant;
            body = kind.ConstantBody;
        }
        else
        {
            var rows = worker.Rows;
            ReadOnlyMemory<byte> content = kind.ConstantBody;
            if (kind.BodyTemplate is { } bodyTemplate)
            {
                var rendered = worker.Body;
                rendered.Clear();
                var room = rendered.Reserve(bodyTemplate.MaxUtf8Length(_options.Feeders, rows));
                rendered.Advance(bodyTemplate.RenderUtf8(_options.Feeders, rows, values, room));
                content = rendered.Memory;
            }
            var buffer = worker.Send;
            buffer.Clear();
            var space = buffer.Reserve(kind.HeadTemplate!.MaxUtf8Length(_options.Feeders, rows) + 40);
            var written = kind.HeadTemplate.RenderUtf8(_options.Feeders, rows, values, space);
            written += WriteLength(kind.SendsLength, content.Length, space[written..]);
            buffer.Advance(written);
            if (content.Length <= CoalesceLimit)
            {
                buffer.Append(content.Span);
                content = default;
            }
            head = buffer.Memory;
            body = content;
        }
        var keep = kind.ReadsBody ? worker.Received : null;
        keep?.Clear();
        var connection = worker.Connection!;
        RawResponse response;
        try
        {
            response = await connection.ExchangeAsync(head, body, kind.HeadResponse, keep, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _statistics.Bytes(context.WorkerId, head.Length + body.Length, connection.BytesIn);
            for (var i = 0; i < connection.Opened; i++) _statistics.ConnectionOpened(context.WorkerId);
            for (var i = 0; i < connection.ServerCloses; i++) _statistics.ServerClosed(context.WorkerId);
        }
        _statistics.Status(context.WorkerId, response.Status);
        return Judge(kind, response.Status, keep, RawHeaders);
    }

    private static readonly Func<string, string?> RawHeaders = static _ => null;

    private static int WriteLength(bool sendsLength, int length, Span<byte> destination)
    {
        var written = 0;
        if (sendsLength || length > 0)
        {
            "Content-Length: "u8.CopyTo(destination);
            written = 16;
            System.Buffers.Text.Utf8Formatter.TryFormat(length, destination[written..], out var digits);
            written += digits;
            "\r\n"u8.CopyTo(destination[written..]);
            written += 2;
        }
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }

    private static Outcome Judge(Kind kind, int status, BodyBuffer? body, Func<string, string?> header)
    {
        if (!kind.Accepted.Accepts(status))
            return Outcome.Failed(HttpErrors.WrongStatus, $"status {status}, expected {kind.Accepted}" + (kind.Options.ExpectsRejection ? " (a rejection)" : ""));
        if (kind.Options.Checks.Count == 0) return Outcome.Ok;
        if (body is { Truncated: true })
            return Outcome.Failed(HttpErrors.CheckFailed, $"the body is larger than maxCheckedBody ({body.Length} bytes kept); checks read whole bodies");
        var span = body is null ? default : body.Span;
        foreach (var check in kind.Options.Checks)
            if (check.Evaluate(span, header) is { } failure) return Outcome.Failed(HttpErrors.CheckFailed, failure);
        return Outcome.Ok;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome> SendClientAsync(Worker worker, Kind kind, OperationValues values, OperationContext context)
    {
        var client = _client ?? EnsureClient();
        var rows = worker.Rows;
        var url = kind.Options.Url.Render(_options.Feeders, rows, values);
        using var request = new HttpRequestMessage(kind.Method, url)
        {
            Version = _options.Version == HttpVersionChoice.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        long bytesOut = kind.Method.Method.Length + url.Length + 12;
        var content = kind.ConstantBody;
        if (kind.BodyTemplate is { } bodyTemplate) content = Encoding.UTF8.GetBytes(bodyTemplate.Render(_options.Feeders, rows, values));
        if (!content.IsEmpty || kind.SendsLength || kind.Options.Body is not null) request.Content = new ReadOnlyMemoryContent(content);
        foreach (var (name, template) in kind.Options.Headers)
        {
            var value = template.Render(_options.Feeders, rows, values);
            bytesOut += name.Length + value.Length + 4;
            if (ContentHeaders.Contains(name) && request.Content is not null) request.Content.Headers.TryAddWithoutValidation(name, value);
            else request.Headers.TryAddWithoutValidation(name, value);
        }
        bytesOut += content.Length;
        long bytesIn = 0;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            bytesIn += 17 + (response.ReasonPhrase?.Length ?? 0) + HeaderBytes(response.Headers) + HeaderBytes(response.Content.Headers);
            var keep = kind.ReadsBody ? worker.Received : null;
            keep?.Clear();
            var stream = await response.Content.ReadAsStreamAsync(context.CancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var scratch = worker.Scratch;
                int read;
                while ((read = await stream.ReadAsync(scratch, context.CancellationToken).ConfigureAwait(false)) > 0)
                {
                    bytesIn += read;
                    keep?.Append(scratch.AsSpan(0, read));
                }
            }
            _statistics.Status(context.WorkerId, status);
            return Judge(kind, status, keep, name => Header(response, name));
        }
        finally
        {
            _statistics.Bytes(context.WorkerId, bytesOut, bytesIn);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static long HeaderBytes(HttpHeaders headers)
    {
        long total = 0;
        foreach (var (name, values) in headers.NonValidated)
        {
            total += name.Length + 4;
            foreach (var value in values) total += value.Length;
        }
        return total;
    }

    private HttpClient EnsureClient()
    {
        lock (_workersLock)
        {
            if (_client is not null) return _client;
            var handler = new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = _options.ConnectTimeout,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                EnableMultipleHttp2Connections = true,
            };
            if (_options.Insecure) handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            if (_connectTo is { } connectTo)
            {
                handler.ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(connectTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(connectTo, token).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                };
            }
            _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            return _client;
        }
    }

    /// <summary>Before a run: no connection, figures, feeder position or mix position is left from an earlier one.</summary>
    private void StartAfresh()
    {
        LoadEnded();
        _statistics.Reset();
        foreach (var feeder in _options.Feeders) feeder.Rewind();
        Volatile.Write(ref _picks, -1);
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
        List<Worker> workers;
        HttpClient? client;
        lock (_workersLock)
        {
            workers = [.. _workers];
            _workers.Clear();
            client = _client;
            _client = null;
        }
        foreach (var worker in workers) worker.Connection?.Dispose();
        client?.Dispose();
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

    /// <summary>One worker's state, kept in <see cref="OperationContext.WorkerState"/>: its connection and buffers.</summary>
    private sealed class Worker(int feeders, long maxCheckedBody, RawHttpConnection? connection)
    {
        public int[] Rows { get; } = new int[feeders];
        public RawHttpConnection? Connection { get; } = connection;
        public BodyBuffer Send { get; } = new(long.MaxValue);
        public BodyBuffer Body { get; } = new(long.MaxValue);
        public BodyBuffer Received { get; } = new(maxCheckedBody);
        public byte[] Scratch => _scratch ??= new byte[16 * 1024];

        private byte[]? _scratch;
    }

    /// <summary>A request kind prepared for sending: its feeders, its accepted statuses and, on the raw path, its bytes.</summary>
    private sealed class Kind
    {
        public Kind(HttpRequestKind options, IReadOnlyList<Feeder> feeders, bool raw)
        {
            Options = options;
            Accepted = options.AcceptedStatus;
            ReadsBody = options.ReadsBody;
            Method = new HttpMethod(options.Method.ToUpperInvariant());
            HeadResponse = Method == HttpMethod.Head;
            SendsLength = Method == HttpMethod.Post || Method == HttpMethod.Put || Method == HttpMethod.Patch;
            switch (options.Body)
            {
                case HttpBody.Bytes bytes: ConstantBody = bytes.Content; break;
                case HttpBody.Inline { Template.IsConstant: true } inline: ConstantBody = Encoding.UTF8.GetBytes(inline.Template.Text); break;
                case HttpBody.Inline inline: BodyTemplate = inline.Template; break;
                case null: break;
            }
            var used = new HashSet<int>(options.Url.Feeders);
            foreach (var (_, value) in options.Headers) used.UnionWith(value.Feeders);
            if (BodyTemplate is not null) used.UnionWith(BodyTemplate.Feeders);
            Feeders = [.. used.Order()];
            if (!raw) return;

            var (_, authority, pathStart) = SplitUrl(options.Url.Text);
            if (!options.Url.TrySplitLiteralPrefix(pathStart, out _, out var path))
                throw new ScenarioValidationException([new Problem("url", $"'{options.Url.Text}': the scheme, host and port cannot hold placeholders on the raw engine; use engine: client")]);
            var pieces = new List<object> { Method.Method, " " };
            if (path.Text.Length == 0 || path.Text[0] == '?') pieces.Add("/");
            pieces.AddRange([path, " HTTP/1.1\r\nHost: ", authority, "\r\n"]);
            foreach (var (name, value) in options.Headers)
            {
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                pieces.AddRange([name, ": ", value, "\r\n"]);
            }
            HeadTemplate = Template.Concat([.. pieces]);
            if (HeadTemplate.IsConstant && BodyTemplate is null)
            {
                var head = new List<byte>(Encoding.UTF8.GetBytes(HeadTemplate.Text));
                Span<byte> length = stackalloc byte[64];
                var written = WriteLength(SendsLength, ConstantBody.Length, length);
                head.AddRange(length[..written]);
                if (ConstantBody.Length <= CoalesceLimit)
                {
                    head.AddRange(ConstantBody.Span);
                    ConstantBody = default;
                }
                ConstantHead = head.ToArray();
            }
        }

        public HttpRequestKind Options { get; }
        public StatusSet Accepted { get; }
        public bool ReadsBody { get; }
        public HttpMethod Method { get; }
        public bool HeadResponse { get; }
        public bool SendsLength { get; }
        public int[] Feeders { get; }
        public ReadOnlyMemory<byte> ConstantBody { get; private set; }
        public Template? BodyTemplate { get; }
        public Template? HeadTemplate { get; }
        public byte[]? ConstantHead { get; }
    }
}
