using Gauntlet.Cli.Reports;
using Gauntlet.Reports;
using Gauntlet.Results;
using Spectre.Console;

namespace Gauntlet.Tests.Reports;

/// <summary>What a user in an 80-column terminal or reading a CI log sees: nothing wider than it, rows on one line.</summary>
public sealed class ConsoleWidthTests
{
    private static readonly ScenarioProgressRow Busy = new("checkout-with-a-long-name", 3725, 123_456_789, 123_456_000, 789, 12_345, 1_234_567, 1_234_000, 12_345);

    [Fact]
    public void Progress_table_in_80_columns_has_each_scenario_on_one_line()
    {
        var writer = new StringWriter();
        var console = ConsoleReport.CreateConsole(writer);
        console.Profile.Width = 80;
        console.Write(ConsoleReport.ProgressTable([Busy, Busy with { Scenario = "b", Dropped = 0, Errors = 0 }]));

        var lines = writer.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        // Header, two rows and the rules around them: a row that wraps adds lines.
        var rows = lines.Where(l => l.Contains("running", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("123.5M", rows[0]);
        Assert.Contains("12,345", rows[0]);
    }

    [Theory]
    [InlineData("checkout")]
    [InlineData("a-scenario-name-that-somebody-made-far-too-long-for-any-terminal-to-show-in-one-line")]
    public void Progress_line_is_at_most_100_columns_without_box_rules(string name)
    {
        var line = ConsoleReport.ProgressLine(Busy with { Scenario = name, Verdict = Verdict.Failed });

        Assert.True(line.Length <= 100, $"{line.Length} columns: {line}");
        Assert.DoesNotContain('│', line);
        Assert.Contains("123.5M ok", line);
        Assert.Contains("in flight", line);
        Assert.StartsWith($"[3725s] {name[..8]}", line);
    }

    [Fact]
    public void Summary_fits_an_80_column_terminal()
    {
        var text = ConsoleReportTests.Render(ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed()), width: 80);

        Assert.All(ConsoleReportTests.Lines(text), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        Assert.Contains("Acceptance", text);
    }
}
