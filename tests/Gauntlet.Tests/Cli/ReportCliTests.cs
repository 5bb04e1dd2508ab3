using System.Xml.Linq;
using Gauntlet.Results;
using Gauntlet.Tests.Reports;

namespace Gauntlet.Tests.Cli;

/// <summary>`gauntlet run` report outputs, `gauntlet report` and `gauntlet compare`, through the built tool.</summary>
public sealed class ReportCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-cli-reports-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private const string Monitored = """
        name: watched
        operation:
          synthetic: { latency: 1ms }
        load:
          closed: { workers: 2 }
        duration: 2s
        monitor: { interval: 250ms, warmup: 500ms }
        thresholds: ["max(fds) < 100000", "max(rss) < 8GB"]
        """;

    private async Task<string> StoredResultAsync(string name, RunResult result)
    {
        var path = PathOf(name);
        await ResultFile.WriteAsync(result, path);
        return path;
    }

    [Fact]
    public async Task Run_writes_html_and_junit_beside_the_result_with_monitored_resources()
    {
        var file = PathOf("monitored.yaml");
        await File.WriteAllTextAsync(file, Monitored);
        var output = PathOf("out");
        var run = await CliProcess.RunAsync("run", file, "--out", output, "--junit");

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = await ResultFile.ReadAsync(Path.Combine(output, "result.json"));
        var resources = Assert.Single(result.Scenarios).Resources;
        Assert.NotNull(resources?.SelfFigures);
        Assert.True(resources.Self.Count >= 6, $"{resources.Self.Count} samples");
        Assert.Equal(0.25, resources.IntervalSeconds);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));
        Assert.Contains("<figure class=\"chart wide\" id=\"s0-throughput\" data-kind=\"time\">", html, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"s0-target-rss\"", html, StringComparison.Ordinal);
        var junit = XDocument.Load(Path.Combine(output, "junit.xml"));
        Assert.Equal("watched", junit.Descendants("testcase").Single().Attribute("name")!.Value);
        Assert.Contains("junit: ", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("md", "# Gauntlet stress test report")]
    [InlineData("html", "<!DOCTYPE html>")]
    [InlineData("junit", "<testsuites name=\"gauntlet\"")]
    [InlineData("json", "\"schemaVersion\": 4")]
    public async Task Report_renders_a_stored_result_in_each_format(string format, string expected)
    {
        var input = await StoredResultAsync("result.json", ReportSamples.Run(ReportSamples.ClosedPassed()));
        var output = PathOf("report." + format);

        var toFile = await CliProcess.RunAsync("report", input, "--format", format, "--out", output);
        var toStdout = await CliProcess.RunAsync("report", input, "--format", format);

        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.Contains(expected, await File.ReadAllTextAsync(output), StringComparison.Ordinal);
        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        Assert.Contains(expected, toStdout.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_draws_a_baseline_given_on_the_command_line_and_refuses_a_missing_one()
    {
        var input = await StoredResultAsync("new.json", ReportSamples.Run(ReportSamples.ClosedPassed()));
        var old = await StoredResultAsync("old.json", ReportSamples.Run(ReportSamples.ClosedPassed()));

        var drawn = await CliProcess.RunAsync("report", input, "--format", "html", "--baseline", old);
        var missing = await CliProcess.RunAsync("report", input, "--format", "html", "--baseline", PathOf("absent.json"));

        Assert.True(drawn.ExitCode == 0, drawn.ToString());
        Assert.Contains("\"label\":\"baseline latency\"", drawn.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Dashed: the same scenario in the baseline run {old}", drawn.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("gauntlet report: --baseline ", missing.Stderr, StringComparison.Ordinal);
    }

    private const string Search = """
        name: fan
        operation:
          synthetic: { latency: 1ms }
        load:
          closed: { workers: 1 }
        duration: 300ms
        thresholds: ["error_rate == 0"]
        search: { parameter: workers, from: 1, to: 2, mode: step, step: 1 }
        """;

    [Theory]
    [InlineData("md", "## Search: fan over workers")]
    [InlineData("html", "<h2>Search: fan over workers")]
    [InlineData("junit", "<testcase name=\"search: fan over workers\"")]
    [InlineData("json", "\"searches\": [")]
    public async Task Report_renders_the_result_of_a_search_in_each_format(string format, string expected)
    {
        var file = PathOf("search.yaml");
        await File.WriteAllTextAsync(file, Search);
        var run = await CliProcess.RunAsync("run", file, "--out", PathOf("search"));
        Assert.True(run.ExitCode == 0, run.ToString());

        var report = await CliProcess.RunAsync("report", Path.Combine(PathOf("search"), "result.json"), "--format", format);

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains(expected, report.Stdout, StringComparison.Ordinal);
        Assert.Contains(format == "json" ? "\"largestPassing\"" : "largest passing", report.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("md", "# Gauntlet test report")]
    [InlineData("html", "<h1>Gauntlet test report</h1>")]
    [InlineData("junit", "<testsuite name=\"/bin/sh -c exit 3\"")]
    [InlineData("json", "\"kind\": \"test-run\"")]
    public async Task Report_renders_the_result_of_gauntlet_test_in_each_format(string format, string expected)
    {
        var test = await CliProcess.RunAsync("test", "--out", PathOf("tests"), "--", "/bin/sh", "-c", "exit 3");
        Assert.True(test.ExitCode == 1, test.ToString());

        var report = await CliProcess.RunAsync("report", Path.Combine(PathOf("tests"), "result.json"), "--format", format);

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains(expected, report.Stdout, StringComparison.Ordinal);
        Assert.Contains(format == "json" ? "\"status\": \"failed\"" : format == "junit" ? "<failure message=\"exit 3\"" : "exit 3", report.Stdout, StringComparison.Ordinal);
        if (format == "md") Assert.Equal((await File.ReadAllTextAsync(Path.Combine(PathOf("tests"), "report.md"))).TrimEnd('\n'), report.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public async Task Report_of_a_broken_test_run_exits_2_and_says_where()
    {
        var broken = PathOf("broken-test-run.json");
        await File.WriteAllTextAsync(broken, "{\n  \"kind\": \"test-run\",\n  \"schemaVersion\": 1,\n  \"counts\": \"many\"\n}\n");

        var report = await CliProcess.RunAsync("report", broken);

        Assert.True(report.ExitCode == 2, report.ToString());
        Assert.Contains($"{broken}: line 4", report.Stderr, StringComparison.Ordinal);
        Assert.Contains("test-run schema", report.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", report.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_of_a_missing_or_broken_file_or_unknown_format_exits_2_without_a_stack_trace()
    {
        var broken = PathOf("broken.json");
        await File.WriteAllTextAsync(broken, "{ \"schemaVersion\": 1, \"environment\": ");

        var missing = await CliProcess.RunAsync("report", PathOf("nope.json"));
        var cut = await CliProcess.RunAsync("report", broken, "--format", "html");
        var format = await CliProcess.RunAsync("report", broken, "--format", "pdf");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, cut.ExitCode);
        Assert.Contains("broken.json: line 1, column", cut.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, format.ExitCode);
        Assert.Contains("'pdf'", format.Stderr, StringComparison.Ordinal);
        foreach (var run in (CliProcess.Run[])[missing, cut, format])
            Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_exits_1_on_a_regression_0_without_and_2_on_bad_flags()
    {
        var baseline = ReportSamples.ClosedPassed("svc");
        var slower = baseline with
        {
            Timeline = [.. baseline.Timeline.Select((p, i) => p with { Completed = p.Completed * 8 / 10 + i, P99Micros = p.P99Micros * 1.3 + i })],
            Throughput = baseline.Throughput with { Overall = baseline.Throughput.Overall * 0.8 },
            Latency = baseline.Latency with { P99Micros = baseline.Latency.P99Micros * 1.3 },
        };
        var same = baseline with { Timeline = [.. baseline.Timeline.Select((p, i) => p with { Completed = p.Completed + i })] };
        var old = await StoredResultAsync("old.json", ReportSamples.Run(baseline));
        var bad = await StoredResultAsync("bad.json", ReportSamples.Run(slower));
        var fine = await StoredResultAsync("fine.json", ReportSamples.Run(same));

        var regressed = await CliProcess.RunAsync("compare", old, bad);
        var unchanged = await CliProcess.RunAsync("compare", old, fine, "--out", PathOf("comparison.md"));
        var flag = await CliProcess.RunAsync("compare", old, fine, "--tolerance", "ten");

        Assert.True(regressed.ExitCode == 1, regressed.ToString());
        Assert.Contains("| svc | `throughput` |", regressed.Stdout, StringComparison.Ordinal);
        Assert.Contains("REGRESSED", regressed.Stdout, StringComparison.Ordinal);
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.Contains("NO REGRESSION", await File.ReadAllTextAsync(PathOf("comparison.md")), StringComparison.Ordinal);
        Assert.Equal(2, flag.ExitCode);
        Assert.Contains("--tolerance", flag.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_a_baseline_that_cannot_be_read_exits_2_before_running()
    {
        var file = PathOf("monitored.yaml");
        await File.WriteAllTextAsync(file, Monitored);
        var run = await CliProcess.RunAsync("run", file, "--out", PathOf("out"), "--baseline", PathOf("missing.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--baseline", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(PathOf("out"), "result.json")));
    }
}
