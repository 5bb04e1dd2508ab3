using System.CommandLine;
using Gauntlet.ScenarioFiles;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet validate FILE [--set k=v]...</c>: checks a file without running it.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole io)
    {
        var file = new Argument<string>("file") { Description = "The YAML scenario or suite file.", HelpName = "file" };
        var set = CommonOptions.Set();
        var command = new Command("validate", """
            Check a scenario file without running it: every problem is listed as FILE:LINE:COL: message.
            Exit code 0 when the file is valid, 2 when it is not.

            Examples:
              gauntlet validate examples/suite/suite.yaml
              gauntlet validate scenario.yaml --set rate=500/s
            """)
        {
            file, set,
        };
        command.SetAction(parse =>
        {
            if (!Variables.TryParse(parse.GetValue(set), out var variables, out var error))
            {
                io.Error($"gauntlet validate: {error}");
                return ExitCodes.InvalidInput;
            }
            var path = parse.GetValue(file)!;
            var loaded = ScenarioFile.Load(path, variables);
            if (!loaded.Ok)
            {
                foreach (var problem in loaded.Errors) io.Error(problem.ToString());
                io.Error($"gauntlet validate: {loaded.Errors.Count} problem{(loaded.Errors.Count == 1 ? "" : "s")} in {path}");
                return ExitCodes.InvalidInput;
            }
            io.Out.WriteLine($"{path}: valid, {loaded.Scenarios.Count} scenario{(loaded.Scenarios.Count == 1 ? "" : "s")}"
                + (loaded.Searches.Count == 0 ? "" : $", {loaded.Searches.Count} search{(loaded.Searches.Count == 1 ? "" : "es")}"));
            foreach (var scenario in loaded.Scenarios)
                io.Out.WriteLine($"  {scenario.Name}: {scenario.Load.Describe()}; {scenario.Bounds.Describe()}" +
                    (scenario.Thresholds.Count == 0 ? "" : $"; thresholds: {string.Join(", ", scenario.Thresholds.Select(t => t.Expression))}"));
            foreach (var search in loaded.Searches)
                io.Out.WriteLine($"  {search.Name}: search {search.Options.Describe()}");
            return ExitCodes.Passed;
        });
        return command;
    }
}
