namespace Gauntlet.Tests.Cli;

/// <summary>
/// An INVALID run through the built tool: exit code 6, every report spelling INVALID, <c>accept: true</c> turning it
/// into warnings, and a missed threshold outranking it (exit 1).
/// </summary>
public sealed class InvalidCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-invalid-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>200 arrivals a second for 2 s into 2 slots held 100 ms each: at most 20 a second start, the rest are dropped.</summary>
    private async Task<string> ScenarioAsync(string name, string extra)
    {
        var path = PathOf(name + ".yaml");
        await File.WriteAllTextAsync(path, $$"""
            name: starved
            operation: { synthetic: { latency: 100ms } }
            load: { open: { rate: 200/s, maxInFlight: 2 } }
            duration: 2s
            {{extra}}
            """);
        return path;
    }

    [Fact]
    public async Task A_run_whose_generator_dropped_its_arrivals_exits_6_and_every_report_says_INVALID()
    {
        var file = await ScenarioAsync("invalid", "");

        var run = await CliProcess.RunAsync("run", file, "--out", PathOf("out"), "--junit");

        Assert.True(run.ExitCode == 6, run.ToString());
        Assert.Contains("INVALID", run.Stdout, StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(PathOf("out/report.md"));
        Assert.Contains("- **Result:** INVALID (0 of 1 scenario passed, 1 INVALID)", markdown, StringComparison.Ordinal);
        Assert.Contains("**Status:** INVALID", markdown, StringComparison.Ordinal);
        var junit = await File.ReadAllTextAsync(PathOf("out/junit.xml"));
        Assert.Contains("<error message=\"the load asked for was not delivered", junit, StringComparison.Ordinal);
        Assert.Contains("type=\"generatorLimited\"", junit, StringComparison.Ordinal);
        Assert.Contains("errors=\"1\"", junit, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(PathOf("out/report.html"));
        Assert.Contains(">INVALID</", html, StringComparison.Ordinal);
        var json = await File.ReadAllTextAsync(PathOf("out/result.json"));
        Assert.Contains("\"verdict\": \"invalid\"", json, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"generatorLimited\"", json, StringComparison.Ordinal);
        Assert.Contains("above the 1% tolerance (validity.dropped)", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_run_accepted_by_its_scenario_exits_0_with_the_reason_as_a_warning()
    {
        var file = await ScenarioAsync("accepted", "validity: { accept: true }");

        var run = await CliProcess.RunAsync("run", file, "--out", PathOf("out"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("PASSED", run.Stdout, StringComparison.Ordinal);
        var json = await File.ReadAllTextAsync(PathOf("out/result.json"));
        Assert.Contains("\"code\": \"invalidAccepted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"validity\": {", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missed_threshold_on_the_same_run_outranks_invalid_and_exits_1()
    {
        var file = await ScenarioAsync("failed", "thresholds: [\"p99 < 1ms\"]");

        var run = await CliProcess.RunAsync("run", file, "--out", PathOf("out"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("FAILED", run.Stdout, StringComparison.Ordinal);
        var json = await File.ReadAllTextAsync(PathOf("out/result.json"));
        Assert.Contains("\"code\": \"thresholdMissed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"generatorLimited\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quick_mode_accept_invalid_writes_the_validity_switch_into_the_scenario()
    {
        var printed = await CliProcess.RunAsync("http", "http://127.0.0.1:9/", "--rate", "100", "--accept-invalid", "--print-yaml");

        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Contains("validity: { accept: true }", printed.Stdout, StringComparison.Ordinal);
    }
}
