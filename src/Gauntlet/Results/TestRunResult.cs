using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gauntlet.Results;

// Switches over TestStatus list every status with no discard arm, so a new status fails the build here (CS8509).
// Unnamed values (CS8524) cannot arrive: the JSON converter reads names only, and the runner sets named ones.
#pragma warning disable CS8524

/// <summary>
/// Everything a <c>gauntlet test</c> run produced, as one versioned document (<c>result.json</c> with
/// <c>"kind": "test-run"</c>). Every test report (console, Markdown, JUnit) reads this and nothing else.
/// Durations are in milliseconds, sizes in bytes.
/// </summary>
public sealed record TestRunResult
{
    /// <summary>The schema version of this document.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Always <c>test-run</c>: tells this document from a scenario run's.</summary>
    public string Kind { get; init; } = "test-run";

    /// <summary>Schema version of this document.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The machine and software the run happened on.</summary>
    public required EnvironmentInfo Environment { get; init; }

    /// <summary>The suite's name (its file, or the command).</summary>
    public required string Suite { get; init; }

    /// <summary>Wall-clock start (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall-clock end (UTC).</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>True when the run was cancelled (Ctrl-C) before every test ended; <see cref="TestCounts.NotRun"/> says how many never ran.</summary>
    public bool Interrupted { get; init; }

    /// <summary>How the tests were run.</summary>
    public required TestRunSettings Settings { get; init; }

    /// <summary>How many tests ended in each status.</summary>
    public required TestCounts Counts { get; init; }

    /// <summary>Every test that ran, in suite order.</summary>
    public IReadOnlyList<TestResult> Tests { get; init; } = [];

    /// <summary>
    /// True when no test failed, crashed, timed out or leaked, and the run was not interrupted (flaky tests pass, and
    /// are reported; skipped tests are counted apart and never fail a run).
    /// </summary>
    public bool Passed => !Interrupted && Counts.Failed + Counts.Crashed + Counts.TimedOut + Counts.Leaked == 0 && Tests.Count > 0;
}

/// <summary>The final status of a test (and of each of its runs, which are never <see cref="Flaky"/>). A closed set every output spells the same way.</summary>
public enum TestStatus
{
    /// <summary>Exited with an expected code (0 by default), its checks held, nothing left behind.</summary>
    Passed,
    /// <summary>Did not pass at first, then passed on a retry.</summary>
    Flaky,
    /// <summary>Exited with an unexpected code, failed a check or a threshold, or could not be started.</summary>
    Failed,
    /// <summary>Killed by a signal it did not get from Gauntlet (SIGSEGV, SIGABRT, ...).</summary>
    Crashed,
    /// <summary>Still running at its timeout; its process group was stopped.</summary>
    TimedOut,
    /// <summary>Exited as expected but left processes in its group, or its output pipes open; they were killed.</summary>
    Leaked,
    /// <summary>
    /// Exited with one of its skip exit codes (<c>TestCase.SkipExitCodes</c>, such as automake's 77):
    /// it chose not to run here. Counted apart; never a failure.
    /// </summary>
    Skipped,
}

/// <summary>How a test run was configured.</summary>
public sealed record TestRunSettings
{
    /// <summary>Tests (or runs of a test) at once.</summary>
    public int Jobs { get; init; }
    /// <summary>Default per-test timeout in milliseconds; null when tests have none.</summary>
    public double? TimeoutMs { get; init; }
    /// <summary>Retries of a test that did not pass.</summary>
    public int Retries { get; init; }
    /// <summary>Runs of each test (stress mode when more than 1).</summary>
    public int Repeat { get; init; }
    /// <summary>Stress mode: stop starting runs of a test after its first failing run.</summary>
    public bool UntilFail { get; init; }
}

/// <summary>How many tests ended in each status.</summary>
public sealed record TestCounts
{
    /// <summary>Tests that passed.</summary>
    public int Passed { get; init; }
    /// <summary>Tests that passed only on a retry.</summary>
    public int Flaky { get; init; }
    /// <summary>Tests that failed.</summary>
    public int Failed { get; init; }
    /// <summary>Tests that crashed.</summary>
    public int Crashed { get; init; }
    /// <summary>Tests that timed out.</summary>
    public int TimedOut { get; init; }
    /// <summary>Tests that leaked.</summary>
    public int Leaked { get; init; }
    /// <summary>Tests that skipped themselves (exited with a skip exit code).</summary>
    public int Skipped { get; init; }
    /// <summary>Tests never started because the run was interrupted.</summary>
    public int NotRun { get; init; }

    /// <summary>Tests that ran to a status.</summary>
    public int Total => Passed + Flaky + Failed + Crashed + TimedOut + Leaked + Skipped;

