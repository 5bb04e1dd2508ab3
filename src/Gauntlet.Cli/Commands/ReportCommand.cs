using System.CommandLine;
using Gauntlet.Results;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet report RESULT.json [--format md|html|junit|json] [--out FILE]</c>: re-renders a stored result.</summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole io)
    {
        var file = new Argument<string>("result") { HelpName = "result.json", Description = "A result.json written by gauntlet run (scenarios and searches) or gauntlet test." };
        var format = new Option<string>("--format", "-f") { Description = "The format: md, html, junit or json.", DefaultValueFactory = _ => "md", HelpName = "md|html|junit|json" };
        format.AcceptOnlyFromAmong(ReportFormats.Names);
        var output = new Option<string?>("--out", "-o") { Description = "Write the report to this file (default: standard output).", HelpName = "file" };
        var command = new Command("report", """
            Render a stored result again (of gauntlet run, a search, or gauntlet test), in any format: Markdown, a self-contained HTML page with charts,
            JUnit XML for CI, or the result's JSON (normalised). Exit code 0, or 2 when the result file is
            missing or not a result this Gauntlet understands.

            Examples:
              gauntlet report gauntlet-results/20250301-120000/result.json --format html --out report.html
              gauntlet report result.json --format junit --out junit.xml
            """)
        {
            file, format, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            (RunResult? Run, TestRunResult? Tests) result;
            try
            {
                result = await ResultFile.ReadAnyAsync(parse.GetValue(file)!, cancellationToken).ConfigureAwait(false);
            }
            catch (ResultFileException e)
            {
                io.Error($"gauntlet report: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            var text = result.Tests is { } tests ? ReportFormats.Render(parse.GetValue(format)!, tests) : ReportFormats.Render(parse.GetValue(format)!, result.Run!);
            return await OutputFile.WriteAsync(io, "gauntlet report", parse.GetValue(output), text).ConfigureAwait(false);
        });
        return command;
    }
}
