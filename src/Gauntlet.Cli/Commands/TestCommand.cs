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

    /// <summary>Beyond these, a typo rather than a plan.</summary>
    private const int MaxJobs = 4096, MaxRetries = 100;

    public static Command Create(CliConsole io)
    {
        var targets = new Argument<string[]>("target")
        {
            Description = "A test suite file (.yaml), or globs of executables to run as tests; after --, one command and its arguments.",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "suite.yaml|glob|-- command",
        };
        // No short forms for --timeout and --filter: -t and -f mean other things in other commands (and in wrk).
        var timeout = new Option<string?>("--timeout") { Description = $"Timeout of each test that sets none: 500ms, 30s, 2m (default {Format.Duration(DefaultTimeout)}).", HelpName = "duration" };
        var jobs = Flags.OptionalWholeNumber("--jobs", "-j", 1, MaxJobs);
        jobs.Description = "Tests to run at once (default: the number of cores).";
        var retries = Flags.WholeNumber("--retries", null, 0, MaxRetries, 0);
        retries.Description = "Run a test that did not pass again, up to N times; one that then passes is reported flaky.";
        var repeat = Flags.WholeNumber("--repeat", "-r", 1, int.MaxValue, 1);
        repeat.Description = "Stress mode: run each test N times (in parallel) and report its pass rate.";
        var untilFail = new Option<bool>("--until-fail") { Description = "With --repeat: stop starting runs of a test after its first failing run." };
        var junit = new Option<string?>("--junit") { Description = "Also write JUnit XML to this file, for CI.", HelpName = "file" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for result.json, report.md and the logs of tests that did not pass (default: gauntlet-results/<timestamp>).", HelpName = "folder" };
        var filter = new Option<string[]>("--filter") { Description = "Run only tests whose name contains this text (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "text" };
        var skipCode = new Option<int[]>("--skip-exit-code") { Description = "An exit code by which tests skip themselves, e.g. 77 (automake) or 4 (python -m test); for tests whose suite names none (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "code" };
        skipCode.CustomParser = result =>
        {
            var codes = new List<int>();
            foreach (var token in result.Tokens)
            {
                if (int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 1 and <= 255) codes.Add(code);
                else result.AddError($"{Flags.Label(skipCode)}: expected an exit code from 1 to 255 (0 is a pass), found '{token.Value}'");
            }
            return [.. codes];
        };
        var command = new Command("test", """
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
            """)
        {
            targets, timeout, jobs, retries, repeat, untilFail, junit, output, filter, skipCode,
        };
        command.SetAction(async (parse, _) =>
        {
            var values = parse.GetValue(targets) ?? [];
            var afterDash = parse.Tokens.Any(t => t.Value == "--" && t.Type == System.CommandLine.Parsing.TokenType.DoubleDash);
            var defaultTimeout = DefaultTimeout;
            if (parse.GetValue(timeout) is { } timeoutText && !Units.TryParseDuration(timeoutText, out defaultTimeout, out var timeoutError))
            {
                io.Error($"gauntlet test: --timeout: {timeoutError}");
                return ExitCodes.InvalidInput;
            }
            var outFolder = parse.GetValue(output) ?? ScenarioSession.DefaultOutputFolder();
            var options = new TestRunOptions
            {
                Jobs = parse.GetValue(jobs) is { } j ? (int)j : Environment.ProcessorCount,
                Timeout = defaultTimeout,
                Retries = parse.GetValue(retries),
                Repeat = parse.GetValue(repeat),
                UntilFail = parse.GetValue(untilFail),
                LogFolder = Path.Combine(outFolder, "logs"),
                ResultsFolder = outFolder,
            };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                foreach (var problem in problems) io.Error($"gauntlet test: {problem}");
                return ExitCodes.InvalidInput;
            }

            // Exit codes outside 1..255 were refused while parsing.
            var skipCodes = parse.GetValue(skipCode) ?? [];
            var (suite, tests) = Collect(values, afterDash, io);
            if (tests is null) return ExitCodes.InvalidInput;
            if (skipCodes.Length > 0)
                tests = [.. tests.Select(t => t.SkipExitCodes.Count > 0 ? t : t with { SkipExitCodes = [.. skipCodes.Where(c => !t.Command.Checks.ExitCodes.Contains(c))] })];
            var filters = parse.GetValue(filter) ?? [];
            if (filters.Length > 0)
            {
                tests = [.. tests.Where(t => filters.Any(f => t.Name.Contains(f, StringComparison.Ordinal)))];
                if (tests.Count == 0)
                {
                    io.Error($"gauntlet test: no test name contains {string.Join(" or ", filters.Select(f => $"'{f}'"))}");
                    return ExitCodes.InvalidInput;
                }
            }
            return await RunAsync(suite, tests, options, outFolder, parse.GetValue(junit), io).ConfigureAwait(false);
        });
        return command;
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
