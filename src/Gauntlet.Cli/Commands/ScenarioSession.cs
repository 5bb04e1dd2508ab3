using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
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

    public static async Task<int> RunAsync(IReadOnlyList<Scenario> scenarios, string outputFolder, CliConsole io)
    {
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
            var runner = new Runner(new RunOptions { OnProgress = display.Report, ResultsDirectory = outputFolder });
            result = await display.ShowWhileAsync(() => runner.RunAsync(scenarios, interruption.Token)).ConfigureAwait(false);
        }
        catch (ScenarioValidationException invalid)
        {
            foreach (var problem in invalid.Problems) io.Error($"gauntlet: invalid scenario: {problem}");
            return ExitCodes.InvalidInput;
        }
        catch (TargetUnreachableException unreachable)
        {
            io.Error($"gauntlet: {unreachable.Message}");
            return ExitCodes.TargetUnreachable;
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
            if (result.Scenarios.Any(s => s.History?.File is not null))
                io.Out.WriteLine($"history: {Path.Combine(outputFolder, Runner.HistoryFileName)}");
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
