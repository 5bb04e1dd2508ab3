using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gauntlet.Servers;

/// <summary>
/// The built-in server's WebSocket echo endpoint, <c>/ws</c>: every message comes back with the same bytes and frame
/// type, and the subprotocol the client offers first is accepted. Query parameters provoke failures for tests:
/// <c>?closeAfter=N</c> closes the connection with a close frame after N messages were echoed (code
/// <c>closeCode</c>, default 1011, internal error), and <c>?abortAfter=N</c> drops it without one when message N+1 arrives (the client sees
/// 1006, abnormal closure), and <c>?silentAfter=N</c> reads every message after the first N and answers none (the
/// client's read timeout ends them). Each connection counts its own messages.
/// </summary>
internal static class WebSocketEndpoints
{
    /// <summary>The path of the echo endpoint.</summary>
    public const string Path = "/ws";

    /// <summary>The largest message echoed: 16 MiB; a longer one closes the connection with 1009 (message too big).</summary>
    public const int MaxMessage = 16 * 1024 * 1024;

    /// <summary>Default close code of <c>?closeAfter=N</c>: 1011 (internal error), what a server that gives up sends.</summary>
    public const int DefaultCloseCode = 1011;

    /// <summary>How long the server waits for the client's answer to its close frame.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public static void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.Map(Path, EchoAsync);
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"{Path} is a WebSocket endpoint: connect with ws://HOST:PORT{Path}", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var closeAfter = Number(context, "closeAfter");
        var abortAfter = Number(context, "abortAfter");
        var silentAfter = Number(context, "silentAfter");
        var closeCode = Number(context, "closeCode") ?? DefaultCloseCode;
        if (closeAfter < 0 || abortAfter < 0 || silentAfter < 0 || closeCode is < 1000 or > 4999)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("closeAfter, abortAfter and silentAfter are whole numbers of messages; closeCode is from 1000 to 4999", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(offered.Count > 0 ? offered[0] : null).ConfigureAwait(false);
        var aborted = context.RequestAborted;
        var buffer = new byte[4096];
        long echoed = 0;
        try
        {
            while (true)
            {
                if (echoed == closeAfter)
                {
                    await CloseAsync(socket, (WebSocketCloseStatus)closeCode, $"closeAfter={closeAfter}").ConfigureAwait(false);
                    return;
                }
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxMessage)
                        {
                            await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig, $"messages are at most {MaxMessage} B").ConfigureAwait(false);
                            return;
                        }
                        Array.Resize(ref buffer, Math.Min(MaxMessage, buffer.Length * 2));
                    }
                    received = await socket.ReceiveAsync(buffer.AsMemory(length), aborted).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, aborted).ConfigureAwait(false);
                        return;
                    }
                    length += received.Count;
                }
                while (!received.EndOfMessage);
                if (echoed == abortAfter)
                {
                    // Only once the next message has come in: a reset sent earlier could overtake the last reply
                    // (the client's kernel drops unread data on a reset), and the count would be off by one.
                    context.Abort();
                    return;
                }
                // Past silentAfter, messages are read and never answered: the client's read timeout is what ends them.
                if (echoed == silentAfter) continue;
                await socket.SendAsync(buffer.AsMemory(0, length), received.MessageType, endOfMessage: true, aborted).ConfigureAwait(false);
                echoed++;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away without closing: nothing to answer.
        }
    }

    /// <summary>Sends a close frame, then waits (bounded) for the client's, discarding what it still sends.</summary>
    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        var discard = new byte[1024];
        while (socket.State == WebSocketState.CloseSent)
        {
            var received = await socket.ReceiveAsync(discard.AsMemory(), timeout.Token).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close) return;
        }
    }

    private static long? Number(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var text)
            ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1
            : null;
}
