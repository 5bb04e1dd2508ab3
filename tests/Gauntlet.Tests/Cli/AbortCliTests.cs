using Gauntlet.Results;
using Gauntlet.ScenarioFiles;

namespace Gauntlet.Tests.Cli;

/// <summary>A threshold that aborts, end to end through the built tool: exit code, result file, report line, quick-mode flag.</summary>
public sealed class AbortCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-abort-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Fast (1 ms) until the target freezes at 1 s for 1.5 s: the operations caught in it take about 1.5 s and complete
    // at about 2.5 s, so 'max < 500ms', watched from the start, fails at the end of second 3 and stops a 60 s run.
    private const string TurnsSlow = """
        name: turns-slow
        operation:
          synthetic: { latency: 1ms, stallAfter: 1s, stallFor: 1500ms }
        load:
          closed: { workers: 2 }
        duration: 60s
        thresholds:
          - "count(ok) > 0"
          - { threshold: "max < 500ms", abort: true }
        """;

    [Fact]
    public async Task A_run_whose_watched_threshold_fails_stops_early_writes_its_result_and_exits_1()
    {
        var file = Path.Combine(_folder, "slow.yaml");
        await File.WriteAllTextAsync(file, TurnsSlow);
        var output = Path.Combine(_folder, "out");

        var run = await CliProcess.RunAsync("run", file, "--out", output);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("aborted at ", run.Stdout, StringComparison.Ordinal);
        var scenario = Assert.Single((await ResultFile.ReadAsync(Path.Combine(output, "result.json"))).Scenarios);
        var aborted = Assert.IsType<ScenarioAbort>(scenario.Aborted);
        Assert.Equal("max < 500ms", aborted.Threshold);
        Assert.InRange(aborted.AtSecond, 2, 10);
        Assert.True(scenario.IssuingSeconds < 30, $"issuing went on for {scenario.IssuingSeconds}s");
        Assert.Equal(ReasonCode.Aborted, scenario.Reasons[0].Code);
        Assert.True(scenario.Counts.Balanced, scenario.Counts.ToString());
        Assert.Equal(scenario.Counts.Started, scenario.Counts.Completed + scenario.Counts.CutOff);
        Assert.Contains("aborted at ", await File.ReadAllTextAsync(Path.Combine(output, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_on_becomes_an_aborting_threshold_of_the_printed_scenario()
    {
        var printed = await CliProcess.RunAsync("http", "http://127.0.0.1:9/", "--threshold", "error_rate < 1%", "--abort-on", "p99 < 50ms over 10s", "--print-yaml");

        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Contains("thresholds: [\"error_rate < 1%\", { threshold: \"p99 < 50ms over 10s\", abort: true }]", printed.Stdout, StringComparison.Ordinal);
        var scenario = Assert.Single(ScenarioFile.Parse(printed.Stdout, "printed.yaml").Scenarios);
        Assert.Equal([null, TimeSpan.Zero], scenario.Thresholds.Select(t => t.AbortAfter));
    }

    [Fact]
    public async Task Tcp_takes_abort_on_too_beside_its_default_threshold()
    {
        var printed = await CliProcess.RunAsync("tcp", "127.0.0.1:9", "--abort-on", "error_rate < 1% over 5s", "--print-yaml");

        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Contains("thresholds: [\"error_rate == 0%\", { threshold: \"error_rate < 1% over 5s\", abort: true }]", printed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_on_a_metric_known_only_at_the_end_exits_2_and_says_why()
    {
        var run = await CliProcess.RunAsync("http", "http://127.0.0.1:9/", "--abort-on", "cv(throughput) < 5%", "--print-yaml");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--abort-on 'cv(throughput) < 5%': 'cv(throughput)' cannot abort a run", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
