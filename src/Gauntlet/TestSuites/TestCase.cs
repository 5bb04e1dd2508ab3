using Gauntlet.Thresholds;
using Gauntlet.Targets.Process;

namespace Gauntlet.TestSuites;

/// <summary>
/// One isolated test: a command run in its own process group, passing when it exits with an expected code (0 by
/// default), its checks hold and it leaves nothing behind. Templates in the command see <c>{iteration}</c> as the
/// run number in stress mode (from 0), <c>{id}</c> as a number unique to the run and attempt, <c>{worker}</c> as 0.
/// </summary>
/// <param name="Name">Unique within the suite; used in reports and log paths.</param>
/// <param name="Command">What to run, its environment, stdin, checks; its <see cref="ProcessOptions.Timeout"/> overrides the run's default.</param>
public sealed record TestCase(string Name, ProcessOptions Command)
{
    /// <summary>
    /// Thresholds judged over the test's runs: durations as latencies (<c>max &lt; 2s</c>, <c>p99 &lt; 500ms</c>),
    /// <c>success_rate</c>, counts. A string converts to a <see cref="Threshold"/>; one that does not parse is reported by <see cref="TestRunner.RunAsync"/> as invalid input.
    /// </summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>
    /// Exit codes by which the test says it skipped itself (automake's 77; <c>python -m test</c> exits 4 for a skipped
    /// module): the test is <see cref="Results.TestStatus.Skipped"/>, counted apart and never a failure. Empty: none.
    /// </summary>
    public IReadOnlyList<int> SkipExitCodes { get; init; } = [];

    /// <summary>A test that runs <paramref name="program"/> with <paramref name="arguments"/> (no templates: braces are literal).</summary>
    public static TestCase ForCommand(string name, string program, params string[] arguments) =>
        new(name, ProcessOptions.Command(Escape(program), [.. arguments.Select(Escape)]));

    private static string Escape(string text) => text.Replace("{", "{{").Replace("}", "}}");
}

/// <summary>How a set of tests is run.</summary>
public sealed record TestRunOptions
{
    /// <summary>Tests (or runs) at once. Default: the machine's logical cores.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Per-test timeout for tests that set none. Null: none (not recommended: a hung test then hangs the run).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Retries of a test that did not pass; one that passes on a retry is flaky.</summary>
    public int Retries { get; init; }

    /// <summary>Runs of each test (stress mode when above 1); runs of one test go in parallel.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Stress mode: stop starting runs of a test once one has not passed.</summary>
    public bool UntilFail { get; init; }

    /// <summary>Folder for the full output logs of runs that did not pass; null: no logs.</summary>
    public string? LogFolder { get; init; }

    /// <summary>Relative paths in results are relative to this folder (the results folder). Null: log paths as given.</summary>
    public string? ResultsFolder { get; init; }

    /// <summary>Lines of output tail kept in the result for a test that did not pass.</summary>
    public int TailLines { get; init; } = 20;

    /// <summary>Called from any thread when a test reaches its final status.</summary>
    public Action<Results.TestResult>? OnTestFinished { get; init; }

    /// <summary>Every problem with these options.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Jobs < 1) problems.Add($"-j must be at least 1, got {Jobs}");
        if (Timeout is { } t && t <= TimeSpan.Zero) problems.Add($"--timeout must be greater than zero, got {Format.Duration(t)}");
        if (Retries < 0) problems.Add($"--retries must not be negative, got {Retries}");
        if (Repeat < 1) problems.Add($"--repeat must be at least 1, got {Repeat}");
        if (Repeat > 1 && Retries > 0) problems.Add("--retries and --repeat do not combine: stress mode reports each run as it ends; use one or the other");
        if (UntilFail && Repeat < 2) problems.Add("--until-fail needs --repeat N (the most runs to try)");
        return problems;
    }
}
