using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Search;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// What `run` and `demo` share: run the scenarios with live progress and Ctrl-C handling, print the
/// summary and acceptance tables, write result.json and report.md, and turn the verdict into an exit code.
/// </summary>
internal static class ScenarioSession
{
    public const string ResultFileName = "result.json";
    public const string ReportFileName = "report.md";

    /// <summary>The default results folder: gauntlet-results/&lt;local timestamp&gt;.</summary>
    public static string DefaultOutputFolder() => Path.Combine("gauntlet-results", DateTime.Now.ToString("yyyyMMdd-HHmmss"));

    public static Task<int> RunAsync(IReadOnlyList<Scenario> scenarios, string outputFolder, CliConsole io) =>
        RunAsync(scenarios, [], outputFolder, io);

    public static async Task<int> RunAsync(IReadOnlyList<Scenario> scenarios, IReadOnlyList<BreakingPointSearch> searches, string outputFolder, CliConsole io)
    {
        // In an isolated probe's process only the searches run: the one probed runs its probe and ends the process.
        if (BreakingPointSearch.IsProbeProcess)
        {
            foreach (var search in searches) await search.RunAsync().ConfigureAwait(false);
            io.Error($"gauntlet: {BreakingPointSearch.ProbeVariable} names no search of this file; nothing was probed");
            return ExitCodes.HarnessError;
        }
        // Fail on an unusable output folder before running, not after: the result must have somewhere to go.
        try
        {
            Directory.CreateDirectory(outputFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            io.Error($"gauntlet: cannot use '{outputFolder}' as the results folder: {e.Message}; choose another with --out");
            return ExitCodes.InvalidInput;
        }

        using var interruption = new Interruption(io.Stderr);
        var display = new ProgressDisplay(io.Out, io.Interactive);
        RunResult result;
        try
        {
            var runOptions = new RunOptions { OnProgress = display.Report };
            var runner = new Runner(runOptions);
            result = scenarios.Count > 0
                ? await display.ShowWhileAsync(() => runner.RunAsync(scenarios, interruption.Token)).ConfigureAwait(false)
                : new RunResult { Environment = EnvironmentInfo.Capture(), StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow };
            if (searches.Count > 0 && !result.Interrupted)
            {
                var found = new List<SearchResult>();
                foreach (var search in searches)
                {
                    if (interruption.Token.IsCancellationRequested) break;
                    io.Out.WriteLine($"search {search.Name}: {search.Options.Describe()}");
                    // One line per probe rather than the live table: a search runs the same scenario many times.
                    var searchResult = await search.RunAsync(interruption.Token,
                        probe => io.Out.WriteLine($"  {search.Options.Parameter} {probe.Value}: {SearchText.Of(probe.Status)}" + (probe.Reasons.Count > 0 ? $" ({probe.Reasons[0]})" : ""))).ConfigureAwait(false);
                    found.Add(searchResult);
                }
                result = result with
                {
                    Searches = found,
                    FinishedAt = DateTimeOffset.UtcNow,
                    Interrupted = result.Interrupted || interruption.Token.IsCancellationRequested,
                };
            }
        }
        catch (ScenarioValidationException invalid)
        {
            foreach (var problem in invalid.Problems) io.Error($"gauntlet: invalid scenario: {problem}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception e)
        {
            io.Error($"gauntlet: internal error (please report it): {e}");
            return ExitCodes.HarnessError;
        }

        io.Out.WriteLine();
        ConsoleReport.Write(io.Out, result);
        try
        {
            var resultPath = Path.Combine(outputFolder, ResultFileName);
            var reportPath = Path.Combine(outputFolder, ReportFileName);
            await ResultFile.WriteAsync(result, resultPath).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(reportPath, MarkdownReport.Render(result), CancellationToken.None).ConfigureAwait(false);
            io.Out.WriteLine($"result: {resultPath}");
            io.Out.WriteLine($"report: {reportPath}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error($"gauntlet: could not write the results to '{outputFolder}': {e.Message}");
            return ExitCodes.HarnessError;
        }
        return ExitCodeOf(result);
    }

    public static int ExitCodeOf(RunResult result) =>
        result.Interrupted ? ExitCodes.Interrupted : result.Passed ? ExitCodes.Passed : ExitCodes.Failed;
}
