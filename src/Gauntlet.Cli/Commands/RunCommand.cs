using System.CommandLine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet run FILE [--scenario NAME]... [--out DIR] [--set k=v]...</c></summary>
internal static class RunCommand
{
    public static Command Create(CliConsole io)
    {
        var file = new Argument<string>("file") { Description = "The YAML scenario or suite file.", HelpName = "file" };
        var scenario = new Option<string[]>("--scenario", "-s") { Description = "Run only the scenario with this name (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "name" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for result.json, report.md and report.html (default: gauntlet-results/<timestamp>).", HelpName = "folder" };
        var set = CommonOptions.Set();
        var repeat = Flags.WholeNumber("--repeat", "-r", 1, int.MaxValue, 1);
        repeat.Description = "Run the whole file N times (each run in run-K/ under the results folder) and report the pass rate and the spread of the key figures in repeat.md; exit code 0 only when every run passed.";
        var junit = new Option<bool>("--junit") { Description = "Also write junit.xml (one test case per scenario) beside result.json." };
        var baseline = new Option<string?>("--baseline") { Description = "Compare with this earlier result.json; write comparison.md and exit 1 on a regression.", HelpName = "result.json" };
        var tolerance = CompareCommand.Tolerance();
        var alpha = CompareCommand.Alpha();
        var command = new Command("run", """
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
            """)
        {
            file, scenario, output, set, repeat, junit, baseline, tolerance, alpha,
        };
        command.SetAction(async (parse, _) =>
        {
            if (!Variables.TryParse(parse.GetValue(set), out var variables, out var error))
            {
                io.Error($"gauntlet run: {error}");
                return ExitCodes.InvalidInput;
            }
            var loaded = ScenarioFile.Load(parse.GetValue(file)!, variables);
            if (!loaded.Ok)
            {
                foreach (var problem in loaded.Errors) io.Error(problem.ToString());
                io.Error($"gauntlet run: {loaded.Errors.Count} problem{(loaded.Errors.Count == 1 ? "" : "s")} in {parse.GetValue(file)}; nothing was run");
                return ExitCodes.InvalidInput;
            }
            if (!ScenarioSelection.Select(loaded.Scenarios, loaded.Searches, parse.GetValue(scenario), out var selected, out var searches, out var selectionError))
            {
                io.Error($"gauntlet run: {selectionError}");
                return ExitCodes.InvalidInput;
            }
            if (!CompareCommand.TryOptions(io, "gauntlet run", parse.GetValue(tolerance), parse.GetValue(alpha), out var compareOptions))
                return ExitCodes.InvalidInput;
            RunResult? baselineResult = null;
            if (parse.GetValue(baseline) is { } baselinePath)
            {
                // Read before running: a wrong path should not cost a whole run.
                baselineResult = await CompareCommand.ReadAsync(io, "gauntlet run: --baseline", baselinePath, CancellationToken.None).ConfigureAwait(false);
                if (baselineResult is null) return ExitCodes.InvalidInput;
            }
            var outputs = new SessionOutputs(parse.GetValue(junit), baselineResult is null ? null : new BaselineOptions(baselineResult, parse.GetValue(baseline)!, compareOptions));
            var times = parse.GetValue(repeat);
            var folder = parse.GetValue(output) ?? ScenarioSession.DefaultOutputFolder();
            if (times > 1 && searches.Count > 0)
            {
                io.Error("gauntlet run: --repeat does not apply to breaking-point searches (a search already runs its scenario many times); select plain scenarios with --scenario");
                return ExitCodes.InvalidInput;
            }
            return times == 1
                ? await ScenarioSession.RunAsync(selected, searches, folder, io, outputs).ConfigureAwait(false)
                : await ScenarioSession.RunRepeatedAsync(selected, folder, times, io, outputs).ConfigureAwait(false);
        });
        return command;
    }
}
