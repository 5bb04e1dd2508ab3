using Gauntlet.Cli.Reports;
using Gauntlet.Reports;
using Gauntlet.Results;
using static Gauntlet.Tests.Reports.MarkdownDocument;

namespace Gauntlet.Tests.Reports;

public sealed class SearchAndFiguresReportTests
{
    private static readonly SearchResult Search = new()
    {
        Scenario = "countdown",
        Parameter = "depth",
        Mode = SearchMode.Bisect,
        From = 1000,
        To = 10000,
        Step = 1,
        Isolated = true,
        LargestPassing = 6666,
        FirstFailing = 6667,
        FailureStatus = ProbeStatus.Crashed,
        Failure = [new(ReasonCode.Crashed, "crashed at depth 6667: the probe process died with SIGABRT (exit 134)")],
        Probes =
        [
            new SearchProbe { Value = 1000, Status = ProbeStatus.Passed, Throughput = 20.5, P99Micros = 41000, Started = 3, DurationSeconds = 1.2, ExitCode = 0 },
            new SearchProbe { Value = 6666, Status = ProbeStatus.Passed, Throughput = 11.8, P99Micros = 85000, Started = 3, DurationSeconds = 1.4, ExitCode = 0 },
            new SearchProbe { Value = 6667, Status = ProbeStatus.Crashed, DurationSeconds = 0.9, Reasons = [new(ReasonCode.Crashed, "crashed")], ExitCode = 134 },
        ],
        Passed = true,
    };

    [Fact]
    public void Markdown_report_has_a_search_section_with_the_bracket_and_the_curve()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()) with { Searches = [Search] });

        var headings = Headings(md);
        Assert.Equal("## Search: countdown over depth", headings[^4]);
        Assert.Equal(["### Failure at the first failing value", "### Curve", "### Reasons for the search's verdict"], headings[^3..]);
        Assert.Contains("| largest passing | 6666 |", md);
        Assert.Contains("| first failing | 6667 (CRASH) |", md);
        Assert.Contains("| 6667 | CRASH |", md);
        Assert.Contains("| 134 |", md);
    }

    [Fact]
    public void Figures_appear_only_for_scenarios_that_report_them()
    {
        var plain = ReportSamples.ClosedPassed("plain");
        var stressed = ReportSamples.ClosedPassed("mpmc") with
        {
            Figures = [new Figure("item_rate", 2_500_000, Figure.RateUnit, "items received per second"), new Figure("allocated", 3 * 1024 * 1024, Figure.BytesUnit, "bytes allocated")],
        };

        var md = MarkdownReport.Render(ReportSamples.Run(plain, stressed));

        Assert.Equal(1, Headings(md).Count(h => h == "### Figures"));
        Assert.Contains("| `item_rate` | 2500000/s | items received per second |", md);
        Assert.Contains("| `allocated` | 3 MiB | bytes allocated |", md);
    }

    [Fact]
    public void Console_summary_shows_the_search_bracket_and_every_probe()
    {
        var writer = new StringWriter();
        var console = ConsoleReport.CreateConsole(writer);
        console.Profile.Width = 200;
        ConsoleReport.Write(console, ReportSamples.Run(ReportSamples.ClosedPassed()) with { Searches = [Search] });
        var text = writer.ToString();

        Assert.Contains("search countdown over depth", text);
        Assert.Contains("largest passing 6666, first failing 6667 (CRASH)", text);
        Assert.Contains("6667", text);
        Assert.Contains("CRASH", text);
    }
}
