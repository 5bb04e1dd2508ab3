using System.Text.Json;
using Gauntlet.Results;
using Gauntlet.Tests.Http;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Cli;

/// <summary>
/// The quick modes are scenarios: <c>gauntlet http</c> and <c>gauntlet tcp</c> turn their flags into the scenario file
/// <c>--print-yaml</c> shows, run it through the same pipeline as <c>gauntlet run</c>, and judge it by the same rules.
/// </summary>
public sealed class QuickModeTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    [Fact]
    public async Task Http_flags_and_their_printed_yaml_run_as_the_same_scenario()
    {
        using var folder = new TempFolder();
        string[] flags = ["http", server.Url + "/echo", "-m", "POST", "--body", "{\"n\": \"a\\tb\"}", "-H", "Content-Type: application/json", "-c", "2", "-n", "40", "--threshold", "count(ok) == 40"];

        var (quick, fromFlags, fromFile) = await RoundTripAsync(flags, folder);

        Assert.Equal(40, fromFlags.Counts.Ok);
        Assert.Equal(40, fromFile.Counts.Ok);
        Assert.Equal(fromFlags.Http!.BytesOut, fromFile.Http!.BytesOut);
        // The same reports as gauntlet run, and the wrk-like summary on top.
        Assert.True(File.Exists(folder.File("quick", "report.md")));
        Assert.Contains("Acceptance criteria", quick.Stdout);
        Assert.Contains("Requests/sec:", quick.Stdout);
    }

    [Fact]
    public async Task Http_writes_its_reports_to_a_default_folder_and_says_where()
    {
        using var folder = new TempFolder();
        var run = await CliProcess.RunAsync(["http", server.Url + "/ok", "-c", "2", "-n", "10"], TimeSpan.FromSeconds(60), null, folder.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var html = Assert.Single(Directory.GetFiles(folder.Path, "report.html", SearchOption.AllDirectories));
        Assert.StartsWith(Path.Combine(folder.Path, "gauntlet-results"), html, StringComparison.Ordinal);
        Assert.Contains("report: gauntlet-results/", run.Stdout);
    }

    [Fact]
    public async Task A_failed_threshold_fails_the_quick_mode_with_exit_1()
    {
        using var folder = new TempFolder();
        var run = await CliProcess.RunAsync("http", server.Url + "/ok", "-c", "2", "-n", "10", "--threshold", "count(ok) == 11", "--out", folder.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        var threshold = Assert.Single(Assert.Single((await ResultFile.ReadAsync(folder.File("result.json"))).Scenarios).Thresholds);
        Assert.Equal("count(ok) == 11", threshold.Expression);
        Assert.False(threshold.Passed);
    }

    [Fact]
    public async Task A_run_where_every_request_failed_is_a_failure_never_a_pass()
    {
        using var folder = new TempFolder();
        var run = await CliProcess.RunAsync("http", server.Url + "/status/503", "-c", "2", "-n", "10", "--out", folder.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        var scenario = Assert.Single((await ResultFile.ReadAsync(folder.File("result.json"))).Scenarios);
        Assert.Equal(Verdict.Failed, scenario.Verdict);
        Assert.Contains(scenario.Reasons, r => r.Message.StartsWith("no operation succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_threshold_names_the_flag_and_exits_2()
    {
        var run = await CliProcess.RunAsync("http", server.Url + "/ok", "-n", "1", "--threshold", "p99 < fast");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("gauntlet http: --threshold 'p99 < fast':", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task Tcp_flags_and_their_printed_yaml_run_as_the_same_scenario()
    {
        using var folder = new TempFolder();
        string[] flags = ["tcp", "builtin:echo", "-c", "20", "--per-connection", "2", "--batch", "5", "--every", "2ms", "--payload", "text:PING\\r\\n", "--expect", "text:PING\\r\\n"];

        var (_, fromFlags, fromFile) = await RoundTripAsync(flags, folder);

        Assert.Contains("payload: { text: \"PING\\\\r\\\\n\" }", await File.ReadAllTextAsync(folder.File("scenario.yaml")));
        Assert.Equal(40, fromFlags.Counts.Ok);
        Assert.Equal(40, fromFile.Counts.Ok);
    }

    /// <summary>
    /// Runs <paramref name="flags"/> once as given and once as the file their <c>--print-yaml</c> printed, through
    /// <c>gauntlet run</c>; both must pass and describe the same scenario.
    /// </summary>
    private static async Task<(CliProcess.Run Quick, ScenarioResult FromFlags, ScenarioResult FromFile)> RoundTripAsync(string[] flags, TempFolder folder)
    {
        var printed = await CliProcess.RunAsync([.. flags, "--print-yaml"]);
        Assert.True(printed.ExitCode == 0, printed.ToString());
        var file = folder.File("scenario.yaml");
        await File.WriteAllTextAsync(file, printed.Stdout);
        var quick = await CliProcess.RunAsync([.. flags, "--out", folder.File("quick")]);
        var run = await CliProcess.RunAsync("run", file, "--out", folder.File("run"));

        Assert.True(quick.ExitCode == 0, quick.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var fromFlags = Assert.Single((await ResultFile.ReadAsync(folder.File("quick", "result.json"))).Scenarios);
        var fromFile = Assert.Single((await ResultFile.ReadAsync(folder.File("run", "result.json"))).Scenarios);
        Assert.Equal(JsonSerializer.Serialize(fromFlags.Config), JsonSerializer.Serialize(fromFile.Config));
        Assert.True(File.Exists(folder.File("quick", "report.html")));
        return (quick, fromFlags, fromFile);
    }
}
