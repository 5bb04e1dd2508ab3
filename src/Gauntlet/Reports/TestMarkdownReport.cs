using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>The <c>report.md</c> of a test run, from its <see cref="TestRunResult"/> alone.</summary>
internal static class TestMarkdownReport
{
    /// <summary>The title line.</summary>
    public const string Title = "# Gauntlet test report";

    /// <summary>Renders the report as Markdown with <c>\n</c> line ends.</summary>
    public static string Render(TestRunResult result)
    {
        var md = new StringBuilder();
        md.Append(Title).Append("\n\n");
        md.Append("- **Suite:** ").Append(MarkdownText.Inline(result.Suite)).Append('\n');
        md.Append("- **Date:** ").Append(Figures.Instant(result.StartedAt)).Append(" (")
            .Append(Figures.Seconds((result.FinishedAt - result.StartedAt).TotalSeconds)).Append(")\n");
        md.Append("- **Result:** ").Append(TestStatusText.Verdict(result)).Append('\n');
        md.Append("- **Counts:** ").Append(TestStatusText.CountsLine(result)).Append('\n');
        var s = result.Settings;
        md.Append("- **Settings:** ").Append($"{s.Jobs} at once, timeout {(s.TimeoutMs is { } t ? TestStatusText.Millis(t) : "none")}, retries {s.Retries}, repeat {s.Repeat}{(s.UntilFail ? " until the first failure" : "")}").Append("\n\n");

        var env = result.Environment;
        md.Append("## Environment\n\n");
        new MarkdownTable("item", "value")
            .Add("CPU", MarkdownText.Inline(env.CpuModel))
            .Add("Cores", env.LogicalCores > 0 ? $"{env.LogicalCores} logical" : "unknown")
            .Add("OS", MarkdownText.Inline(env.Os))
            .Add("Kernel", MarkdownText.Inline(env.Kernel))
            .Add("Runtime", MarkdownText.Inline(env.Runtime))
            .Add("Gauntlet", MarkdownText.Inline(env.GauntletVersion))
            .WriteTo(md);

        md.Append("\n## Tests\n\n");
        var table = new MarkdownTable("status", "test", "detail", ">runs", ">pass rate", ">duration", ">mean", ">peak RSS", ">CPU", "command");
        foreach (var test in result.Tests)
            table.Add(TestStatusText.Label(test.Status), MarkdownText.Inline(test.Name), MarkdownText.Inline(test.Detail, MarkdownText.MaxCellLength),
                test.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture), Format.Percent(test.PassRate), TestStatusText.Millis(test.DurationMs),
                TestStatusText.Millis(test.MeanDurationMs), TestStatusText.Size(test.PeakRssBytes), TestStatusText.Millis(test.CpuMs), MarkdownText.CodeCell(test.Command));
        table.WriteTo(md);

        var skipped = result.Tests.Where(t => t.Status == TestStatus.Skipped).ToList();
        if (skipped.Count > 0)
        {
            md.Append("\n## Skipped tests\n\n");
            foreach (var test in skipped)
                md.Append("- ").Append(MarkdownText.Inline(test.Name)).Append(": ").Append(MarkdownText.Inline(test.Detail)).Append('\n');
        }

        md.Append("\n## Tests that did not pass\n\n");
        var bad = result.Tests.Where(t => t.Status is not (TestStatus.Passed or TestStatus.Skipped)).ToList();
        if (bad.Count == 0) md.Append("None.\n");
        foreach (var test in bad)
        {
            md.Append("### ").Append(TestStatusText.Label(test.Status)).Append(' ').Append(MarkdownText.Inline(test.Name)).Append("\n\n");
            md.Append(MarkdownText.Inline(test.Detail)).Append("\n\n");
            foreach (var threshold in test.Thresholds.Where(t => !t.Passed))
                md.Append("- threshold `").Append(threshold.Expression).Append("` missed: ").Append(MarkdownText.Inline(threshold.ActualText)).Append('\n');
            if (test.Attempts.Count > 0)
            {
                var runs = new MarkdownTable(">run", ">attempt", "status", "detail", ">duration", ">peak RSS");
                foreach (var a in test.Attempts)
                    runs.Add(a.Run.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        TestStatusText.Label(a.Status), MarkdownText.Inline(a.Detail, MarkdownText.MaxCellLength), TestStatusText.Millis(a.DurationMs), TestStatusText.Size(a.PeakRssBytes));
                runs.WriteTo(md);
                md.Append('\n');
            }
            if (test.Output is { } output)
            {
                Block(md, $"stdout of run {output.Run}, attempt {output.Attempt} ({output.StdoutBytes} bytes{(output.StdoutLog is null ? "" : $", full log: `{output.StdoutLog}`")})", output.StdoutTail);
                Block(md, $"stderr ({output.StderrBytes} bytes{(output.StderrLog is null ? "" : $", full log: `{output.StderrLog}`")})", output.StderrTail);
            }
        }
        return md.ToString();
    }

    private static void Block(StringBuilder md, string heading, string text)
    {
        md.Append(heading).Append(text.Length == 0 ? ": empty\n\n" : ", last lines:\n\n");
        if (text.Length == 0) return;
        var fence = text.Contains("```", StringComparison.Ordinal) ? "~~~~" : "```";
        md.Append(fence).Append("text\n").Append(text.TrimEnd('\n')).Append('\n').Append(fence).Append("\n\n");
    }
}
