using System.Net;
using System.Runtime.CompilerServices;
using Gauntlet.Metrics;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// The raw engine: HTTP/1.1 over http:// on one keep-alive socket per worker (<see cref="RawHttpConnection"/>), the
/// request's head rendered into the worker's buffer. Written for speed: nothing is allocated per request.
/// </summary>
internal sealed class RawHttpEngine
{
    private static readonly Func<string, string?> RawHeaders = static _ => null;

    private readonly HttpOperationOptions _options;
    private readonly HttpStatistics _statistics;
    private readonly string _host;
    private readonly int _port;

    /// <summary>An engine for <paramref name="options"/>, whose requests all go to one host and port (that of the first).</summary>
    public RawHttpEngine(HttpOperationOptions options, HttpStatistics statistics)
    {
        _options = options;
        _statistics = statistics;
        statistics.Measures(HttpPhase.Connect);
        statistics.Measures(HttpPhase.Ttfb);
        statistics.Measures(HttpPhase.Transfer);
        var uri = new Uri("http://" + HttpOperation.SplitUrl(options.Requests[0].Url.Text).Authority);
        _host = uri.DnsSafeHost;
        _port = uri.Port;
    }

    /// <summary>A new worker's connection, opened on its first request; to <paramref name="connectTo"/> instead of the URL's address when given.</summary>
    public RawHttpConnection Connection(IPEndPoint? connectTo) => new(_host, _port, _options.ConnectTimeout, connectTo);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Outcome> SendAsync(HttpWorker worker, PreparedRequest kind, OperationValues values, OperationContext context)
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
            written += PreparedRequest.WriteLength(kind.SendsLength, content.Length, space[written..]);
            buffer.Advance(written);
            if (content.Length <= PreparedRequest.CoalesceLimit)
            {
                buffer.Append(content.Span);
                content = default;
            }
            head = buffer.Memory;
            body = content;
        }
        var keep = kind.ReadsBody || context.KeepsOutput ? worker.Received : null;
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
            for (var i = 0; i < connection.Opened; i++)
            {
                _statistics.ConnectionOpened(context.WorkerId);
                _statistics.Phase(context.WorkerId, HttpPhase.Connect, Clock.ToMicros(connection.ConnectTicks(i)));
            }
            for (var i = 0; i < connection.ServerCloses; i++) _statistics.ServerClosed(context.WorkerId);
        }
        _statistics.Status(context.WorkerId, response.Status);
        _statistics.Phase(context.WorkerId, HttpPhase.Ttfb, Clock.ToMicros(connection.FirstByteTicks));
        _statistics.Phase(context.WorkerId, HttpPhase.Transfer, Clock.ToMicros(connection.TransferTicks));
        return HttpResponseJudge.Judge(kind, response.Status, keep, RawHeaders);
    }
}
