using System.Xml.Linq;
using Gauntlet.Results;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Cli;

/// <summary><c>gauntlet test</c> end to end: the built tool as a child process.</summary>
public sealed class TestCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gauntlet-testcmd-" + Guid.NewGuid().ToString("N"));

    public TestCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Example_suite_exits_1_with_counts_result_report_and_junit()
    {
        var output = Path.Combine(_folder, "out");
        var junit = Path.Combine(_folder, "junit.xml");
        var suite = Path.Combine(RepositoryPaths.Examples, "isolated-suite", "suite.yaml");
        var run = await CliProcess.RunAsync(["test", suite, "--out", output, "--junit", junit, "-j", "4"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("8 tests: 3 passed, 0 flaky, 1 failed, 2 crashed, 1 timed out, 1 leaked, 0 skipped", run.Stdout);
        Assert.Contains("CRASH   parser-null-deref  SIGSEGV", run.Stdout);
        Assert.Contains("memory.c:266:valk_slab_aquire", run.Stdout);
        var result = TestResultJson.Deserialize(File.ReadAllText(Path.Combine(output, "result.json")))!;
        Assert.Equal("test-run", result.Kind);
        Assert.Equal(2, result.Counts.Crashed);
        Assert.Contains("# Gauntlet test report", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.Equal("8", XDocument.Load(junit).Root!.Element("testsuite")!.Attribute("tests")!.Value);
    }

    [Fact]
    public async Task Log_paths_on_the_console_open_from_where_the_command_ran_when_out_is_another_folder()
    {
        var here = Path.Combine(_folder, "here");
        Directory.CreateDirectory(here);
        var run = await CliProcess.RunAsync(["test", "--out", "../elsewhere", "--", "/bin/sh", "-c", "echo to-the-log; exit 3"], TimeSpan.FromSeconds(60), null, here);

        Assert.True(run.ExitCode == 1, run.ToString());
        var log = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"full log: (\S+\.stdout\.log)");
        Assert.True(log.Success, run.ToString());
        Assert.StartsWith("../elsewhere/logs/", log.Groups[1].Value);
        Assert.Equal("to-the-log\n", File.ReadAllText(Path.Combine(here, log.Groups[1].Value)));
        // result.json keeps them relative to its own folder, so the folder can move with its logs.
        var result = TestResultJson.Deserialize(File.ReadAllText(Path.Combine(_folder, "elsewhere", "result.json")))!;
        var stored = Assert.Single(result.Tests).Output!.StdoutLog!;
        Assert.True(File.Exists(Path.Combine(_folder, "elsewhere", stored)), stored);
    }

    [Fact]
    public async Task One_command_after_double_dash_runs_as_a_test()
    {
        var output = Path.Combine(_folder, "out");
        var passed = await CliProcess.RunAsync(["test", "--out", output, "--", "/bin/sh", "-c", "echo hello; exit 0"]);
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("1 test: 1 passed", passed.Stdout);

        var crashed = await CliProcess.RunAsync(["test", "--out", output, "--repeat", "3", "--", "/bin/sh", "-c", "kill -s SEGV $$"]);
        Assert.True(crashed.ExitCode == 1, crashed.ToString());
        Assert.Contains("0 of 3 runs passed", crashed.Stdout);
    }

    [Fact]
    public async Task A_test_that_exits_with_a_skip_code_is_skipped_and_the_run_passes()
    {
        var output = Path.Combine(_folder, "out");
        var junit = Path.Combine(_folder, "junit.xml");
        // CPython's `python -m test MOD` exits 4 when the module was skipped.
        var run = await CliProcess.RunAsync(["test", "--out", output, "--junit", junit, "--skip-exit-code", "4", "--", "/bin/sh", "-c", "echo skipped: no network; exit 4"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("SKIP", run.Stdout);
        Assert.Contains("1 test: 0 passed, 0 flaky, 0 failed, 0 crashed, 0 timed out, 0 leaked, 1 skipped", run.Stdout);
        Assert.Equal(TestStatus.Skipped, TestResultJson.Deserialize(File.ReadAllText(Path.Combine(output, "result.json")))!.Tests.Single().Status);
        Assert.Contains("| SKIP |", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.NotNull(XDocument.Load(junit).Descendants("testcase").Single().Element("skipped"));

        var suite = Path.Combine(_folder, "suite.yaml");
        File.WriteAllText(suite, "tests:\n  - name: automake\n    command: [/bin/sh, -c, \"exit 77\"]\n    skipExitCodes: 77\n");
        var fromFile = await CliProcess.RunAsync(["test", suite, "--out", Path.Combine(_folder, "file")]);
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Contains("1 skipped", fromFile.Stdout);

        var badCode = await CliProcess.RunAsync(["test", "--skip-exit-code", "0", "--", "/bin/true"]);
        Assert.True(badCode.ExitCode == 2, badCode.ToString());
        Assert.Contains("gauntlet test: --skip-exit-code: expected an exit code from 1 to 255", badCode.Stderr);
    }

    [Fact]
    public async Task Bad_suite_and_bad_flags_exit_2_without_a_stack_trace()
    {
        var suite = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(suite, "tests:\n  - name: a\n    command: [./a.sh]\n    timeout: soon\n");
        var bad = await CliProcess.RunAsync(["test", suite]);
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains($"{suite}:4:14: tests[0].timeout:", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);

        var combined = await CliProcess.RunAsync(["test", "--retries", "1", "--repeat", "2", "--", "/bin/true"]);
        Assert.True(combined.ExitCode == 2, combined.ToString());
        Assert.Contains("--retries and --repeat do not combine", combined.Stderr);

        var timeout = await CliProcess.RunAsync(["test", "--timeout", "fast", "--", "/bin/true"]);
        Assert.True(timeout.ExitCode == 2, timeout.ToString());
        Assert.Contains("--timeout:", timeout.Stderr);
    }

    [Fact]
    public async Task Interrupt_kills_running_tests_and_writes_a_partial_result()
    {
        var marker = "gauntlet-marker-" + Guid.NewGuid().ToString("N");
        var output = Path.Combine(_folder, "out");
        var run = await CliProcess.RunAsync(["test", "--out", output, "--timeout", "120s", "--", "/bin/sh", "-c", $"echo started; sleep 300; : {marker}"],
            TimeSpan.FromSeconds(60), async (process, stdout) =>
            {
                await CliProcess.WaitForOutputAsync(stdout, "running 1 test");
                // The child is started right after that line; give it a moment to exist.
                while (!ProcessesWith(marker).Any()) await Task.Delay(20);
                CliProcess.Interrupt(process);
            });
        Assert.True(run.ExitCode == 130, run.ToString());
        var result = TestResultJson.Deserialize(File.ReadAllText(Path.Combine(output, "result.json")))!;
        Assert.True(result.Interrupted);
        Assert.Equal(1, result.Counts.NotRun);
        Assert.Empty(ProcessesWith(marker));
    }

    private static IEnumerable<int> ProcessesWith(string marker)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            string commandLine;
            try { commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (commandLine.Contains(marker, StringComparison.Ordinal)) yield return pid;
        }
    }
}
