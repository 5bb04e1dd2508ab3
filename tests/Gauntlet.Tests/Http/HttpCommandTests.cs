using System.Net;
using System.Net.Sockets;
using Gauntlet.Results;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Http;

/// <summary><c>gauntlet http</c> as a user runs it: the built tool against the test server.</summary>
public sealed class HttpCommandTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    [Fact]
    public async Task Quick_mode_prints_a_wrk_like_summary_and_exits_0()
    {
        using var folder = new TempFolder();
        var run = await CliProcess.RunAsync("http", server.Url + "/ok", "-c", "4", "-n", "300", "--out", folder.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Running", run.Stdout);
        Assert.Contains("300 requests in", run.Stdout);
        Assert.Contains("Status codes: 200: 300", run.Stdout);
        Assert.Contains("Requests/sec:", run.Stdout);
        Assert.Contains("Transfer/sec:", run.Stdout);
        Assert.Contains("50%", run.Stdout);
        var result = await ResultFile.ReadAsync(folder.File("result.json"));
        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal(300, scenario.Counts.Ok);
        Assert.Equal(300, scenario.Http!.StatusCodes.Single(s => s.Code == 200).Count);
    }

    [Fact]
    public async Task Quick_mode_posts_a_body_with_headers_and_reports_wrong_statuses()
    {
        var posted = await CliProcess.RunAsync("http", server.Url + "/echo", "-m", "POST", "--body", "{\"a\":1}", "-H", "Content-Type: application/json", "-c", "2", "-n", "20");
        Assert.True(posted.ExitCode == 0, posted.ToString());
        Assert.Contains("Status codes: 200: 20", posted.Stdout);

        var failing = await CliProcess.RunAsync("http", server.Url + "/status/500", "-c", "2", "-n", "10");
        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.Contains("Status codes: 500: 10", failing.Stdout);
        Assert.Contains("wrong_status 10", failing.Stdout);
    }

    [Fact]
    public async Task Quick_mode_with_a_rate_runs_the_open_model()
    {
        using var folder = new TempFolder();
        var run = await CliProcess.RunAsync("http", server.Url + "/ok", "--rate", "100", "-c", "8", "-d", "1s", "--out", folder.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Arrivals: requested", run.Stdout);
        Assert.Contains("coordinated omission corrected", run.Stdout);
        var scenario = Assert.Single((await ResultFile.ReadAsync(folder.File("result.json"))).Scenarios);
        Assert.Equal(100, scenario.Arrivals!.Scheduled); // rate × duration, exactly
        Assert.Equal(scenario.Arrivals.Scheduled, scenario.Counts.Started + scenario.Counts.Dropped);
    }

    [Fact]
    public async Task Quick_mode_over_http2_reports_version_2()
    {
        var run = await CliProcess.RunAsync("http", server.Http2Url + "/json", "--http2", "-c", "2", "-n", "20");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("HTTP/2 on httpclient", run.Stdout);
    }

    [Fact]
    public async Task Unreachable_target_exits_3_with_a_message()
    {
        int port;
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        }
        var run = await CliProcess.RunAsync("http", $"http://127.0.0.1:{port}/ok", "-n", "10");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("cannot reach", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Theory]
    [InlineData("not-a-url", "is not an absolute http:// or https:// URL")]
    [InlineData("URL -n 5 -d 1s", "-d/--duration and -n/--requests both say when to stop")]
    [InlineData("URL -d 10parsecs", "--duration:")]
    [InlineData("URL -H NoColon", "expected 'Name: value'")]
    [InlineData("URL --body-file /no/such/file", "cannot read the file")]
    [InlineData("URL --engine turbo", "--engine: expected auto, raw or client")]
    public async Task Bad_flags_exit_2_without_a_stack_trace(string args, string message)
    {
        var run = await CliProcess.RunAsync(["http", .. args.Replace("URL", server.Url + "/ok").Split(' ')]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task Run_of_a_scenario_file_whose_server_is_down_exits_3_before_issuing()
    {
        using var folder = new TempFolder();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();   // nothing listens there now
        var file = Path.Combine(folder.Path, "down.yaml");
        await File.WriteAllTextAsync(file, $$"""
            name: down
            operation: { http: { url: "http://127.0.0.1:{{port}}/ok" } }
            iterations: 10
            """);

        var run = await CliProcess.RunAsync("run", file, "--out", Path.Combine(folder.Path, "out"));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"cannot reach 127.0.0.1:{port}: connection refused", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }
}
