using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// The HttpClient engine: HTTP/2, TLS and header checks, through one shared <see cref="HttpClient"/> created on the
/// first request (so it connects where the target is at that moment) and disposed when the load ends.
/// </summary>
internal sealed class ClientHttpEngine(HttpOperationOptions options, HttpStatistics statistics, HttpTarget target)
{
    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Encoding", "Content-Language", "Content-Disposition", "Content-MD5", "Content-Range", "Expires", "Last-Modified", "Allow",
    };

    private readonly HttpOperationOptions _options = options;
    private readonly HttpStatistics _statistics = statistics;
    private readonly HttpTarget _target = target;
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
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            bytesIn += 17 + (response.ReasonPhrase?.Length ?? 0) + HeaderBytes(response.Headers) + HeaderBytes(response.Content.Headers);
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
            _statistics.Status(context.WorkerId, status);
            return HttpResponseJudge.Judge(kind, status, keep, name => Header(response, name));
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
            if (_target.ConnectTo is { } connectTo)
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
