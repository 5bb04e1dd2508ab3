using System.CommandLine;
using Gauntlet.Cli.Reports;
using Gauntlet.Merging;
using Gauntlet.Reports;
using Gauntlet.Results;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet merge DIR... [--out DIR] [--file FILE] [--set k=v]... [--baseline result.json] [--junit] [--wait DURATION]</c></summary>
internal static class MergeCommand
{
    private const string Description = """
        Merge the results of a split run's segments (gauntlet run FILE --segment i/n on each machine) into
        the result one machine would have written: counts added, every percentile from the added
        histograms, the timeline on one clock, the thresholds judged on the merged figures and the
        verifiers run once over the union of the histories. Writes result.json, report.md,
        report.html and history.jsonl into --out (junit.xml with --junit; comparison.md with
        --baseline) and prints the summary gauntlet run prints, with a table of the segments.
        Refuses (exit code 2, naming the file) segments of different scenarios or splits, a segment
        missing or given twice, and results that are not segments (schema 3 or later). Exit codes
        otherwise as for gauntlet run: 0 passed, 1 a threshold or verifier failed, 5 a verdict left
        unknown, 6 invalid (the generator limited the load; judged on the merged figures).

        Examples:
          gauntlet merge results/segment-0 results/segment-1 results/segment-2 --out results/merged
          gauntlet merge /results --out /results/merged --file scenario.yaml --set rate=5000/s
          gauntlet merge /results --out /results/merged --wait 10m --junit
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new MergeFlags();
        var command = new Command("merge", Description);
        flags.AddTo(command);
        command.SetAction((parse, cancellationToken) => MergeAsync(flags, parse, io, cancellationToken));
        return command;
    }

    private static async Task<int> MergeAsync(MergeFlags flags, ParseResult parse, CliConsole io, CancellationToken cancellationToken)
    {
        if (await flags.ReadAsync(parse, io).ConfigureAwait(false) is not { } settings) return ExitCodes.InvalidInput;
        RunResult result;
        try
        {
            var segments = await new SegmentWait(TimeProvider.System, settings.Wait).CollectAsync(settings.Folders, cancellationToken).ConfigureAwait(false);
            var scenarios = settings.LoadScenarios(segments[0].Folder, io, out var ok);
            if (!ok) return ExitCodes.InvalidInput;
            result = await SegmentMerge.MergeAsync(segments, settings.Options(scenarios), cancellationToken).ConfigureAwait(false);
        }
        catch (SegmentMergeException refused)
        {
            io.Error($"gauntlet merge: {refused.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error($"gauntlet merge: could not write the merged result to '{settings.OutputFolder}': {e.Message}");
            return ExitCodes.HarnessError;
        }
        return Print(result, settings, io);
    }

    /// <summary>The summary <c>gauntlet run</c> prints, the segments' table and where the files went; the exit code of the merged result.</summary>
    private static int Print(RunResult result, MergeSettings settings, CliConsole io)
    {
        ConsoleReport.Write(io.Out, result);
        io.Out.WriteLine();
        SegmentTable.Write(io.Out, result.Segments ?? []);
        ScenarioSession.PrintFiles(result, settings.OutputFolder, settings.Outputs.JUnit, io);
        return ExitCodes.Of(result);
    }
}
