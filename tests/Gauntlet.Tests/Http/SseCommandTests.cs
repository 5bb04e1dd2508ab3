using System.Net;
using Gauntlet.Results;
using Gauntlet.Servers;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Http;

/// <summary>The built-in HTTP server on a free loopback port, clear text, for the quick mode's streams.</summary>
public sealed class BuiltinServer : IAsyncLifetime
{
    private BuiltinHttpServer? _server;

    /// <summary>The base URL without a trailing slash.</summary>
    public string Url { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _server = await BuiltinHttpServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        Url = _server.Address.ToString().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary><c>gauntlet http URL --sse</c>: the summary's stream lines, and the scenario its <c>--print-yaml</c> prints runs the same.</summary>
public sealed class SseCommandTests(BuiltinServer server) : IClassFixture<BuiltinServer>
{
    [Fact]
    public async Task Sse_flags_and_their_printed_yaml_run_as_the_same_scenario()
    {
        using var folder = new TempFolder();
        string[] flags = ["http", server.Url + "/sse?events=4&size=2", "--sse-until", "[DONE]", "-c", "2", "-n", "10", "--threshold", "count(ok) == 10"];

        var printed = await CliProcess.RunAsync([.. flags, "--print-yaml"]);
        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Contains("    stream: sse\n    until: \"[DONE]\"\n", printed.Stdout);
        var file = folder.File("scenario.yaml");
        await File.WriteAllTextAsync(file, printed.Stdout);
        var quick = await CliProcess.RunAsync([.. flags, "--out", folder.File("quick")]);
        var run = await CliProcess.RunAsync("run", file, "--out", folder.File("run"));

        Assert.True(quick.ExitCode == 0, quick.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Server-Sent Events: 10 streams, 50 events, 0 cut", quick.Stdout);
        Assert.Contains("first event:", quick.Stdout);
        foreach (var name in new[] { "quick", "run" })
        {
            var scenario = Assert.Single((await ResultFile.ReadAsync(folder.File(name, "result.json"))).Scenarios);
            Assert.Equal((10, 50L), (scenario.Counts.Ok, scenario.Http!.Sse!.Events));
        }
        var markdown = await File.ReadAllTextAsync(folder.File("quick", "report.md"));
        Assert.Contains("#### Phases and events", markdown);
        Assert.Contains("| time to first byte | 10 |", markdown);
        Assert.Contains("| events per stream | 10 | 5 | 5 | 5 | 5 | streams |", markdown);
        Assert.Contains("<h3>HTTP phases</h3>", await File.ReadAllTextAsync(folder.File("quick", "report.html")));
    }

    [Theory]
    [InlineData("--engine", "raw", "--sse reads responses through HttpClient")]
    [InlineData("-m", "HEAD", "--sse needs a response body")]
    public async Task Sse_with_a_combination_it_cannot_serve_exits_2(string flag, string value, string expected)
    {
        var run = await CliProcess.RunAsync("http", server.Url + "/sse", "--sse", flag, value, "-n", "1");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Stderr);
    }
}
