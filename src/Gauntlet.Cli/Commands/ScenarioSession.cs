using Gauntlet.Cli.Reports;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Search;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// What `run` and `demo` share: run the scenarios with live progress and Ctrl-C handling, print the
/// summary and acceptance tables, write result.json, report.md and report.html (junit.xml and comparison.md when
/// asked; history.jsonl when a scenario records
/// one), and turn the verdict into an exit code; <c>--repeat</c> does that N times and sums the runs up.
/// </summary>
internal static class ScenarioSession
{
    public const string ResultFileName = ReportFolder.ResultFileName;
    public const string ReportFileName = ReportFolder.MarkdownFileName;

    /// <summary>The default results folder: gauntlet-results/&lt;local timestamp&gt;.</summary>
    public static string DefaultOutputFolder() => Path.Combine("gauntlet-results", DateTime.Now.ToString("yyyyMMdd-HHmmss"));

    public static Task<int> RunAsync(IReadOnlyList<Scenario> scenarios, string outputFolder, CliConsole io, SessionOutputs? outputs = null) =>
        RunAsync(scenarios, [], outputFolder, io, outputs);

    /// <summary>The scenarios, then the breaking-point searches; one result and one report for both.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<Scenario> scenarios, IReadOnlyList<BreakingPointSearch> searches, string outputFolder, CliConsole io, SessionOutputs? outputs = null)
    {
        // In an isolated probe's process only the searches run: the one probed runs its probe and ends the process.
        if (BreakingPointSearch.IsProbeProcess)
        {
            foreach (var search in searches) await search.RunAsync().ConfigureAwait(false);
            io.Error($"gauntlet: {BreakingPointSearch.ProbeVariable} names no search of this file; nothing was probed");
            return ExitCodes.HarnessError;
        }
        if (!CanUse(outputFolder, io)) return ExitCodes.InvalidInput;
        using var interruption = new Interruption(io.Stderr);
        return (await RunOnceAsync(scenarios, searches, outputFolder, io, interruption, outputs ?? SessionOutputs.None).ConfigureAwait(false)).ExitCode;
    }

