namespace GuideSamples;

using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.WebSocket;

public static class WebSocketSamples
{
    /// <summary>Four connections, 50 echoed messages each, against the built-in server's /ws endpoint.</summary>
    public static async Task<RunResult> EchoAsync()
    {
        // <sample:websocket>
        var chat = new WebSocketOperation(new WebSocketOptions
        {
            Url = Template.Constant("builtin:http/ws"),   // or ws://HOST:PORT/PATH, wss://...
            Headers = [new("Authorization", Template.Constant("Bearer x"))],
            Send = WebSocketMessage.FromText("hello"),     // or WebSocketMessage.Generated(64), FromBytes(...)
            Expect = WebSocketExpectation.Echo,           // or None, Exactly(template), Containing, Matching(regex), Json(path, value)
            Connect = WebSocketConnectMode.PerWorker,     // one connection held open by each worker
        });

        var scenario = Scenario.Create("ws-echo", chat)
            .WithLoad(LoadProfile.IterationsPerWorker(workers: 4, iterations: 50))
            .WithThresholds("count(ok) == 200", "error_rate == 0");

        var result = await new Runner().RunAsync(scenario);
        var ws = result.Scenarios[0].WebSocket!;   // 200 sent, 200 received, 0 lost; 4 connections and their connect time
        // </sample:websocket>
        return result;
    }
}
