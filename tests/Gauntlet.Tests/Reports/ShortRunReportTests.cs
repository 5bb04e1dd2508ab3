using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.InProcess;
using Gauntlet.Thresholds;
using static Gauntlet.Tests.Engine.RunHelpers;
using static Gauntlet.Tests.Reports.MarkdownDocument;

namespace Gauntlet.Tests.Reports;

/// <summary>
/// A run shorter than two whole seconds has no per-second figures; every report and the <c>cv(throughput)</c>
/// threshold say why instead of showing zeros (<c>cv 0%</c> would claim a perfectly steady rate). A result that holds
/// only breaking-point searches says so instead of "0 of 0 scenarios passed".
/// </summary>
public sealed class ShortRunReportTests
{
    private const string Why = "needs at least 2 whole seconds of issuing; the scenario issued for 0.3s";

    /// <summary>What the engine writes for a 0.3 s run: no whole second, so every per-second figure is 0.</summary>
    private static ScenarioResult Short() => ReportSamples.ClosedPassed("short") with
    {
        IssuingSeconds = 0.3,
        DurationSeconds = 0.31,
        Counts = new Counts { Started = 600, Ok = 600 },
        Throughput = new ThroughputStats { Overall = 1935.48 },
        Timeline = [],
    };

    [Fact]
    public void Console_rate_line_of_a_short_run_says_why_there_are_no_per_second_figures()
    {
        var lines = ConsoleReportTests.Lines(ConsoleReportTests.Render(ReportSamples.Run(Short()), width: 240));

        Assert.Contains("rate        1935.5/s overall; no per-second figures: " + Why, lines);
        Assert.DoesNotContain(lines, l => l.Contains("cv 0%", StringComparison.Ordinal) || l.Contains("per second mean", StringComparison.Ordinal));
    }

    [Fact]
    public void Console_rate_line_of_a_long_run_still_shows_the_per_second_figures()
    {
        var text = ConsoleReportTests.Render(ReportSamples.Run(ReportSamples.ClosedPassed()));

        Assert.Contains("per second mean 2000/s, cv 1%, min 1970/s, max 2030/s", text);
        Assert.DoesNotContain("no per-second figures", text);
    }

    [Fact]
    public void Text_summary_of_a_short_run_says_why_there_are_no_per_second_figures()
    {
        var text = TextSummary.Render(ReportSamples.Run(Short()));

        Assert.Contains("   rate      1935.5/s overall; no per-second figures: " + Why + "\n", text.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("cv 0%", text);
        Assert.Contains("per second mean 2000/s, cv 1% over 5s", TextSummary.Render(ReportSamples.Run(ReportSamples.ClosedPassed())));
    }

    [Fact]
    public void Markdown_throughput_of_a_short_run_says_why_instead_of_a_table_of_zeros()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(Short()));

        Assert.Equal("Overall 1935.5/s. No per-second figures (mean, CV, min, max): " + Why + ".", Section(md, "### Throughput").Trim());
    }

    [Fact]
    public void Html_throughput_of_a_short_run_says_why_instead_of_a_table_of_zeros()
    {
        var html = HtmlReport.Render(ReportSamples.Run(Short()));

        Assert.Contains("<p>Overall 1935.5/s. No per-second figures (mean, CV, min, max): " + Why + ".</p>", html);
        Assert.DoesNotContain("per-second mean", html);
        Assert.Contains("per-second mean", HtmlReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed())));
    }

    [Fact]
    public void Cv_threshold_of_a_short_run_fails_saying_why_it_cannot_be_judged()
    {
        var source = new ScenarioMetricSource(Short(), Histograms.Create());

        var cv = Threshold.Parse("cv(throughput) < 10%").Evaluate(source);
        var drift = Threshold.Parse("drift(throughput) > -10%").Evaluate(source);

        Assert.False(cv.Passed);
        Assert.Null(cv.Actual);
        Assert.Equal("cannot be judged: " + Why, cv.Note);
        Assert.False(drift.Passed);
        Assert.Equal("cannot be judged: needs at least 6 whole seconds of issuing; the scenario issued for 0.3s", drift.Note);
        // A metric missing for another reason keeps the plain note.
        Assert.Equal(Threshold.NotMeasuredNote, Threshold.Parse("lost == 0").Evaluate(source).Note);
    }

    [Fact]
    public void Cv_threshold_of_a_long_run_is_judged_on_its_value()
    {
        var verdict = Threshold.Parse("cv(throughput) < 10%").Evaluate(new ScenarioMetricSource(ReportSamples.ClosedPassed(), Histograms.Create()));

        Assert.True(verdict.Passed);
        Assert.Equal(0.01, verdict.Actual);
        Assert.Null(verdict.Note);
    }

    [Fact]
    public async Task A_real_short_run_gives_the_reason_in_its_result_and_its_console_summary()
    {
        var scenario = Scenario.Create("short", new SyntheticOperation(new SyntheticOptions { Latency = Ms(1) }))
            .WithLoad(LoadProfile.Closed(1))
            .WithDuration(Ms(300))
            .WithThresholds("cv(throughput) < 50%");

        var result = await RunOne(scenario);

        Assert.Equal(0, result.Throughput.Seconds);
        var threshold = Assert.Single(result.Thresholds);
        Assert.False(threshold.Passed);
        Assert.StartsWith("cannot be judged: needs at least 2 whole seconds of issuing; the scenario issued for 0.", threshold.Note, StringComparison.Ordinal);
        Assert.Contains("no per-second figures: needs at least 2 whole seconds of issuing", TextSummary.Render(ReportSamples.Run(result)));
    }

    private static readonly SearchResult Search = new()
    {
        Scenario = "countdown",
        Parameter = "depth",
        Mode = SearchMode.Step,
        From = 1,
        To = 3,
        Step = 1,
        LargestPassing = 3,
        Probes = [new SearchProbe { Value = 1, Status = ProbeStatus.Passed, Throughput = 10, P99Micros = 1000, Started = 10, DurationSeconds = 1 }],
        Passed = true,
    };

    [Fact]
    public void Markdown_of_a_searches_only_result_says_it_holds_searches()
    {
        var md = MarkdownReport.Render(ReportSamples.Run() with { Searches = [Search, Search with { Passed = false }] });

        Assert.Contains("- **Result:** FAILED (1 of 2 breaking-point searches passed)\n", md);
        Assert.DoesNotContain("0 of 0", md);
        Assert.Equal("No scenario of its own: the run holds 2 breaking-point searches, each of which ran its scenario once per probed value; see below.",
            Section(md, "## Summary").Trim());
    }

    [Fact]
    public void Html_of_a_searches_only_result_says_it_holds_searches()
    {
        var html = HtmlReport.Render(ReportSamples.Run() with { Searches = [Search] });

        Assert.Contains("<p>1 of 1 breaking-point search passed. ", html);
        Assert.Contains("<p>No scenario of its own: the run holds 1 breaking-point search, each of which ran its scenario once per probed value; see below.</p>", html);
        Assert.DoesNotContain("0 of 0", html);
        Assert.DoesNotContain("No scenario started", html);
    }

    [Fact]
    public void Markdown_of_scenarios_and_searches_counts_both_and_an_empty_run_says_nothing_ran()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()) with { Searches = [Search] });
        var empty = MarkdownReport.Render(ReportSamples.Run());

        Assert.Contains("- **Result:** PASSED (1 of 1 scenario passed; 1 of 1 breaking-point search passed)\n", md);
        Assert.Contains("- **Result:** FAILED (nothing ran)\n", empty);
        Assert.Equal("No scenario started.", Section(empty, "## Summary").Trim());
    }
}
