using Gauntlet.Cli.Reports;
using System.CommandLine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Process;
using Gauntlet.TestSuites;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>gauntlet test SUITE.yaml | GLOB... | -- CMD ARGS... [--timeout D] [-j N] [--retries N] [--repeat N] [--until-fail]
/// [--junit FILE] [--out DIR] [--filter TEXT] [--skip-exit-code N]</c>: the isolating test runner.
/// </summary>
internal static class TestCommand
{
    /// <summary>Per-test timeout when neither the test nor <c>--timeout</c> sets one: nothing may hang a run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private const string Description = """
        Run tests in isolation: each test is a process in its own process group, with a timeout, its
        output captured, and anything it leaves behind killed. Every test ends passed, flaky (passed
        on a retry), failed (exit code), crashed (signal), timed out, leaked or skipped (a skip exit
        code such as 77, counted apart and never a failure); the run continues after failures. Output of tests that did not pass is shown (tail, and a path to the full log).
        Writes result.json, report.md and, with --junit, JUnit XML. Exit code 0 when no test failed,
        crashed, timed out or leaked (flaky ones are reported but pass), 1 otherwise, 2 for invalid
        input, 130 when interrupted. Linux only.

        Examples:
          gauntlet test examples/isolated-suite/suite.yaml
          gauntlet test 'build/tests/*' -j 4 --timeout 30s --junit junit.xml
          gauntlet test --repeat 200 --until-fail -- ./bin/stress --seed 7
          gauntlet test suite.yaml --retries 2 --filter gc-
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new TestFlags();
        var command = new Command("test", Description);
        flags.AddTo(command);
        command.SetAction((parse, _) => RunAsync(flags, parse, io));
        return command;
    }

    private static async Task<int> RunAsync(TestFlags flags, ParseResult parse, CliConsole io)
    {
        if (flags.Read(parse, io) is not { } settings) return ExitCodes.InvalidInput;
        var (suite, tests) = Collect(settings.Targets, settings.AfterDash, io);
        if (tests is null) return ExitCodes.InvalidInput;
        tests = Select(tests, settings, io);
        if (tests is null) return ExitCodes.InvalidInput;
        return await RunAsync(suite, tests, settings.Options, settings.OutFolder, settings.JUnit, io).ConfigureAwait(false);
    }

    /// <summary>
    /// The tests with the skip exit codes of the flags given to those whose suite names none, and only those a
    /// <c>--filter</c> names; null, after saying so, when the filters leave none.
    /// </summary>
    private static IReadOnlyList<TestCase>? Select(IReadOnlyList<TestCase> tests, TestSettings settings, CliConsole io)
    {
        var skipCodes = settings.SkipCodes;
        if (skipCodes.Length > 0)
            tests = [.. tests.Select(t => t.SkipExitCodes.Count > 0 ? t : t with { SkipExitCodes = [.. skipCodes.Where(c => !t.Command.Checks.ExitCodes.Contains(c))] })];
        var filters = settings.Filters;
        if (filters.Length > 0)
        {
            tests = [.. tests.Where(t => filters.Any(f => t.Name.Contains(f, StringComparison.Ordinal)))];
            if (tests.Count == 0)
            {
                io.Error($"gauntlet test: no test name contains {string.Join(" or ", filters.Select(f => $"'{f}'"))}");
                return null;
            }
        }
        return tests;
    }

    private static (string Suite, IReadOnlyList<TestCase>? Tests) Collect(string[] values, bool afterDash, CliConsole io)
    {
        if (values.Length == 0)
        {
            io.Error("gauntlet test: give a suite file, globs of test executables, or -- and a command; see 'gauntlet test --help'");
            return ("", null);
        }
        if (afterDash)
        {
            var name = string.Join(' ', values);
            return (name, [TestCase.ForCommand(name, values[0], values[1..])]);
        }
        if (values.Length == 1 && (values[0].EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || values[0].EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
        {
            var loaded = TestSuiteFile.Load(values[0]);
            if (!loaded.Ok)
            {
                foreach (var error in loaded.Errors) io.Error(error.ToString());
                io.Error($"gauntlet test: {loaded.Errors.Count} problem{(loaded.Errors.Count == 1 ? "" : "s")} in {values[0]}; nothing was run");
                return ("", null);
            }
            return (loaded.Name, loaded.Tests);
        }
        var tests = new List<TestCase>();
        foreach (var glob in values)
        {
            var found = TestDiscovery.Find(glob, Directory.GetCurrentDirectory(), out var error);
            if (error is not null)
            {
                io.Error($"gauntlet test: {error}");
                return ("", null);
            }
            foreach (var test in found)
                if (!tests.Exists(t => t.Name == test.Name)) tests.Add(test);
        }
        return (string.Join(' ', values), tests);
    }

    /// <summary>
    /// The result with its log paths as the user can open them from where they ran the command: result.json keeps
    /// them relative to the results folder (it moves with its logs), but a console line "full log: logs/x.log" read
    /// after '--out ../ci' names a file that is not there.
    /// </summary>
    internal static TestRunResult FromHere(TestRunResult result, string outFolder)
    {
        string? Here(string? log) => log is null || Path.IsPathRooted(log) ? log : Path.Combine(outFolder, log);
        return result with
        {
            Tests = [.. result.Tests.Select(t => t.Output is { } o ? t with { Output = o with { StdoutLog = Here(o.StdoutLog), StderrLog = Here(o.StderrLog) } } : t)],
        };
    }

    private static async Task<int> RunAsync(string suite, IReadOnlyList<TestCase> tests, TestRunOptions options, string outFolder, string? junit, CliConsole io)
    {
        try
        {
            Directory.CreateDirectory(outFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            io.Error($"gauntlet test: cannot use '{outFolder}' as the results folder: {e.Message}; choose another with --out");
            return ExitCodes.InvalidInput;
        }
        var gate = new Lock();
        io.Out.WriteLine($"running {tests.Count} test{(tests.Count == 1 ? "" : "s")}, {options.Jobs} at once" + (options.Repeat > 1 ? $", {options.Repeat} runs each" : ""));
        options = options with
        {
            OnTestFinished = test =>
            {
                if (test.Status == TestStatus.Passed) return;
                lock (gate) io.Out.WriteLine(TestConsoleReport.Line(test));
            },
        };
        using var interruption = new Interruption(io.Stderr);
        TestRunResult result;
        try
        {
            result = await new TestRunner(options).RunAsync(suite, tests, interruption.Token).ConfigureAwait(false);
        }
        catch (Scenarios.ScenarioValidationException invalid)
        {
            foreach (var problem in invalid.Problems) io.Error($"gauntlet test: {problem}");
            return ExitCodes.InvalidInput;
        }
        catch (PlatformNotSupportedException e)
        {
            io.Error($"gauntlet test: {e.Message}");
            return ExitCodes.HarnessError;
        }
        catch (Exception e)
        {
            io.Error($"gauntlet: internal error (please report it): {e}");
            return ExitCodes.HarnessError;
        }

        TestConsoleReport.Write(io.Out, FromHere(result, outFolder));
        try
        {
            var resultPath = Path.Combine(outFolder, ScenarioSession.ResultFileName);
            var reportPath = Path.Combine(outFolder, ScenarioSession.ReportFileName);
            await AtomicFile.WriteAllTextAsync(resultPath, TestResultJson.Serialize(result)).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(reportPath, TestMarkdownReport.Render(result)).ConfigureAwait(false);
            io.Out.WriteLine($"result: {resultPath}");
            io.Out.WriteLine($"report: {reportPath}");
            if (junit is not null)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(junit));
                if (folder is not null) Directory.CreateDirectory(folder);
                await AtomicFile.WriteAllTextAsync(junit, JUnitReport.Render(result)).ConfigureAwait(false);
                io.Out.WriteLine($"junit: {junit}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error($"gauntlet test: could not write the results to '{outFolder}': {e.Message}");
            return ExitCodes.HarnessError;
        }
        return result.Interrupted ? ExitCodes.Interrupted : result.Passed ? ExitCodes.Passed : ExitCodes.Failed;
    }
}
