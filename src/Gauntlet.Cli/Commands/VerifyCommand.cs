using System.CommandLine;
using Gauntlet.Reports;
using Gauntlet.Scenarios;
using Gauntlet.Verification.Linearizability;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet verify FILE --model register [--time-limit 60s] [--scenario NAME] [--html FILE]</c></summary>
internal static class VerifyCommand
{
    private const string Name = "gauntlet verify";

    public static Command Create(CliConsole io)
    {
        var file = new Argument<string>("file") { HelpName = "history", Description = "Gauntlet's history.jsonl, or a Jepsen log (INFO  jepsen.util - 3\t:invoke\t:write\t4 lines)." };
        var models = string.Join(", ", LinearizableModel.BuiltIn.Select(m => m.Name));
        var model = new Option<string>("--model") { Description = $"The model the history is checked against: {models}.", HelpName = "model", Required = true };
        var limit = new Option<string?>("--time-limit") { Description = $"How long the check may search before its verdict is unknown (default {Format.Duration(Verifier.DefaultLinearizabilityTimeLimit)}).", HelpName = "duration" };
        var scenario = new Option<string?>("--scenario") { Description = "The scenario whose operations to check, when the history holds several.", HelpName = "name" };
        var html = new Option<string?>("--html") { Description = "Write the counterexample's time line to this HTML file (when there is one).", HelpName = "file" };
        var command = new Command("verify", $"""
            Check a recorded history for linearizability: is there one order of the operations, each taking
            effect at an instant between its invocation and its completion, that explains every result the
            clients saw? Models: {models}. Operations whose outcome is unknown may have taken effect at any
            point after their start, or never; failed ones never did. Prints the verdict, and when it fails
            the smallest failing window and the longest linearizable prefix.
            Exit code 0 when linearizable, 1 when not, 2 for a file or flag that cannot be read (FILE:LINE),
            5 when the time limit left the verdict unknown.

            Examples:
              gauntlet verify gauntlet-results/latest/history.jsonl --model kv
              gauntlet verify etcd_000.log --model register --html counterexample.html
            """)
        {
            file, model, limit, scenario, html,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var modelName = parse.GetValue(model)!;
            if (LinearizableModel.Find(modelName) is not { } chosen)
            {
                io.Error($"{Name}: --model: '{modelName}' is not a model: {DidYouMean.Hint(modelName, LinearizableModel.BuiltIn.Select(m => m.Name).ToList())}");
                return ExitCodes.InvalidInput;
            }
            var timeLimit = Verifier.DefaultLinearizabilityTimeLimit;
            if (parse.GetValue(limit) is { } text)
            {
                if (!Units.TryParseDuration(text, out timeLimit, out var error) || timeLimit <= TimeSpan.Zero)
                {
                    io.Error($"{Name}: --time-limit: {(error is null ? $"must be above 0, such as 60s; found '{text}'" : error)}");
                    return ExitCodes.InvalidInput;
                }
            }
            if (!File.Exists(path))
            {
                io.Error($"{Name}: {path}: no such file; give a history.jsonl from a results folder or a Jepsen log");
                return ExitCodes.InvalidInput;
            }
            Gauntlet.Results.VerificationResult result;
            try
            {
                result = HistoryCheck.Run(path, chosen, parse.GetValue(scenario), timeLimit);
            }
            catch (InvalidHistoryException invalid)
            {
                io.Error($"{(invalid.Line > 0 ? $"{path}:{invalid.Line}" : path)}: {invalid.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (IOException exception)
            {
                io.Error($"{Name}: {path}: {exception.Message}");
                return ExitCodes.InvalidInput;
            }
            io.Stdout.WriteLine($"{path}: {result.Summary}");
            if (result.Counterexample is { } counterexample)
            {
                foreach (var line in LinearizabilityTimeline.Text(counterexample)) io.Stdout.WriteLine(line);
                if (parse.GetValue(html) is { } htmlPath)
                {
                    var page = LinearizabilityTimeline.Page($"{Path.GetFileName(path)}: not linearizable", result.Summary, "linearizable", counterexample);
                    var written = await OutputFile.WriteAsync(io, Name, htmlPath, page).ConfigureAwait(false);
                    if (written != ExitCodes.Passed) return written;
                }
            }
            return result.Passed ? ExitCodes.Passed : result.Error is not null ? ExitCodes.VerdictUnknown : ExitCodes.Failed;
        });
        return command;
    }
}