    /// <summary>The count for one status.</summary>
    public int Of(TestStatus status) => status switch
    {
        TestStatus.Passed => Passed,
        TestStatus.Flaky => Flaky,
        TestStatus.Failed => Failed,
        TestStatus.Crashed => Crashed,
        TestStatus.TimedOut => TimedOut,
        TestStatus.Leaked => Leaked,
        TestStatus.Skipped => Skipped,
    };
}

/// <summary>What happened to one test.</summary>
public sealed record TestResult
{
    /// <summary>The test's name.</summary>
    public required string Name { get; init; }
    /// <summary>The command, as run (says "through a shell" for a shell command).</summary>
    public required string Command { get; init; }
    /// <summary>The final status.</summary>
    public TestStatus Status { get; init; }
    /// <summary>Why, in a phrase: <c>exit 3</c>, <c>SIGSEGV</c>, <c>timed out after 1s</c>, <c>passed on attempt 2 of 3</c>.</summary>
    public required string Detail { get; init; }
    /// <summary>Runs (attempts included).</summary>
    public int Runs { get; init; }
    /// <summary>Runs that passed.</summary>
    public int PassedRuns { get; init; }
    /// <summary>PassedRuns / Runs.</summary>
    public double PassRate { get; init; }
    /// <summary>Duration of the run reported (the last attempt; in stress mode, the longest run), in ms.</summary>
    public double DurationMs { get; init; }
    /// <summary>Mean duration over all runs, in ms.</summary>
    public double MeanDurationMs { get; init; }
    /// <summary>Largest peak RSS over all runs, in bytes.</summary>
    public long PeakRssBytes { get; init; }
    /// <summary>CPU time (user + system) of the run reported, in ms.</summary>
    public double CpuMs { get; init; }
    /// <summary>Every attempt when retried; in stress mode, the runs that did not pass (at most <see cref="MaxListedRuns"/>).</summary>
    public IReadOnlyList<TestAttempt> Attempts { get; init; } = [];
    /// <summary>For a test that did not pass (or was flaky): the output of its first run that did not pass.</summary>
    public TestOutput? Output { get; init; }
    /// <summary>The test's thresholds, judged over its runs.</summary>
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    /// <summary>The most runs listed in <see cref="Attempts"/>.</summary>
    public const int MaxListedRuns = 100;
}

/// <summary>One run of a test.</summary>
/// <param name="Run">The run, from 1 (stress mode).</param>
/// <param name="Attempt">The attempt within the run, from 1 (retries).</param>
/// <param name="Status">How it ended (never flaky).</param>
/// <param name="Detail">Why, in a phrase.</param>
/// <param name="DurationMs">Wall time in ms.</param>
/// <param name="PeakRssBytes">Peak RSS in bytes.</param>
/// <param name="CpuMs">User + system CPU in ms.</param>
public sealed record TestAttempt(int Run, int Attempt, TestStatus Status, string Detail, double DurationMs, long PeakRssBytes, double CpuMs);

/// <summary>The output of one run: the tails kept, the byte counts, and the full logs under the results folder.</summary>
public sealed record TestOutput
{
    /// <summary>Which run and attempt this is.</summary>
    public int Run { get; init; }
    /// <summary>Which attempt.</summary>
    public int Attempt { get; init; }
    /// <summary>The last lines of stdout kept.</summary>
    public string StdoutTail { get; init; } = "";
    /// <summary>The last lines of stderr kept.</summary>
    public string StderrTail { get; init; } = "";
    /// <summary>Bytes written to stdout.</summary>
    public long StdoutBytes { get; init; }
    /// <summary>Bytes written to stderr.</summary>
    public long StderrBytes { get; init; }
    /// <summary>The full stdout log, relative to the results folder; null when no log was written.</summary>
    public string? StdoutLog { get; init; }
    /// <summary>The full stderr log, relative to the results folder.</summary>
    public string? StderrLog { get; init; }
}

/// <summary>The JSON contract of <see cref="TestRunResult"/>: camelCase, enums as camelCase strings, indented, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    IndentSize = 2,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(CamelCaseEnumConverter<TestStatus>)])]
[JsonSerializable(typeof(TestRunResult))]
internal sealed partial class TestResultJson : JsonSerializerContext
{
    /// <summary>Serializes with readable non-ASCII text, as <see cref="ResultJson.ForWriting"/> does.</summary>
    public static string Serialize(TestRunResult result) =>
        JsonSerializer.Serialize(result, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<TestRunResult>)new JsonSerializerOptions(Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }.GetTypeInfo(typeof(TestRunResult)));

    /// <summary>Reads a document written by <see cref="Serialize"/>.</summary>
    public static TestRunResult? Deserialize(string json) => JsonSerializer.Deserialize(json, Default.TestRunResult);
}
