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
        var baselineFile = new Option<string?>("--baseline") { Description = "html: draw this earlier run's latency distribution beside the result's (a result.json).", HelpName = "result.json" };
        var command = new Command("report", """
            Render a stored result again (of gauntlet run, a search, or gauntlet test), in any format: Markdown, a self-contained HTML page with charts,
            JUnit XML for CI, or the result's JSON (normalised). Exit code 0, or 2 when the result file is
            missing or not a result this Gauntlet understands.

            Examples:
              gauntlet report gauntlet-results/20250301-120000/result.json --format html --out report.html
              gauntlet report result.json --format junit --out junit.xml
              gauntlet report new/result.json --format html --baseline old/result.json --out report.html
            """)
        {
            file, format, output, baselineFile,
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
            RunResult? baseline = null;
            if (parse.GetValue(baselineFile) is { } baselinePath)
            {
                try
                {
                    baseline = (await ResultFile.ReadAnyAsync(baselinePath, cancellationToken).ConfigureAwait(false)).Run
                        ?? throw new ResultFileException($"{baselinePath}: a test run's result, not a run's; give the result.json of gauntlet run");
                }
                catch (ResultFileException e)
                {
                    io.Error($"gauntlet report: --baseline {e.Message}");
                    return ExitCodes.InvalidInput;
                }
            }
            var text = result.Tests is { } tests ? ReportFormats.Render(parse.GetValue(format)!, tests)
                : ReportFormats.Render(parse.GetValue(format)!, result.Run!, baseline, parse.GetValue(baselineFile));
            return await OutputFile.WriteAsync(io, "gauntlet report", parse.GetValue(output), text).ConfigureAwait(false);
        });
        return command;
    }
}