    /// <summary>
    /// <c>--repeat N</c>: the whole file N times, each run in <c>run-K/</c> with its own result and report, then the pass
    /// rate and the spread of the key figures in <c>repeat.md</c>. Exit code 0 only when every run passed.
    /// </summary>
    public static async Task<int> RunRepeatedAsync(IReadOnlyList<Scenario> scenarios, string outputFolder, int repeat, CliConsole io, SessionOutputs? outputs = null)
    {
        if (!CanUse(outputFolder, io)) return ExitCodes.InvalidInput;
        using var interruption = new Interruption(io.Stderr);
        var results = new List<RunResult>();
        var exitCode = ExitCodes.Passed;
        for (var run = 1; run <= repeat && !interruption.Token.IsCancellationRequested; run++)
        {
            io.Out.WriteLine($"── run {run} of {repeat} ──");
            var (code, result) = await RunOnceAsync(scenarios, [], Path.Combine(outputFolder, $"run-{run}"), io, interruption, outputs ?? SessionOutputs.None).ConfigureAwait(false);
            if (result is not null) results.Add(result);
            if (code is ExitCodes.InvalidInput or ExitCodes.HarnessError or ExitCodes.TargetUnreachable) return code;
            if (code != ExitCodes.Passed && exitCode != ExitCodes.Interrupted) exitCode = code;
        }
        if (results.Count < repeat) exitCode = ExitCodes.Interrupted;

        io.Out.WriteLine();
        io.Out.WriteLine($"Repeated run: {results.Count(r => r.Passed)} of {results.Count} runs passed" + (results.Count < repeat ? $" ({repeat} requested; interrupted)" : ""));
        foreach (var scenario in RepeatReport.Summarize(results))
        {
            io.Out.WriteLine($"  {scenario.Scenario}: passed {scenario.Passed}/{scenario.Runs}; " +
                string.Join("; ", scenario.Figures.Select(f => $"{f.Figure} {f.Min} .. {f.Max} (median {f.Median})")));
        }
        var repeatPath = Path.Combine(outputFolder, RepeatFileName);
        try
        {
            await AtomicFile.WriteAllTextAsync(repeatPath, RepeatReport.Render(results, repeat), CancellationToken.None).ConfigureAwait(false);
            io.Out.WriteLine($"repeat summary: {repeatPath}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error($"gauntlet: could not write '{repeatPath}': {e.Message}");
            return ExitCodes.HarnessError;
        }
        return exitCode;
    }

    public const string RepeatFileName = "repeat.md";

    /// <summary>Fails on an unusable output folder before running, not after: the result must have somewhere to go.</summary>
    private static bool CanUse(string outputFolder, CliConsole io)
    {
        try
        {
            Directory.CreateDirectory(outputFolder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            io.Error($"gauntlet: cannot use '{outputFolder}' as the results folder: {e.Message}; choose another with --out");
            return false;
        }
    }

    private static async Task<(int ExitCode, RunResult? Result)> RunOnceAsync(IReadOnlyList<Scenario> scenarios, IReadOnlyList<BreakingPointSearch> searches,
        string outputFolder, CliConsole io, Interruption interruption, SessionOutputs outputs)
    {
        var display = new ProgressDisplay(io.Out, io.Interactive);
        var runner = new Runner(new RunOptions
        {
            OnProgress = display.Report,
            ResultsDirectory = outputFolder,
            JUnit = outputs.JUnit,
            Baseline = outputs.Baseline,
            StartAt = outputs.StartAt,
            Telemetry = outputs.Telemetry,
            OnSearchStarting = search => io.Out.WriteLine($"search {search.Name}: {search.Options.Describe()}"),
            // One line per probe rather than the live table: a search runs the same scenario many times.
            OnSearchProbe = (search, probe) => io.Out.WriteLine($"  {search.Options.Parameter} {probe.Value}: {SearchText.Of(probe.Status)}" + (probe.Reasons.Count > 0 ? $" ({probe.Reasons[0].Message})" : "")),
        });
        RunResult result;
        try
        {
            result = scenarios.Count > 0
                ? await display.ShowWhileAsync(() => runner.RunAsync(scenarios, searches, interruption.Token)).ConfigureAwait(false)
                : await runner.RunAsync(scenarios, searches, interruption.Token).ConfigureAwait(false);
        }
        catch (ScenarioValidationException invalid)
        {
            foreach (var problem in invalid.Problems) io.Error($"gauntlet: invalid scenario: {problem}");
            return (ExitCodes.InvalidInput, null);
        }
        catch (TargetUnreachableException unreachable)
        {
            io.Error($"gauntlet: {unreachable.Message}");
            return (ExitCodes.TargetUnreachable, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error($"gauntlet: could not write the results to '{outputFolder}': {e.Message}");
            return (ExitCodes.HarnessError, null);
        }
        catch (Exception e)
        {
            io.Error($"gauntlet: internal error (please report it): {e}");
            return (ExitCodes.HarnessError, null);
        }

        io.Out.WriteLine();
        ConsoleReport.Write(io.Out, result);
        if (outputs.Summary is { } summary)
            foreach (var scenario in result.Scenarios) io.Out.Write(new Text(summary(scenario)));
        PrintFiles(result, outputFolder, outputs.JUnit, io);
        return (outputs.ExpectedToFail is { } expected ? JudgeExpected(result, expected, io) : ExitCodes.Of(result), result);
    }

    /// <summary>Each scenario against the verdict expected of it; prints how each went and returns the exit code.</summary>
    private static int JudgeExpected(RunResult result, IReadOnlyDictionary<string, string> expectedToFail, CliConsole io)
    {
        if (result.Interrupted) return ExitCodes.Interrupted;
        var asExpected = true;
        io.Out.WriteLine();
        foreach (var scenario in result.Scenarios)
        {
            var failed = scenario.Verdict != Verdict.Passed;
            if (expectedToFail.TryGetValue(scenario.Name, out var why))
            {
                io.Out.WriteLine(failed
                    ? $"{scenario.Name}: expected to fail: failed, as expected ({why})"
                    : $"{scenario.Name}: expected to fail, but PASSED ({why})");
                asExpected &= failed;
            }
            else if (failed)
            {
                io.Out.WriteLine($"{scenario.Name}: expected to pass, but {VerdictText.Of(scenario.Verdict)}");
                asExpected = false;
            }
        }
        io.Out.WriteLine(asExpected ? "Every scenario gave the verdict expected of it." : "A scenario did not give the verdict expected of it.");
        return asExpected ? ExitCodes.Passed : ExitCodes.Failed;
    }

    /// <summary>Where the result's files went, and the comparison with the baseline when there was one.</summary>
    public static void PrintFiles(RunResult result, string outputFolder, bool junit, CliConsole io)
    {
        var files = ReportFolder.FilesOf(result, outputFolder, junit);
        io.Out.WriteLine($"result: {files.Result}");
        io.Out.WriteLine($"report: {files.Markdown}");
        if (files.History is { } history) io.Out.WriteLine($"history: {history}");
        io.Out.WriteLine($"report: {files.Html}");
        if (files.JUnit is { } junitFile) io.Out.WriteLine($"junit: {junitFile}");
        if (result.Baseline is not { } baseline) return;
        io.Out.WriteLine($"comparison with {baseline.Path}: {(baseline.Regressed ? "REGRESSED" : "no regression")} ({files.Comparison})");
        foreach (var line in baseline.Regressions) io.Out.WriteLine($"  {line}");
        foreach (var missing in baseline.Missing) io.Out.WriteLine($"  {missing}: in the baseline but not run now");
    }
}

/// <summary>What `run` writes beyond result.json, report.md and report.html, and prints beyond the summary.</summary>
/// <param name="JUnit">Write junit.xml.</param>
/// <param name="Baseline">Compare with this earlier result and write comparison.md; a regression makes the exit code 1.</param>
internal sealed record SessionOutputs(bool JUnit, BaselineOptions? Baseline)
{
    /// <summary>result.json, report.md and report.html only.</summary>
    public static readonly SessionOutputs None = new(JUnit: false, Baseline: null);

    /// <summary>The shared start instant the run waits for (<c>run --start-at</c>); null: start at once.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>Where the live figures go while the run lasts (<c>--otlp</c>, <c>--metrics</c>, the file's <c>telemetry:</c>); null: nowhere.</summary>
    public Pipeline.TelemetryOptions? Telemetry { get; init; }

    /// <summary>A summary of each scenario printed after the console report (the quick modes' wrk-like one); null: none.</summary>
    public Func<ScenarioResult, string>? Summary { get; init; }

    /// <summary>
    /// Scenarios that are meant to fail, with why (the demo's stall): the run's exit code is 0 when these failed and
    /// every other scenario passed, and 1 when any scenario's verdict was not the one expected. Null: none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ExpectedToFail { get; init; }
}
