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
    public const string HtmlFileName = "report.html";
    public const string JUnitFileName = "junit.xml";
    public const string ComparisonFileName = "comparison.md";

    /// <summary>The default results folder: gauntlet-results/&lt;local timestamp&gt;.</summary>
    public static string DefaultOutputFolder() => Path.Combine("gauntlet-results", DateTime.Now.ToString("yyyyMMdd-HHmmss"));

    public static async Task<int> RunAsync(IReadOnlyList<Scenario> scenarios, string outputFolder, CliConsole io, SessionOutputs? outputs = null)
    {
        outputs ??= new SessionOutputs(JUnit: false, Baseline: null);
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
            var runner = new Runner(new RunOptions { OnProgress = display.Report });
            result = await display.ShowWhileAsync(() => runner.RunAsync(scenarios, interruption.Token)).ConfigureAwait(false);
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
            var htmlPath = Path.Combine(outputFolder, HtmlFileName);
            await AtomicFile.WriteAllTextAsync(htmlPath, HtmlReport.Render(result), CancellationToken.None).ConfigureAwait(false);
            io.Out.WriteLine($"result: {resultPath}");
            io.Out.WriteLine($"report: {reportPath}");
            io.Out.WriteLine($"report: {htmlPath}");
            if (outputs.JUnit)
            {
                var junitPath = Path.Combine(outputFolder, JUnitFileName);
                await AtomicFile.WriteAllTextAsync(junitPath, JUnitReport.Render(result), CancellationToken.None).ConfigureAwait(false);
                io.Out.WriteLine($"junit: {junitPath}");
            }
            if (outputs.Baseline is { } baseline)
            {
                var comparison = RunComparison.Compare(baseline.Result, result, baseline.Options);
                var comparisonPath = Path.Combine(outputFolder, ComparisonFileName);
                await AtomicFile.WriteAllTextAsync(comparisonPath, ComparisonReport.Render(comparison, baseline.Path, resultPath), CancellationToken.None).ConfigureAwait(false);
                io.Out.WriteLine($"comparison with {baseline.Path}: {(comparison.Regressed ? "REGRESSED" : "no regression")} ({comparisonPath})");
                foreach (var s in comparison.Scenarios)
                    foreach (var m in s.Metrics.Where(m => m.Verdict == ChangeVerdict.Regressed))
                        io.Out.WriteLine($"  {s.Name}: {m.Metric} {m.Text.Baseline} -> {m.Text.Current} ({m.Note})");
                foreach (var missing in comparison.OnlyInBaseline)
                    io.Out.WriteLine($"  {missing}: in the baseline but not run now");
                var code = ExitCodeOf(result);
                return code == ExitCodes.Passed && comparison.Regressed ? ExitCodes.Failed : code;
            }
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

/// <summary>What `run` writes beyond result.json, report.md and report.html.</summary>
/// <param name="JUnit">Write junit.xml.</param>
/// <param name="Baseline">Compare with this earlier result and write comparison.md; a regression makes the exit code 1.</param>
internal sealed record SessionOutputs(bool JUnit, BaselineComparison? Baseline);

/// <summary>An earlier result to compare the run with.</summary>
internal sealed record BaselineComparison(RunResult Result, string Path, CompareOptions Options);
