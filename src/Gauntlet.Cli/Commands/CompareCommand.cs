using System.CommandLine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet compare BASELINE.json NEW.json [--tolerance 10%] [--alpha 0.01] [--out FILE]</c></summary>
internal static class CompareCommand
{
    public static Command Create(CliConsole io)
    {
        var baseline = new Argument<string>("baseline") { HelpName = "baseline.json", Description = "The result.json to compare against." };
        var current = new Argument<string>("new") { HelpName = "new.json", Description = "The result.json of the new run." };
        var tolerance = Tolerance();
        var alpha = Alpha();
        var output = new Option<string?>("--out", "-o") { Description = "Write the Markdown comparison to this file (default: standard output).", HelpName = "file" };
        var command = new Command("compare", """
            Compare a new run with a baseline, scenario by scenario: throughput, p50, p99, error rate and
            memory, each as new / baseline with a verdict that accounts for noise (the per-second values
            of both runs must differ, not just two means). Prints Markdown for a CI summary. Exit code 0
            when nothing regressed, 1 when a metric regressed beyond the tolerance or a baseline scenario
            is missing, 2 for unreadable files or bad flags.

            Examples:
              gauntlet compare baseline/result.json gauntlet-results/latest/result.json
              gauntlet compare old.json new.json --tolerance 5% --out comparison.md
            """)
        {
            baseline, current, tolerance, alpha, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryOptions(io, "gauntlet compare", parse.GetValue(tolerance), parse.GetValue(alpha), out var options)) return ExitCodes.InvalidInput;
            var before = await ReadAsync(io, "gauntlet compare", parse.GetValue(baseline)!, cancellationToken).ConfigureAwait(false);
            var after = await ReadAsync(io, "gauntlet compare", parse.GetValue(current)!, cancellationToken).ConfigureAwait(false);
            if (before is null || after is null) return ExitCodes.InvalidInput;
            var comparison = RunComparison.Compare(before, after, options);
            var text = ComparisonReport.Render(comparison, parse.GetValue(baseline)!, parse.GetValue(current)!);
            var written = await OutputFile.WriteAsync(io, "gauntlet compare", parse.GetValue(output), text).ConfigureAwait(false);
            if (written != ExitCodes.Passed) return written;
            return comparison.Regressed ? ExitCodes.Failed : ExitCodes.Passed;
        });
        return command;
    }

    public static Option<string?> Tolerance() => new("--tolerance")
    {
        Description = $"How much worse a metric may get before it is a regression (default {Format.Percent(CompareOptions.DefaultTolerance)}).",
        HelpName = "percent",
    };

    public static Option<string?> Alpha() => new("--alpha")
    {
        Description = $"Largest p-value of a difference counted as real, not noise (default {CompareOptions.DefaultAlpha}).",
        HelpName = "p",
    };

    public static bool TryOptions(CliConsole io, string command, string? tolerance, string? alpha, out CompareOptions options)
    {
        options = new CompareOptions();
        if (tolerance is not null)
        {
            if (!Units.TryParseRatio(tolerance, out var t, out var error))
            {
                io.Error($"{command}: --tolerance: {error}");
                return false;
            }
            options = options with { Tolerance = t };
        }
        if (alpha is not null)
        {
            if (!Units.TryParseRatio(alpha, out var a, out var error) || a <= 0 || a >= 1)
            {
                io.Error($"{command}: --alpha: {error ?? $"must be above 0 and below 1, found '{alpha}'"}");
                return false;
            }
            options = options with { Alpha = a };
        }
        return true;
    }

    /// <summary>The result, or null after saying why it cannot be read.</summary>
    public static async Task<RunResult?> ReadAsync(CliConsole io, string command, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await ResultFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (ResultFileException e)
        {
            io.Error($"{command}: {e.Message}");
            return null;
        }
    }
}
