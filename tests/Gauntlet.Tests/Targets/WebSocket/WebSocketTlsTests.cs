using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.WebSocket;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.Http;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Targets.WebSocket;

/// <summary><c>wss://</c> against the built-in server's <c>/ws</c> echo over TLS, with a self-signed certificate made in memory.</summary>
public sealed class WebSocketTlsTests(TlsServer server) : IClassFixture<TlsServer>
{
    private string WssUrl => "wss://" + server.Url["https://".Length..] + "/ws";

    private WebSocketOptions Echo(bool insecure)
    {
        Assert.True(Template.TryParse(WssUrl, [], out var url, out _, out var error), error);
        Assert.True(Template.TryParse("tls {{worker}}-{{iteration}}", [], out var send, out _, out error), error);
        return new WebSocketOptions { Url = url, Send = WebSocketMessage.FromText(send), Insecure = insecure };
    }

    private static Task<ScenarioResult> RunAsync(WebSocketOptions options, int workers, long perWorker) =>
        RunHelpers.RunOne(new WebSocketOperation(options).ToScenario("wss-test")
            .WithLoad(new IterationsProfile { Workers = workers, Iterations = perWorker })
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithGracePeriod(TimeSpan.FromSeconds(10)));

    [Fact]
    public async Task Insecure_accepts_a_self_signed_certificate_and_every_message_is_echoed()
    {
        var result = await RunAsync(Echo(insecure: true), workers: 3, perWorker: 40);

        Assert.Equal(120, result.Counts.Ok);
        var ws = result.WebSocket!;
        Assert.Equal(120, ws.MessagesSent);
        Assert.Equal(120, ws.MessagesReceived);
        Assert.Equal(0, ws.MessagesLost);
        Assert.Equal(3, ws.ConnectionsOpened);
        Assert.Equal(ws.BytesOut, ws.BytesIn);
    }

    [Fact]
    public async Task Without_insecure_every_connect_fails_as_tls_and_says_what_to_do()
    {
        var result = await RunAsync(Echo(insecure: false), workers: 2, perWorker: 3);

        Assert.Equal(6, result.Counts.Started);
        Assert.Equal(0, result.Counts.Ok);
        Assert.Equal(6, result.Counts.Failed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(HttpErrors.Tls, error.Kind);
        Assert.Equal(6, error.Count);
        Assert.Contains("certificate", error.SampleMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("insecure: true (gauntlet websocket -k)", error.SampleMessage, StringComparison.Ordinal);
        Assert.Equal(0, result.WebSocket!.ConnectionsOpened);
    }

    [Fact]
    public async Task Quick_mode_echoes_over_wss_with_k_and_without_it_fails_with_exit_1_and_no_stack_trace()
    {
        using var folder = new TempFolder();
        string[] flags = ["websocket", WssUrl, "-c", "2", "-n", "20"];

        var insecure = await CliProcess.RunAsync([.. flags, "-k", "--out", folder.File("insecure")]);
        var strict = await CliProcess.RunAsync([.. flags, "--out", folder.File("strict")]);

        Assert.True(insecure.ExitCode == 0, insecure.ToString());
        var ok = Assert.Single((await ResultFile.ReadAsync(folder.File("insecure", "result.json"))).Scenarios);
        Assert.Equal(20, ok.Counts.Ok);
        Assert.Equal(20, ok.WebSocket!.MessagesReceived);
        Assert.True(strict.ExitCode == 1, strict.ToString());
        var failed = Assert.Single((await ResultFile.ReadAsync(folder.File("strict", "result.json"))).Scenarios);
        Assert.Equal(0, failed.Counts.Ok);
        Assert.Equal(failed.Counts.Started, failed.Errors.Where(e => e.Kind == HttpErrors.Tls).Sum(e => e.Count));
        Assert.Contains("insecure: true (gauntlet websocket -k)", failed.Errors.Single(e => e.Kind == HttpErrors.Tls).SampleMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", strict.Stdout + strict.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_file_with_insecure_true_echoes_over_wss()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("wss.yaml"), $$$"""
            name: wss
            operation:
              websocket:
                url: "{{{WssUrl}}}"
                send: "hello {{iteration}}"
                insecure: true
            iterations: 25
            thresholds: ["count(ok) == 25"]
            """);

        var run = await CliProcess.RunAsync("run", folder.File("wss.yaml"), "--out", folder.File("out"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(25, Assert.Single((await ResultFile.ReadAsync(folder.File("out", "result.json"))).Scenarios).WebSocket!.MessagesReceived);
    }
}
