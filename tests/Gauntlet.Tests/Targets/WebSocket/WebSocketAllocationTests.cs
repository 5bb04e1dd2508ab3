using System.Net;
using System.Net.WebSockets;
using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Servers;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.WebSocket;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Targets.WebSocket;

/// <summary>
/// What a message on a kept connection allocates, next to a bare <see cref="ClientWebSocket"/> loop (send, receive)
/// against the same server in the same process: the server's own allocations are in both, and cancel out. Each
/// figure is a long run minus a short one, so set-up costs cancel out too.
/// </summary>
public sealed class WebSocketAllocationTests
{
    [Fact]
    public async Task A_message_allocates_little_beyond_what_a_bare_client_websocket_loop_does()
    {
        await using var server = await BuiltinHttpServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var url = $"ws://127.0.0.1:{server.Address.Port}/ws";
        var options = new WebSocketOptions { Url = Template.Constant(url), Send = WebSocketMessage.FromText("hello websocket") };
        await Run(options, 2_000);   // compile everything first
        await BareLoop(url, 2_000);

        var shortRun = await AllocatedDuring(() => Run(options, 2_000));
        var longRun = await AllocatedDuring(() => Run(options, 12_000));
        var perMessage = (longRun - shortRun) / 10_000.0;
        var bare = (await BareLoop(url, 12_000) - await BareLoop(url, 2_000)) / 10_000.0;

        // Debug builds compile every async method into a class, one object per call however its box is pooled;
        // Release builds pool them, and the operation adds next to nothing to what ClientWebSocket itself costs.
        var optimized = typeof(WebSocketOperation).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            is not [System.Diagnostics.DebuggableAttribute { IsJITOptimizerDisabled: true }];
        var bound = bare + (optimized ? 64 : 1_500);
        Assert.True(perMessage < bound,
            $"{perMessage:F1} bytes allocated per message ({(optimized ? "optimized" : "debug")} build; a bare ClientWebSocket loop allocates {bare:F1}; bound {bound:F1})");
    }

    private static Task<ScenarioResult> Run(WebSocketOptions options, long messages) =>
        RunHelpers.RunOne(new WebSocketOperation(options).ToScenario("ws-alloc")
            .WithLoad(new IterationsProfile { Workers = 1, Iterations = messages })
            .WithTimeout(TimeSpan.FromSeconds(20)));

    private static async Task<long> BareLoop(string url, int messages)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(url), CancellationToken.None);
        var message = "hello websocket"u8.ToArray();
        var buffer = new byte[4096];
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < messages; i++)
        {
            await socket.SendAsync(message.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            ValueWebSocketReceiveResult received;
            do received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            while (!received.EndOfMessage);
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return allocated;
    }

    private static async Task<long> AllocatedDuring(Func<Task<ScenarioResult>> run)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await run();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        Assert.Equal(result.Counts.Started, result.Counts.Ok);
        return after - before;
    }
}
