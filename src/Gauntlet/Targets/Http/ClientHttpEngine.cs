using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Gauntlet.Metrics;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// The HttpClient engine: HTTP/2, TLS and header checks, through one shared <see cref="HttpClient"/> created on the
/// first request (so it connects where the target is at that moment) and disposed when the load ends. Its connect
/// callback times each connection's opening and its plaintext filter the TLS handshake; the time to first byte runs from
/// the request handed to HttpClient to its response headers (HttpClient does not say when it wrote the request).
/// </summary>
internal sealed class ClientHttpEngine
{
    /// <summary>When the connection a request triggered was open, so the plaintext filter can time the TLS handshake after it.</summary>
    private static readonly HttpRequestOptionsKey<long> ConnectedAt = new("Gauntlet.ConnectedAt");

    public ClientHttpEngine(HttpOperationOptions options, HttpStatistics statistics, HttpTarget target)
    {
        _options = options;
        _statistics = statistics;
        _target = target;
        if (options.Sse is { } sse) _sse = new SseReader(sse, statistics);
        statistics.Measures(HttpPhase.Connect);
        statistics.Measures(HttpPhase.Ttfb);
        statistics.Measures(HttpPhase.Transfer);
        if (options.Requests.Any(r => r.Url.Text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))) statistics.Measures(HttpPhase.Tls);
    }

    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Encoding", "Content-Language", "Content-Disposition", "Content-MD5", "Content-Range", "Expires", "Last-Modified", "Allow",
    };

    private readonly HttpOperationOptions _options;
    private readonly HttpStatistics _statistics;
    private readonly HttpTarget _target;
    private readonly SseReader? _sse;
    private readonly Lock _lock = new();
    private HttpClient? _client;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Outcome> SendAsync(HttpWorker worker, PreparedRequest kind, OperationValues values, OperationContext context)
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
            var sent = Clock.Now;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken).ConfigureAwait(false);
            var headers = Clock.Now;
            _statistics.Phase(context.WorkerId, HttpPhase.Ttfb, Clock.ToMicros(headers - sent));
            var status = (int)response.StatusCode;
            bytesIn += 17 + (response.ReasonPhrase?.Length ?? 0) + HeaderBytes(response.Headers) + HeaderBytes(response.Content.Headers);
            if (_sse is not null)
            {
                var (outcome, streamed) = await _sse!.ReadAsync(kind, response, worker, sent, headers, context).ConfigureAwait(false);
                bytesIn += streamed;
                return outcome;
            }
            var keep = kind.ReadsBody || context.KeepsOutput ? worker.Received : null;
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
            _statistics.Phase(context.WorkerId, HttpPhase.Transfer, Clock.ToMicros(Clock.Now - headers));
            _statistics.Status(context.WorkerId, status);
            return HttpResponseJudge.Judge(kind, status, keep, name => Header(response, name));
        }
        finally
        {
            _statistics.Bytes(context.WorkerId, bytesOut, bytesIn);
        }
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
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
        lock (_lock)
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
            // Connections are opened here rather than by the handler so each one is counted and timed (to a fault
            // proxy or the built-in server's port when the target says so, else where the URL's host resolves).
            var connectTo = _target.ConnectTo;
            handler.ConnectCallback = async (context, token) =>
            {
                var started = Clock.Now;
                var socket = connectTo is null ? new Socket(SocketType.Stream, ProtocolType.Tcp) : new Socket(connectTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.NoDelay = true;
                try
                {
                    if (connectTo is null) await socket.ConnectAsync(context.DnsEndPoint, token).ConfigureAwait(false);
                    else await socket.ConnectAsync(connectTo, token).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                var connected = Clock.Now;
                var shard = Environment.CurrentManagedThreadId;
                _statistics.ConnectionOpened(shard);
                _statistics.Phase(shard, HttpPhase.Connect, Clock.ToMicros(connected - started));
                context.InitialRequestMessage.Options.Set(ConnectedAt, connected);
                return new NetworkStream(socket, ownsSocket: true);
            };
            handler.PlaintextStreamFilter = (context, _) =>
            {
                if (context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps && context.InitialRequestMessage.Options.TryGetValue(ConnectedAt, out var connected))
                    _statistics.Phase(Environment.CurrentManagedThreadId, HttpPhase.Tls, Clock.ToMicros(Clock.Now - connected));
                return ValueTask.FromResult(context.PlaintextStream);
            };
            _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            return _client;
        }
    }

    /// <summary>The load has ended: the client and its connections are disposed; the next request creates a new one.</summary>
    public void Close()
    {
        HttpClient? client;
        lock (_lock)
        {
            client = _client;
            _client = null;
        }
        client?.Dispose();
    }
}
