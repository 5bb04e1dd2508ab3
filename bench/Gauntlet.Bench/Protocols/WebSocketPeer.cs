using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Gauntlet.Bench.Protocols;

/// <summary>
/// The peer of the WebSocket section: the loop a .NET developer writes by hand with <see cref="ClientWebSocket"/>, one
/// connection per client, each sending a text message and reading its echo back to back for the duration. Run as its
/// own process (<c>Gauntlet.Bench ws-peer URL CLIENTS SECONDS</c>); prints <c>messages N seconds S</c>.
/// </summary>
internal static class WebSocketPeer
{
    public const string Command = "ws-peer";

    public static async Task<int> RunAsync(Uri url, int clients, TimeSpan duration, string message)
    {
        var payload = Encoding.UTF8.GetBytes(message);
        var sockets = new ClientWebSocket[clients];
        for (var i = 0; i < clients; i++)
        {
            sockets[i] = new ClientWebSocket();
            await sockets[i].ConnectAsync(url, CancellationToken.None).ConfigureAwait(false);
        }
        var counts = new long[clients];
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        stop.CancelAfter(duration);
        var loops = new Task[clients];
        for (var i = 0; i < clients; i++)
        {
            var index = i;
            loops[i] = Task.Run(async () =>
            {
                var socket = sockets[index];
                var buffer = new byte[4096];
                while (!stop.IsCancellationRequested)
                {
                    await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    ValueWebSocketReceiveResult received;
                    var length = 0;
                    do
                    {
                        received = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                        length += received.Count;
                    }
                    while (!received.EndOfMessage);
                    if (length != payload.Length) throw new InvalidOperationException($"the echo had {length} bytes, not {payload.Length}");
                    counts[index]++;
                }
            });
        }
        await Task.WhenAll(loops).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var socket in sockets)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            socket.Dispose();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"messages {counts.Sum()} seconds {seconds:F3}"));
        return 0;
    }
}
