using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Gauntlet.Servers;

/// <summary>
/// The built-in server's Server-Sent Events endpoint, a stream paced like an LLM API sending tokens:
/// <c>GET /sse?events=20&amp;interval=10ms&amp;size=32&amp;cutAfter=5</c>. It sends a comment line, then <c>events</c>
/// events (default 10) <c>interval</c> apart (default 0; <c>ms</c>, <c>s</c> or <c>us</c>, a bare number is ms), each
/// <c>event: token</c>, <c>id: {i}</c> and <c>data: {"i":i,"text":"xxx…"}</c> with <c>size</c> characters of text
/// (default 8), then <c>data: [DONE]</c>. With <c>cutAfter=n</c> it closes the connection after n events, without
/// <c>[DONE]</c> and without the last chunk: a stream cut halfway, for tests. <c>cutAfter=0</c> cuts before the first
/// event; <c>cutAfter</c> at or above <c>events</c> after the last one, before <c>[DONE]</c>. Over clear-text HTTP/1.1 the
/// close is clean, after every event sent; over TLS and HTTP/2 it is Kestrel's abort after a short grace, which a
/// client that has not read the headers yet may see as a reset. A bad parameter is a 400 with the reason.
/// </summary>
internal static class SseEndpoint
{
    public const string Path = "/sse";

    /// <summary>Most events one stream sends.</summary>
    public const int MaxEvents = 100_000;

    /// <summary>Largest <c>size</c>: 1 MiB of text per event.</summary>
    public const int MaxSize = 1024 * 1024;

    /// <summary>Longest whole stream (events × interval): 60 s, so no request can hold the server forever.</summary>
    public static readonly TimeSpan MaxStream = TimeSpan.FromSeconds(60);

    public static void Map(WebApplication app) => app.MapGet(Path, Stream);

    private static async Task Stream(HttpContext context)
    {
        var query = context.Request.Query;
        var aborted = context.RequestAborted;
        if (!TryRead(query, out var events, out var interval, out var size, out var cutAfter, out var problem))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(problem + "\n", aborted).ConfigureAwait(false);
            return;
        }
        if (cutAfter >= 0 && !context.Request.IsHttps && context.Request.Protocol == "HTTP/1.1"
            && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            await CutAsync(context, socket, events, interval, size, cutAfter).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var body = context.Response.Body;
        var text = new string('x', size);
        await body.WriteAsync(": gauntlet built-in stream\n\n"u8.ToArray(), aborted).ConfigureAwait(false);
        await body.FlushAsync(aborted).ConfigureAwait(false);
        for (var i = 0; i < events; i++)
        {
            if (i == cutAfter)
            {
                await AbortAsync(context).ConfigureAwait(false);
                return;
            }
            if (interval > TimeSpan.Zero) await Task.Delay(interval, aborted).ConfigureAwait(false);
            await body.WriteAsync(Encoding.UTF8.GetBytes(Frame(i, text)), aborted).ConfigureAwait(false);
            await body.FlushAsync(aborted).ConfigureAwait(false);
        }
        if (cutAfter >= events)
        {
            await AbortAsync(context).ConfigureAwait(false);
            return;
        }
        await body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// How long a cut over TLS or HTTP/2 waits before Kestrel's abort, so the events sent reach the client first: over
    /// HTTP/1.1 the abort resets the connection, and a reset can discard what the client has not read yet.
    /// </summary>
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

    private static async Task AbortAsync(HttpContext context)
    {
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        await Task.Delay(AbortGrace, context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    private static string Frame(int i, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"event: token\nid: {i}\ndata: {{\"i\":{i},\"text\":\"{text}\"}}\n\n");

    /// <summary>
    /// A stream cut after <paramref name="cutAfter"/> events over clear-text HTTP/1.1, written on the socket itself: a
    /// chunked response whose events all reach the client, then the connection closed gracefully (FIN) with no last
    /// chunk. Kestrel's own abort resets the connection, and a reset can discard bytes the client has not read yet, so
    /// the client would see a refused request rather than a stream cut halfway.
    /// </summary>
    private static async Task CutAsync(HttpContext context, Socket socket, int events, TimeSpan interval, int size, int cutAfter)
    {
        var text = new string('x', size);
        var aborted = context.RequestAborted;
        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), aborted).ConfigureAwait(false);
        await socket.SendAsync(Chunk(": gauntlet built-in stream\n\n"), aborted).ConfigureAwait(false);
        for (var i = 0; i < Math.Min(events, cutAfter); i++)
        {
            if (interval > TimeSpan.Zero) await Task.Delay(interval, aborted).ConfigureAwait(false);
            await socket.SendAsync(Chunk(Frame(i, text)), aborted).ConfigureAwait(false);
        }
        socket.Shutdown(SocketShutdown.Send);
        context.Abort();
    }

    private static byte[] Chunk(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [.. Encoding.ASCII.GetBytes(bytes.Length.ToString("X", CultureInfo.InvariantCulture) + "\r\n"), .. bytes, .. "\r\n"u8];
    }

    private static bool TryRead(IQueryCollection query, out int events, out TimeSpan interval, out int size, out int cutAfter, out string? problem)
    {
        events = 10;
        interval = TimeSpan.Zero;
        size = 8;
        cutAfter = -1;
        problem = null;
        if (query.TryGetValue("events", out var e) && (!int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out events) || events > MaxEvents))
            problem = $"events must be a whole number from 0 to {MaxEvents}";
        else if (query.TryGetValue("interval", out var i) && !TryDuration(i.ToString(), out interval))
            problem = "interval must be a duration such as 10ms, 1s or 500us (a bare number is milliseconds)";
        else if (query.TryGetValue("size", out var s) && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size > MaxSize))
            problem = $"size must be a whole number from 0 to {MaxSize}";
        else if (query.TryGetValue("cutAfter", out var c) && !int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out cutAfter))
            problem = "cutAfter must be a whole number of events";
        else if (interval * events > MaxStream)
            problem = $"events × interval must be at most {MaxStream.TotalSeconds:0} s";
        return problem is null;
    }

    private static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var (digits, scale) = text.EndsWith("us", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : (text, 1.0);
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value * scale > MaxStream.TotalMilliseconds) return false;
        duration = TimeSpan.FromMilliseconds(value * scale);
        return true;
    }
}
