using Gauntlet.Cli.Reports;
using System.Xml.Linq;
using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Process;
using Gauntlet.TestSuites;
using Gauntlet.Tests.Results;
using Gauntlet.Tests.ScenarioFiles;
using Gauntlet.Tests.Targets.Process;

namespace Gauntlet.Tests.TestSuites;

/// <summary>The isolating test runner against the adversarial fixtures: one status each, retries, stress mode, logs, reports.</summary>
public sealed class TestRunnerTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly ProcessFixtures _fixtures = new();
    private readonly TempFolder _results = new();

    public void Dispose()
    {
        _fixtures.Dispose();
        _results.Dispose();
    }

    private TestCase Fixture(string script, params string[] args) =>
        new(script, ProcessOptions.Command(_fixtures[script], args) with { KillGrace = TimeSpan.FromMilliseconds(300) });

    private TestRunOptions Options => new()
    {
        Jobs = 4,
        Timeout = TimeSpan.FromSeconds(1),
        LogFolder = _results.File("logs"),
        ResultsFolder = _results.Path,
    };

    [Fact]
    public async Task Every_fixture_ends_in_exactly_its_status_and_the_run_goes_on()
    {
        TestCase[] tests =
        [
            Fixture("pass.sh"), Fixture("fail.sh"), Fixture("segfault.sh"), Fixture("abort.sh"), Fixture("exit139.sh"),
            Fixture("ignore-term.sh"), Fixture("sleep-forever.sh"), Fixture("background-holds-stdout.sh"),
            Fixture("big-output.sh") with { Command = ProcessOptions.Command(_fixtures["big-output.sh"]) with { Timeout = TimeSpan.FromSeconds(60) } },
            Fixture("reads-stdin.sh"), Fixture("not-executable.sh"),
        ];
        var result = await new TestRunner(Options).RunAsync("fixtures", tests).WaitAsync(Bound);

        var status = result.Tests.ToDictionary(t => t.Name, t => t.Status);
        Assert.Equal(TestStatus.Passed, status["pass.sh"]);
        Assert.Equal(TestStatus.Failed, status["fail.sh"]);
        Assert.Equal(TestStatus.Crashed, status["segfault.sh"]);
        Assert.Equal(TestStatus.Crashed, status["abort.sh"]);
        Assert.Equal(TestStatus.Failed, status["exit139.sh"]);
        Assert.Equal(TestStatus.TimedOut, status["ignore-term.sh"]);
        Assert.Equal(TestStatus.TimedOut, status["sleep-forever.sh"]);
        Assert.Equal(TestStatus.Leaked, status["background-holds-stdout.sh"]);
        Assert.Equal(TestStatus.Passed, status["big-output.sh"]);
        Assert.Equal(TestStatus.Passed, status["reads-stdin.sh"]);
        Assert.Equal(TestStatus.Failed, status["not-executable.sh"]);

        var byName = result.Tests.ToDictionary(t => t.Name);
        Assert.Equal("SIGSEGV", byName["segfault.sh"].Detail);
        Assert.Equal("SIGABRT", byName["abort.sh"].Detail);
        Assert.Equal("exit 139", byName["exit139.sh"].Detail);
        Assert.Contains("SIGKILL", byName["ignore-term.sh"].Detail);
        Assert.Contains("EACCES", byName["not-executable.sh"].Detail);
        Assert.Equal(new TestCounts { Passed = 3, Failed = 3, Crashed = 2, TimedOut = 2, Leaked = 1 }, result.Counts);
        Assert.False(result.Passed);
    }

    [Fact]
    public async Task Output_of_a_failing_test_is_kept_with_its_full_log_and_passing_tests_stay_quiet()
    {
        var result = await new TestRunner(Options).RunAsync("logs", [Fixture("fail.sh"), Fixture("pass.sh")]).WaitAsync(Bound);
        var failed = result.Tests.Single(t => t.Name == "fail.sh");
        Assert.Equal("expected 4, got 5", failed.Output!.StderrTail);
        Assert.Equal("expected 4, got 5\n", File.ReadAllText(Path.Combine(_results.Path, failed.Output.StderrLog!)));
        var passed = result.Tests.Single(t => t.Name == "pass.sh");
        Assert.Null(passed.Output);
        Assert.Empty(Directory.GetFiles(_results.File("logs", "pass.sh")));
    }

    [Fact]
    public async Task A_test_that_passes_on_retry_is_flaky_not_passed()
    {
        var marker = _results.File("flaky-marker");
        var result = await new TestRunner(Options with { Retries = 2 }).RunAsync("retries", [Fixture("flaky.sh", marker), Fixture("fail.sh")]).WaitAsync(Bound);
        var flaky = result.Tests.Single(t => t.Name == "flaky.sh");
        Assert.Equal(TestStatus.Flaky, flaky.Status);
        Assert.Equal(2, flaky.Runs);
        Assert.Equal([TestStatus.Failed, TestStatus.Passed], flaky.Attempts.Select(a => a.Status));
        var failing = result.Tests.Single(t => t.Name == "fail.sh");
        Assert.Equal(TestStatus.Failed, failing.Status);
        Assert.Equal(3, failing.Runs);
        Assert.Equal(1, result.Counts.Flaky);
        Assert.Equal(0, result.Counts.Passed);
    }

    [Fact]
    public async Task Stress_mode_reports_the_pass_rate_and_the_first_failing_run()
    {
        // Runs 0..7 by {iteration}: those where iteration % 4 == 3 fail (runs 4 and 8).
        var test = new TestCase("modulo", ProcessOptions.ShellScript("echo run {iteration}; [ $(( {iteration} % 4 )) -ne 3 ]"));
        var result = await new TestRunner(Options with { Repeat = 8 }).RunAsync("stress", [test]).WaitAsync(Bound);
        var single = Assert.Single(result.Tests);
        Assert.Equal(TestStatus.Failed, single.Status);
        Assert.Equal(8, single.Runs);
        Assert.Equal(6, single.PassedRuns);
        Assert.Equal(0.75, single.PassRate);
        Assert.Equal(4, single.Output!.Run);
        Assert.Equal("run 3", single.Output.StdoutTail);
        Assert.Equal([4, 8], single.Attempts.Select(a => a.Run));
    }

    [Fact]
    public async Task Until_fail_stops_starting_runs_after_a_failure()
    {
        var test = new TestCase("third-fails", ProcessOptions.ShellScript("[ {iteration} -lt 2 ]"));
        var result = await new TestRunner(Options with { Repeat = 200, UntilFail = true, Jobs = 1 }).RunAsync("until-fail", [test]).WaitAsync(Bound);
        var single = Assert.Single(result.Tests);
        Assert.Equal(TestStatus.Failed, single.Status);
        Assert.InRange(single.Runs, 3, 199);
        Assert.Contains("stopped after the first failure", single.Detail);
    }

    [Fact]
    public async Task A_missed_threshold_fails_a_passing_test()
    {
        var test = new TestCase("slow", ProcessOptions.ShellScript("sleep 0.1")) { Thresholds = ["max < 1ms", "success_rate == 100%"] };
        var result = await new TestRunner(Options).RunAsync("thresholds", [test]).WaitAsync(Bound);
        var single = Assert.Single(result.Tests);
        Assert.Equal(TestStatus.Failed, single.Status);
        Assert.StartsWith("threshold max < 1ms missed", single.Detail);
        Assert.Equal([false, true], single.Thresholds.Select(t => t.Passed));
    }

    [Fact]
    public async Task Peak_rss_is_a_threshold_metric_of_a_test()
    {
        // allocate.sh holds about 64 MB for 0.2 s: a 32 MB bound fails, a 1 GB bound holds.
        var tight = Fixture("allocate.sh") with { Name = "tight", Thresholds = ["max(rss) < 32MB"] };
        var loose = Fixture("allocate.sh") with { Name = "loose", Thresholds = ["max(rss) < 1GB"] };
        var result = await new TestRunner(Options with { Timeout = TimeSpan.FromSeconds(30), Jobs = 1 }).RunAsync("rss", [tight, loose]).WaitAsync(Bound);

        var byName = result.Tests.ToDictionary(t => t.Name);
        Assert.Equal(TestStatus.Failed, byName["tight"].Status);
        Assert.StartsWith("threshold max(rss) < 32MB missed", byName["tight"].Detail);
        Assert.Equal(TestStatus.Passed, byName["loose"].Status);
    }

    [Fact]
    public async Task Junit_and_json_and_markdown_say_the_same()
    {
        var result = await new TestRunner(Options).RunAsync("reports", [Fixture("pass.sh"), Fixture("fail.sh"), Fixture("segfault.sh"), Fixture("sleep-forever.sh")]).WaitAsync(Bound);

        var junit = XDocument.Parse(JUnitReport.Render(result));
        var suite = junit.Root!.Element("testsuite")!;
        Assert.Equal("4", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("2", suite.Attribute("errors")!.Value);
        Assert.Equal("crashed", suite.Elements("testcase").Single(t => t.Attribute("name")!.Value == "segfault.sh").Element("error")!.Attribute("type")!.Value);

        var json = TestResultJson.Serialize(result);
        Assert.Contains("\"status\": \"timedOut\"", json);
        var back = TestResultJson.Deserialize(json)!;
        Assert.Equal(result.Counts, back.Counts);

        var markdown = TestMarkdownReport.Render(result);
        Assert.Contains("4 tests: 1 passed, 0 flaky, 1 failed, 1 crashed, 1 timed out, 0 leaked, 0 skipped", markdown);
        Assert.Contains("### CRASH segfault.sh", markdown);
        Assert.DoesNotContain("### PASS", markdown);
    }

    [Fact]
    public async Task A_skip_exit_code_makes_a_skipped_test_counted_apart_never_retried_never_a_failure()
    {
        TestCase[] tests =
        [
            new("skips", ProcessOptions.ShellScript("echo no network here; exit 77")) { SkipExitCodes = [77] },
            new("python-skip", ProcessOptions.ShellScript("exit 4")) { SkipExitCodes = [77, 4] },
            new("no-skip-codes", ProcessOptions.ShellScript("exit 77")),
            Fixture("pass.sh"),
        ];
        var result = await new TestRunner(Options with { Retries = 2 }).RunAsync("skips", tests).WaitAsync(Bound);

        var byName = result.Tests.ToDictionary(t => t.Name);
        Assert.Equal(TestStatus.Skipped, byName["skips"].Status);
        Assert.Equal("skipped (exit 77)", byName["skips"].Detail);
        Assert.Equal(1, byName["skips"].Runs);
        Assert.Equal(TestStatus.Skipped, byName["python-skip"].Status);
        Assert.Equal(TestStatus.Failed, byName["no-skip-codes"].Status);
        Assert.Equal(3, byName["no-skip-codes"].Runs);
        Assert.Equal(new TestCounts { Passed = 1, Failed = 1, Skipped = 2 }, result.Counts);
        Assert.Equal("4 tests: 1 passed, 0 flaky, 1 failed, 0 crashed, 0 timed out, 0 leaked, 2 skipped", TestStatusText.CountsLine(result));

        var withoutTheFailure = await new TestRunner(Options).RunAsync("skips", [tests[0], tests[3]]).WaitAsync(Bound);
        Assert.True(withoutTheFailure.Passed);
        Assert.Equal("PASSED", TestStatusText.Verdict(withoutTheFailure));
    }

    [Fact]
    public async Task A_skipped_test_is_SKIP_in_the_console_markdown_json_and_junit()
    {
        var skip = new TestCase("needs-network", ProcessOptions.ShellScript("echo no network; exit 77")) { SkipExitCodes = [77] };
        var result = await new TestRunner(Options).RunAsync("reports", [skip, Fixture("fail.sh")]).WaitAsync(Bound);

        var writer = new StringWriter();
        var console = ConsoleReport.CreateConsole(writer);
        console.Profile.Width = 160;
        TestConsoleReport.Write(console, result);
        var text = writer.ToString();
        Assert.Matches(@"SKIP\s+│\s+needs-network\s+│\s+skipped \(exit 77\)", text);
        Assert.Contains("1 skipped", text);
        Assert.DoesNotContain("SKIP needs-network", text); // no output tail: skipping is not a problem to read
        Assert.StartsWith("SKIP    needs-network  skipped (exit 77)", TestConsoleReport.Line(result.Tests.Single(t => t.Name == "needs-network")));

        var markdown = TestMarkdownReport.Render(result);
        Assert.Contains("| SKIP | needs-network |", markdown);
        Assert.Contains("## Skipped tests\n\n- needs-network: skipped (exit 77)\n", markdown);
        Assert.DoesNotContain("### SKIP", markdown);

        var json = TestResultJson.Serialize(result);
        Assert.Contains("\"status\": \"skipped\"", json);
        Assert.Contains("\"skipped\": 1", json);
        Assert.Equal(result.Counts, TestResultJson.Deserialize(json)!.Counts);

        var suite = XDocument.Parse(JUnitReport.Render(result)).Root!.Element("testsuite")!;
        Assert.Equal("2", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("skipped")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        var testcase = suite.Elements("testcase").Single(t => t.Attribute("name")!.Value == "needs-network");
        Assert.Equal("skipped (exit 77)", testcase.Element("skipped")!.Attribute("message")!.Value);
        Assert.Null(testcase.Element("failure"));
    }

    [Fact]
    public void Suite_files_name_skip_exit_codes_per_test_or_in_defaults_and_bad_ones_are_errors()
    {
        var loaded = TestSuiteFile.Parse("""
            defaults:
              skipExitCodes: 77
            tests:
              - name: automake
                command: [./a.sh]
              - name: python
                command: [python3, -m, test, test_json]
                skipExitCodes: [4, 77]
            """, "suite.yaml", "/tmp");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal([77], loaded.Tests[0].SkipExitCodes);
        Assert.Equal([4, 77], loaded.Tests[1].SkipExitCodes);

        var bad = TestSuiteFile.Parse("""
            tests:
              - name: a
                command: [./a.sh]
                skipExitCodes: [300, 0]
              - name: b
                command: [./b.sh]
                expect: { exitCode: [0, 1] }
                skipExitCodes: 1
            """, "suite.yaml", "/tmp");
        var errors = bad.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("suite.yaml:4:21: tests[0].skipExitCodes[0]: expected an exit code from 0 to 255, such as 77, found '300'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("suite.yaml:4:26: tests[0].skipExitCodes[1]: exit code 0 is also one the test passes with", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("suite.yaml:8:20: tests[1].skipExitCodes: exit code 1 is also one the test passes with", StringComparison.Ordinal));
        Assert.True(3 == errors.Count, string.Join("\n", errors));
    }

    [Fact]
    public async Task Isolated_suite_example_ends_as_its_readme_says()
    {
        var loaded = TestSuiteFile.Load(Path.Combine(RepositoryPaths.Examples, "isolated-suite", "suite.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var result = await new TestRunner(Options with { Timeout = null }).RunAsync(loaded.Name, loaded.Tests).WaitAsync(Bound);
        Assert.Equal(new TestCounts { Passed = 3, Failed = 1, Crashed = 2, TimedOut = 1, Leaked = 1 }, result.Counts);
        Assert.Equal("8 tests: 3 passed, 0 flaky, 1 failed, 2 crashed, 1 timed out, 1 leaked, 0 skipped", TestStatusText.CountsLine(result));
    }

    [Fact]
    public void Suite_file_errors_have_line_and_column()
    {
        var loaded = TestSuiteFile.Parse("""
            tests:
              - name: a
                command: [./a.sh]
              - name: a
                command: "./b.sh | grep x"
              - comand: [./c.sh]
            """, "suite.yaml", "/tmp");
        Assert.False(loaded.Ok);
        var errors = loaded.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("suite.yaml:4:11: tests[1].name: 'a' is already the name of the test at line 2", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("suite.yaml:5:14: tests[1].command: is one string", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("suite.yaml:6:5: tests[2]: unknown key 'comand'; did you mean 'command'?", StringComparison.Ordinal));
    }

    [Fact]
    public void Discovery_finds_every_script_the_glob_names()
    {
        var tests = TestDiscovery.Find("*.sh", _fixtures.Folder, out var error);
        Assert.Null(error);
        Assert.Contains(tests, t => t.Name == "not-executable.sh");
        Assert.Equal(Directory.GetFiles(_fixtures.Folder, "*.sh").Length, tests.Count);
        TestDiscovery.Find("nowhere/*.sh", _fixtures.Folder, out var missing);
        Assert.Contains("does not exist", missing);
    }
}
