using System.CommandLine;
using Gauntlet.Reports;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet run FILE [--scenario NAME]... [--out DIR] [--set k=v]...</c></summary>
internal static class RunCommand
{
    private const string Description = """
        Run the scenarios of a YAML file: live progress, a summary and an acceptance table, then
        result.json, report.md and report.html in the results folder (junit.xml with --junit;
        comparison.md with --baseline). A scenario with a 'search:' key is a breaking-point search:
        it runs at each probed value and reports the largest passing one.
        Exit code 0 when every threshold passes,
        1 when one fails, 2 for invalid input, 4 for a harness error, 130 when interrupted (Ctrl-C;
        the partial result is still written).

        Examples:
          gauntlet run examples/open-rate/scenario.yaml
          gauntlet run suite.yaml --scenario rapid --out results/rapid
          gauntlet run scenario.yaml --set rate=500/s --set target=127.0.0.1:8080
          gauntlet run writers.yaml --repeat 20 --out results/writers
          gauntlet run scenario.yaml --junit --baseline baseline/result.json --tolerance 5%
          gauntlet run scenario.yaml --segment 0/4 --start-at 2026-12-05T14:00:00Z --out results/segment-0
          gauntlet run scenario.yaml --segments 4 --out results/split
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new RunFlags();
        var command = new Command("run", Description);
        flags.AddTo(command);
        command.SetAction((parse, _) => RunAsync(flags, parse, io));
        return command;
    }

    /// <summary>
    /// A segment keeps the file it ran beside its result, so the merge can judge thresholds and run verifiers from it
    /// when it is not given the file itself.
    /// </summary>
    private static bool KeepScenarioFile(RunSettings run, CliConsole io)
    {
        try
        {
            Directory.CreateDirectory(run.OutputFolder);
            File.Copy(run.File, Path.Combine(run.OutputFolder, MergeFlags.ScenarioCopyName), overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error($"gauntlet run: could not copy {run.File} into '{run.OutputFolder}': {e.Message}");
            return false;
        }
    }

    private static async Task<int> RunAsync(RunFlags flags, ParseResult parse, CliConsole io)
    {
        if (await flags.ReadAsync(parse, io).ConfigureAwait(false) is not { } run) return ExitCodes.InvalidInput;
        if (run.Local is { } local) return await LocalSegments.RunAsync(run, local, io).ConfigureAwait(false);
        if (run.Scenarios is [{ Segment.IsWhole: false }, ..] && !KeepScenarioFile(run, io)) return ExitCodes.HarnessError;
        return run.Repeat == 1
            ? await ScenarioSession.RunAsync(run.Scenarios, run.Searches, run.OutputFolder, io, run.Outputs).ConfigureAwait(false)
            : await ScenarioSession.RunRepeatedAsync(run.Scenarios, run.OutputFolder, run.Repeat, io, run.Outputs).ConfigureAwait(false);
    }
}
