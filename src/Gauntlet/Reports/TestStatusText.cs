using Gauntlet.Results;

namespace Gauntlet.Reports;

// Every TestStatus is listed with no discard arm: a new status fails the build here (CS8509) until every report spells it.
// Unnamed values (CS8524) cannot arrive: results hold named statuses only.
#pragma warning disable CS8524

/// <summary>How every test report spells a <see cref="TestStatus"/>: the same words in the console, Markdown and JUnit.</summary>
public static class TestStatusText
{
    /// <summary>Every status, in the order reports list them.</summary>
    public static readonly IReadOnlyList<TestStatus> All =
        [TestStatus.Passed, TestStatus.Flaky, TestStatus.Failed, TestStatus.Crashed, TestStatus.TimedOut, TestStatus.Leaked, TestStatus.Skipped];

    /// <summary><c>PASS</c>, <c>FLAKY</c>, <c>FAIL</c>, <c>CRASH</c>, <c>TIMEOUT</c>, <c>LEAK</c>, <c>SKIP</c>.</summary>
    public static string Label(TestStatus status) => status switch
    {
        TestStatus.Passed => "PASS",
        TestStatus.Flaky => "FLAKY",
        TestStatus.Failed => "FAIL",
        TestStatus.Crashed => "CRASH",
        TestStatus.TimedOut => "TIMEOUT",
        TestStatus.Leaked => "LEAK",
        TestStatus.Skipped => "SKIP",
    };

    /// <summary><c>passed</c>, <c>flaky</c>, <c>failed</c>, <c>crashed</c>, <c>timed out</c>, <c>leaked</c>, <c>skipped</c>.</summary>
    public static string Word(TestStatus status) => status switch
    {
        TestStatus.Passed => "passed",
        TestStatus.Flaky => "flaky",
        TestStatus.Failed => "failed",
        TestStatus.Crashed => "crashed",
        TestStatus.TimedOut => "timed out",
        TestStatus.Leaked => "leaked",
        TestStatus.Skipped => "skipped",
    };

    /// <summary>The counts line: <c>8 tests: 4 passed, 0 flaky, 1 failed, 1 crashed, 1 timed out, 0 leaked, 1 skipped</c>.</summary>
    public static string CountsLine(TestRunResult result)
    {
        var counts = result.Counts;
        var line = $"{counts.Total} test{(counts.Total == 1 ? "" : "s")}: " + string.Join(", ", All.Select(s => $"{counts.Of(s)} {Word(s)}"));
        return counts.NotRun > 0 ? line + $"; {counts.NotRun} not run (interrupted)" : line;
    }

    /// <summary>The final verdict line.</summary>
    public static string Verdict(TestRunResult result) =>
        result.Interrupted ? "INTERRUPTED: the run was cancelled; the results are partial"
        : result.Passed ? (result.Counts.Flaky > 0 ? $"PASSED, with {result.Counts.Flaky} flaky test{(result.Counts.Flaky == 1 ? "" : "s")}" : "PASSED")
        : "FAILED";

    /// <summary>A size in bytes as KiB/MiB/GiB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        <= 0 => Figures.NotAvailable,
        < 1024 * 1024 => Format.Number(bytes / 1024.0) + " KiB",
        < 1024L * 1024 * 1024 => Format.Number(bytes / (1024.0 * 1024)) + " MiB",
        _ => Format.Number(bytes / (1024.0 * 1024 * 1024)) + " GiB",
    };

    /// <summary>Milliseconds as a duration: <c>12.3ms</c>, <c>2.5s</c>.</summary>
    public static string Millis(double ms) => Figures.Seconds(ms / 1000);
}
