using System.CommandLine;
using Gauntlet.TestSuites;

namespace Gauntlet.Cli.Commands;

/// <summary>The flags of <c>gauntlet test</c>, and the run options they make.</summary>
internal sealed class TestFlags
{
    /// <summary>Beyond these, a typo rather than a plan.</summary>
    private const int MaxJobs = 4096, MaxRetries = 100;

    private readonly Argument<string[]> _targets = new("target")
    {
        Description = "A test suite file (.yaml), or globs of executables to run as tests; after --, one command and its arguments.",
        Arity = ArgumentArity.ZeroOrMore,
        HelpName = "suite.yaml|glob|-- command",
    };
    // No short forms for --timeout and --filter: -t and -f mean other things in other commands (and in wrk).
    private readonly Option<string?> _timeout = new("--timeout") { Description = $"Timeout of each test that sets none: 500ms, 30s, 2m (default {Format.Duration(TestCommand.DefaultTimeout)}).", HelpName = "duration" };
    private readonly Option<long?> _jobs = Flags.OptionalWholeNumber("--jobs", "-j", 1, MaxJobs);
    private readonly Option<int> _retries = Flags.WholeNumber("--retries", null, 0, MaxRetries, 0);
    private readonly Option<int> _repeat = Flags.WholeNumber("--repeat", "-r", 1, int.MaxValue, 1);
    private readonly Option<bool> _untilFail = new("--until-fail") { Description = "With --repeat: stop starting runs of a test after its first failing run." };
    private readonly Option<string?> _junit = new("--junit") { Description = "Also write JUnit XML to this file, for CI.", HelpName = "file" };
    private readonly Option<string?> _output = new("--out", "-o") { Description = "Folder for result.json, report.md and the logs of tests that did not pass (default: gauntlet-results/<timestamp>).", HelpName = "folder" };
    private readonly Option<string[]> _filter = new("--filter") { Description = "Run only tests whose name contains this text (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "text" };
    private readonly Option<int[]> _skipCode = new("--skip-exit-code") { Description = "An exit code by which tests skip themselves, e.g. 77 (automake) or 4 (python -m test); for tests whose suite names none (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "code" };

    public TestFlags()
    {
        _jobs.Description = "Tests to run at once (default: the number of cores).";
        _retries.Description = "Run a test that did not pass again, up to N times; one that then passes is reported flaky.";
        _repeat.Description = "Stress mode: run each test N times (in parallel) and report its pass rate.";
        _skipCode.CustomParser = result =>
        {
            var codes = new List<int>();
            foreach (var token in result.Tokens)
            {
                if (int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 1 and <= 255) codes.Add(code);
                else result.AddError($"{Flags.Label(_skipCode)}: expected an exit code from 1 to 255 (0 is a pass), found '{token.Value}'");
            }
            return [.. codes];
        };
    }

    /// <summary>Adds the flags to <paramref name="command"/>, in the order its help lists them.</summary>
    public void AddTo(Command command)
    {
        command.Add(_targets);
        foreach (var option in new Option[] { _timeout, _jobs, _retries, _repeat, _untilFail, _junit, _output, _filter, _skipCode })
            command.Add(option);
    }

    /// <summary>What the flags make: the targets and the run options; null when a flag is wrong, after printing every problem.</summary>
    public TestSettings? Read(ParseResult parse, CliConsole io)
    {
        var values = parse.GetValue(_targets) ?? [];
        var afterDash = parse.Tokens.Any(t => t.Value == "--" && t.Type == System.CommandLine.Parsing.TokenType.DoubleDash);
        var defaultTimeout = TestCommand.DefaultTimeout;
        if (parse.GetValue(_timeout) is { } timeoutText && !Units.TryParseDuration(timeoutText, out defaultTimeout, out var timeoutError))
        {
            io.Error($"gauntlet test: --timeout: {timeoutError}");
            return null;
        }
        var outFolder = parse.GetValue(_output) ?? ScenarioSession.DefaultOutputFolder();
        var options = new TestRunOptions
        {
            Jobs = parse.GetValue(_jobs) is { } j ? (int)j : Environment.ProcessorCount,
            Timeout = defaultTimeout,
            Retries = parse.GetValue(_retries),
            Repeat = parse.GetValue(_repeat),
            UntilFail = parse.GetValue(_untilFail),
            LogFolder = Path.Combine(outFolder, "logs"),
            ResultsFolder = outFolder,
        };
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            foreach (var problem in problems) io.Error($"gauntlet test: {problem}");
            return null;
        }
        // Exit codes outside 1..255 were refused while parsing.
        return new TestSettings(values, afterDash, options, outFolder, parse.GetValue(_skipCode) ?? [], parse.GetValue(_filter) ?? [], parse.GetValue(_junit));
    }
}

/// <summary>
/// What <c>gauntlet test</c>'s flags make: the targets as given (<paramref name="AfterDash"/>: one command after
/// <c>--</c>), the validated run options, the results folder, the skip exit codes, the name filters and the JUnit file.
/// </summary>
internal sealed record TestSettings(string[] Targets, bool AfterDash, TestRunOptions Options, string OutFolder, int[] SkipCodes, string[] Filters, string? JUnit);
