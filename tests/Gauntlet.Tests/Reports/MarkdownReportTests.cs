using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.InProcess;
using Gauntlet.Tests.Engine;
using static Gauntlet.Tests.Reports.MarkdownDocument;

namespace Gauntlet.Tests.Reports;

public sealed class MarkdownReportTests
{
    private static readonly string[] ScenarioSections =
    [
        "### Configuration", "### Counts", "### Latency", "### Arrivals", "### Throughput", "### Resources", "### Barrier start",
        "### Errors", "### Warnings", "### Reasons for the verdict", "### Hang", "### Timeline",
    ];

    [Fact]
    public void Report_has_every_section_in_a_fixed_order()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed()));

        string[] expected =
        [
            "# Gauntlet stress test report", "## Environment", "## Summary", "## Acceptance criteria",
            "## Scenario: rapid-list", .. ScenarioSections, "## Scenario: checkout", .. ScenarioSections,
        ];
        Assert.Equal(expected, Headings(md));
    }

    [Fact]
    public void Two_different_runs_share_headings_and_table_headers_so_they_diff_cleanly()
    {
        var quiet = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed("svc")));
        var troubled = ReportSamples.OpenFailed() with { Name = "svc", Config = ReportSamples.ClosedPassed().Config, ServiceTime = null, SchedulingLag = null, Arrivals = null };
        var noisy = MarkdownReport.Render(ReportSamples.Run(troubled with { Hang = ReportSamples.Hung().Hang }));

        Assert.Equal(Headings(quiet), Headings(noisy));
        foreach (var section in new[] { "### Counts", "### Latency", "### Throughput", "### Timeline" })
            Assert.Equal(Table(Section(quiet, section)).Headers, Table(Section(noisy, section)).Headers);
        Assert.Equal(quiet, MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed("svc"))));
    }

    [Fact]
    public void Environment_table_is_filled_from_the_result_without_placeholders()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()));

        var rows = Table(Section(md, "## Environment")).Rows.ToDictionary(r => r["item"], r => r["value"]);
        Assert.Equal("AMD EPYC 7B13", rows["CPU"]);
        Assert.Equal("8 logical", rows["Cores"]);
        Assert.Equal("32 GiB", rows["Memory"]);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", rows["OS"]);
        Assert.Equal("6.1.0-18-amd64", rows["Kernel"]);
        Assert.Equal(".NET 10.0.0", rows["Runtime"]);
        Assert.Equal("0.1.0", rows["Gauntlet"]);
        Assert.Equal("server, concurrent", rows["GC mode"]);
        Assert.Equal("bench-01", rows["Machine"]);
        Assert.DoesNotContain("[Your", md);
        Assert.Contains("- **Date:** 2025-03-01 12:00:00 UTC", md);
    }

    [Fact]
    public void Environment_figures_the_probe_could_not_read_say_unknown()
    {
        var result = ReportSamples.Run(ReportSamples.ClosedPassed()) with
        {
            Environment = ReportSamples.Environment() with { LogicalCores = 0, MemoryBytes = 0, CpuModel = "unknown" },
        };

        var rows = Table(Section(MarkdownReport.Render(result), "## Environment")).Rows.ToDictionary(r => r["item"], r => r["value"]);

        Assert.Equal("unknown", rows["Cores"]);
        Assert.Equal("unknown", rows["Memory"]);
        Assert.Equal("unknown", rows["CPU"]);
    }

    [Fact]
    public void Summary_row_holds_the_scenario_figures_with_units()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed()));

        var (headers, rows) = Table(Section(md, "## Summary"));
        Assert.Equal(["test", "operations", "duration", "ops/s", "success rate", "p50", "p99", "status"], headers);
        var open = rows.Single(r => r["test"] == "checkout");
        Assert.Equal(44_990, Number(open["operations"]));
        Assert.Equal("65.25s", open["duration"]);
        Assert.Equal("749.8/s", open["ops/s"]);
        Assert.Equal("99.58% (44,800/44,990)", open["success rate"]);
        Assert.Equal("5ms", open["p50"]);
        Assert.Equal("61.2ms", open["p99"]);
        Assert.Equal("FAIL", open["status"]);
        var closed = rows.Single(r => r["test"] == "rapid-list");
        Assert.Equal("100% (10,000/10,000)", closed["success rate"]);
        Assert.Equal("11.38ms", closed["p99"]);
        Assert.Equal("PASS", closed["status"]);
        Assert.Contains("- **Result:** FAILED (1 of 2 scenarios passed)", md);
    }

    [Fact]
    public void Acceptance_table_lists_every_threshold_with_target_actual_and_verdict()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed()));

        var (headers, rows) = Table(Section(md, "## Acceptance criteria"));
        Assert.Equal(["scenario", "threshold", "target", "actual", "status", "note"], headers);
        Assert.Equal(5, rows.Count);
        var p99 = rows.Single(r => r["scenario"] == "checkout" && r["threshold"] == "`p99 < 50ms`");
        Assert.Equal("50ms", p99["target"]);
        Assert.Equal("61.2ms", p99["actual"]);
        Assert.Equal("FAIL", p99["status"]);
        Assert.Equal(@"p99 of 44,962 completed \| operations", p99["note"]);
        var throughput = rows.Single(r => r["threshold"] == "`throughput >= 400/s`");
        Assert.Equal("749.8/s", throughput["actual"]);
        Assert.Equal("PASS", throughput["status"]);
    }

    [Fact]
    public void Run_without_thresholds_says_so_instead_of_an_empty_table()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.Hung()));

        Assert.Equal("No thresholds were set.", Section(md, "## Acceptance criteria").Trim());
    }

    [Fact]
    public void Counts_row_and_accounting_line_balance()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.OpenFailed()));

        var counts = Section(md, "### Counts");
        var row = Assert.Single(Table(counts).Rows);
        Assert.Equal(44_990, Number(row["started"]));
        Assert.Equal(44_800, Number(row["ok"]));
        Assert.Equal(120, Number(row["failed"]));
        Assert.Equal(40, Number(row["timed out"]));
        Assert.Equal(2, Number(row["crashed"]));
        Assert.Equal(28, Number(row["cut off"]));
        Assert.Equal(10, Number(row["dropped"]));
        Assert.Contains("started = ok + failed + timed out + crashed + cut off: balanced (44,990 = 44,800 + 120 + 40 + 2 + 28).", counts);
        Assert.Contains("Dropped arrivals never started", counts);
    }

    [Fact]
    public void Accounting_that_does_not_balance_is_called_out_with_the_gap()
    {
        var broken = ReportSamples.ClosedPassed() with { Counts = new Counts { Started = 100, Ok = 95 }, AccountingBalanced = false };

        var counts = Section(MarkdownReport.Render(ReportSamples.Run(broken)), "### Counts");

        Assert.Contains("cut off: **NOT balanced** (100 != 95; 5 operations unaccounted for).", counts);
        Assert.DoesNotContain(": balanced", counts);
    }

    [Fact]
    public void Open_model_shows_latency_service_time_and_scheduling_lag_side_by_side()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.OpenFailed()));

        var (headers, rows) = Table(Section(md, "### Latency"));
        Assert.Equal(["statistic", "latency", "service time", "scheduling lag"], headers);
        Assert.Equal(["samples", "min", "p50", "p90", "p95", "p99", "p99.9", "max", "mean", "stddev"], rows.Select(r => r["statistic"]));
        var p99 = rows.Single(r => r["statistic"] == "p99");
        Assert.Equal("61.2ms", p99["latency"]);
        Assert.Equal("40.1ms", p99["service time"]);
        Assert.Equal("12ms", p99["scheduling lag"]);
        Assert.Equal("30us", rows.Single(r => r["statistic"] == "p50")["scheduling lag"]);
        Assert.Contains("coordinated omission", Section(md, "### Latency"));

        var arrivals = Assert.Single(Table(Section(md, "### Arrivals")).Rows);
        Assert.Equal("750/s", arrivals["requested"]);
        Assert.Equal("749.8/s", arrivals["achieved"]);
        Assert.Equal("99.98%", arrivals["achieved / requested"]);
        Assert.Equal(10, Number(arrivals["dropped"]));
    }

    [Fact]
    public void Closed_model_has_one_latency_column_and_no_arrivals()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()));

        Assert.Equal(["statistic", "latency"], Table(Section(md, "### Latency")).Headers);
        Assert.Equal("Not applicable: closed model.", Section(md, "### Arrivals").Trim());
        Assert.Equal("Not used.", Section(md, "### Barrier start").Trim());
    }

    [Fact]
    public void Latency_of_a_scenario_where_nothing_completed_is_not_available_rather_than_zero()
    {
        var empty = ReportSamples.Hung() with { Latency = new LatencySummary(), Counts = new Counts { Started = 4, CutOff = 4 } };

        var rows = Table(Section(MarkdownReport.Render(ReportSamples.Run(empty)), "### Latency")).Rows;

        Assert.Equal("0", rows.Single(r => r["statistic"] == "samples")["latency"]);
        Assert.Equal("n/a", rows.Single(r => r["statistic"] == "p99")["latency"]);
    }

    [Fact]
    public void Throughput_and_barrier_figures_carry_their_units()
    {
        var barrier = ReportSamples.ClosedPassed() with { StartSpread = new StartSpread(64, 1_234.5, 300, 1_200) };

        var md = MarkdownReport.Render(ReportSamples.Run(barrier));

        var throughput = Assert.Single(Table(Section(md, "### Throughput")).Rows);
        Assert.Equal("1992/s", throughput["overall"]);
        Assert.Equal("2000/s", throughput["per-second mean"]);
        Assert.Equal("1%", throughput["CV"]);
        Assert.Equal("1970/s", throughput["min"]);
        Assert.Equal("5s", throughput["seconds"]);
        var spread = Assert.Single(Table(Section(md, "### Barrier start")).Rows);
        Assert.Equal("64", spread["workers"]);
        Assert.Equal("1.23ms", spread["spread"]);
        Assert.Equal("300us", spread["p50 start delay"]);
    }

    [Fact]
    public void Error_kinds_table_escapes_pipes_and_newlines_so_each_row_keeps_its_cells()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.OpenFailed()));

        var (headers, rows) = Table(Section(md, "### Errors"));
        Assert.Equal(["kind", "status", "count", "share of started", "sample message"], headers);
        Assert.Equal(3, rows.Count);
        var http = rows[0];
        Assert.Equal("`http_503`", http["kind"]);
        Assert.Equal("failed", http["status"]);
        Assert.Equal(100, Number(http["count"]));
        Assert.Equal("0.222%", http["share of started"]);
        Assert.Equal(@"503 Service Unavailable \| retry later<br>second line", http["sample message"]);
        Assert.Equal("timed out", rows[1]["status"]);
        Assert.Equal("", rows[1]["sample message"]);
        Assert.Equal(@"`odd\|kind`", rows[2]["kind"]);
        Assert.Equal(@"\<script>alert(1)\</script> \*bold\* \`tick\`", rows[2]["sample message"]);
    }

    [Fact]
    public void A_long_sample_message_is_shortened_in_the_table()
    {
        var chatty = ReportSamples.OpenFailed() with { Errors = [new ErrorKindCount("boom", "failed", 1, new string('x', 5_000))] };

        var row = Assert.Single(Table(Section(MarkdownReport.Render(ReportSamples.Run(chatty)), "### Errors")).Rows);

        Assert.Equal(new string('x', 300) + "…", row["sample message"]);
    }

    [Fact]
    public void Scenario_name_with_a_pipe_and_a_newline_keeps_the_summary_row_and_heading_intact()
    {
        var odd = ReportSamples.ClosedPassed("a|b\nc");

        var md = MarkdownReport.Render(ReportSamples.Run(odd));

        var row = Assert.Single(Table(Section(md, "## Summary")).Rows);
        Assert.Equal(@"a\|b<br>c", row["test"]);
        Assert.Equal("PASS", row["status"]);
        Assert.Contains(@"## Scenario: a\|b<br>c", Headings(md));
    }

    [Fact]
    public void Warnings_and_reasons_are_listed()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.OpenFailed(), ReportSamples.ClosedPassed()));

        Assert.Equal(
            "- The load generator fell behind: scheduling lag p99 was 12ms.\n- 10 arrivals were dropped at the in-flight cap.",
            Section(md, "### Warnings").Trim());
        Assert.Equal(
            "- threshold 'p99 < 50ms' failed: actual 61.2ms\n- threshold 'error_rate <= 0.1%' failed: actual 0.36%",
            Section(md, "### Reasons for the verdict").Trim());
        Assert.Equal("None.", Section(md, "### Warnings", occurrence: 1).Trim());
        Assert.Equal("Every threshold held and every operation was accounted for.", Section(md, "### Reasons for the verdict", occurrence: 1).Trim());
    }

    [Fact]
    public void Hang_report_lists_the_stuck_workers()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.Hung()));

        var hang = Section(md, "### Hang");
        Assert.Contains("The watchdog declared a hang at 12.5s: no operation completed for 10s. 3 workers were stuck (2 listed, longest first).", hang);
        var (headers, rows) = Table(hang);
        Assert.Equal(["worker", "operation", "iteration", "running for"], headers);
        Assert.Equal(["2", "3"], rows.Select(r => r["worker"]));
        Assert.Equal("1201", rows[0]["operation"]);
        Assert.Equal("10.5s", rows[0]["running for"]);
        Assert.Equal("HUNG", Assert.Single(Table(Section(md, "## Summary")).Rows)["status"]);
        Assert.Contains("**Status:** HUNG", md);
    }

    [Fact]
    public void Interrupted_run_is_marked_in_the_header_and_the_summary()
    {
        var result = ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.Interrupted()) with { Interrupted = true };

        var md = MarkdownReport.Render(result);

        Assert.Contains("- **Result:** INTERRUPTED (1 of 2 scenarios passed)", md);
        Assert.Contains("- **Interrupted:** the run was cancelled", md);
        Assert.Equal(["PASS", "INTERRUPTED"], Table(Section(md, "## Summary")).Rows.Select(r => r["status"]));
        Assert.Equal("- the run was interrupted", Section(md, "### Reasons for the verdict", occurrence: 1).Trim());
    }

    [Theory]
    [InlineData(Verdict.Passed, "PASS")]
    [InlineData(Verdict.Failed, "FAIL")]
    [InlineData(Verdict.Hung, "HUNG")]
    [InlineData(Verdict.Interrupted, "INTERRUPTED")]
    public void Verdict_is_spelled_the_same_in_the_summary_the_details_and_the_text_summary(Verdict verdict, string spelling)
    {
        var result = ReportSamples.Run(ReportSamples.ClosedPassed() with { Verdict = verdict });

        var md = MarkdownReport.Render(result);

        Assert.Equal(spelling, VerdictText.Of(verdict));
        Assert.Equal(spelling, Assert.Single(Table(Section(md, "## Summary")).Rows)["status"]);
        Assert.Contains($"**Status:** {spelling}\n", md);
        Assert.Contains($"== rapid-list: {spelling}\n", TextSummary.Render(result).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Short_timeline_shows_every_second()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.OpenFailed()));

        var timeline = Section(md, "### Timeline");
        Assert.Contains("One row per second.", timeline);
        var (headers, rows) = Table(timeline);
        Assert.Equal(["seconds", "started", "ok", "errors", "dropped", "ops/s", "p50", "p99", "in flight", "workers", "note"], headers);
        Assert.Equal(["1s", "2s", "3s"], rows.Select(r => r["seconds"]));
        Assert.Equal(40, Number(rows[1]["errors"]));
        Assert.Equal("errors", rows[1]["note"]);
        Assert.Equal("740/s", rows[1]["ops/s"]);
        Assert.Equal("9ms", rows[1]["p99"]);
        Assert.Equal("", rows[0]["note"]);
    }

    [Fact]
    public void Generator_limited_seconds_are_noted_in_the_timeline_and_named_in_the_warnings_of_every_report()
    {
        var open = ReportSamples.OpenFailed();
        var timeline = GeneratorSaturation.Mark(
            [.. open.Timeline.Select(p => p.Second == 2 ? p with { GauntletCpu = 0.5, LagP99Micros = 14_000 } : p with { GauntletCpu = 0.5, LagP99Micros = 200 })],
            open.IssuingSeconds);
        var warning = GeneratorSaturation.Warning(timeline, cores: 2, inProcessTarget: false)!;
        var run = ReportSamples.Run(open with { Timeline = timeline, Warnings = [.. open.Warnings, warning] });

        var md = MarkdownReport.Render(run);

        var section = Section(md, "### Timeline");
        var rows = Table(section).Rows;
        Assert.Equal(["", "errors, generator-limited", ""], rows.Select(r => r["note"]));
        Assert.Contains("A `generator-limited` second is one in which Gauntlet itself, not the target, limited the rate: its own CPU reached 90% "
            + "of the cores available to it, or operations started late (p99 scheduling lag above 1ms and above 10% of that second's p99 latency).", section);
        Assert.Contains("p99 scheduling lag 14ms (second 2)", Section(md, "### Warnings"));
        // The console summary and JUnit carry the same warning, word for word.
        Assert.Contains(warning.Message, TextSummary.Render(run), StringComparison.Ordinal);
        var junit = System.Xml.Linq.XDocument.Parse(JUnitReport.Render(run));
        Assert.Contains("warning: " + warning.Message, junit.Descendants("system-out").Single().Value, StringComparison.Ordinal);
        // A timeline without a limited second has no such sentence.
        Assert.DoesNotContain("generator-limited", MarkdownReport.Render(ReportSamples.Run(ReportSamples.OpenFailed())), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_timeline_is_condensed_yet_keeps_the_error_second_and_the_p99_spike()
    {
        var scenario = ReportSamples.ClosedPassed() with { Timeline = ReportSamples.LongTimeline() };

        var timeline = Section(MarkdownReport.Render(ReportSamples.Run(scenario)), "### Timeline");

        var rows = Table(timeline).Rows;
        Assert.InRange(rows.Count, 15, TimelineCondenser.MaxRows);
        Assert.Contains($"200 seconds condensed into {rows.Count} rows.", timeline);
        var error = rows.Single(r => r["seconds"] == "137s");
        Assert.Equal(7, Number(error["errors"]));
        Assert.Equal("errors", error["note"]);
        var spike = rows.Single(r => r["seconds"] == "50s");
        Assert.Equal("90ms", spike["p99"]);
        Assert.Equal("p99 jump", spike["note"]);
        // Buckets add up: nothing started, ok or failed goes missing in the condensing.
        Assert.Equal(20_000, rows.Sum(r => Number(r["started"])));
        Assert.Equal(19_993, rows.Sum(r => Number(r["ok"])));
        Assert.Equal(7, rows.Sum(r => Number(r["errors"])));
        Assert.Equal("64", rows.Single(r => r["seconds"] is var s && s.Contains('-') && Range(s).From <= 120 && Range(s).To >= 120)["in flight"]);
        Assert.Equal("1-10s", rows[0]["seconds"]);
        Assert.Equal("100/s", rows[0]["ops/s"]);
    }

    private static (double From, double To) Range(string cell)
    {
        var parts = cell.TrimEnd('s').Split('-');
        return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Empty_run_and_empty_timeline_say_so()
    {
        var md = MarkdownReport.Render(ReportSamples.Run());
        Assert.Equal("No scenario started.", Section(md, "## Summary").Trim());

        var noTimeline = MarkdownReport.Render(ReportSamples.Run(ReportSamples.Hung()));
        Assert.Equal("No timeline was recorded.", Section(noTimeline, "### Timeline").Trim());
    }

    [Fact]
    public async Task Report_of_a_real_run_matches_its_result()
    {
        var scenario = new Gauntlet.Scenarios.Scenario("tiny", new SyntheticOperation(new SyntheticOptions
            {
                Latency = TimeSpan.FromMilliseconds(1),
                ErrorRate = 0.1,
                ErrorKind = "flaky|kind",
            }))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 50))
            .WithThresholds("error_rate < 50%");
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(scenario);
        var s = result.Scenarios[0];

        var md = MarkdownReport.Render(result);

        var summary = Assert.Single(Table(Section(md, "## Summary")).Rows);
        Assert.Equal(100, Number(summary["operations"]));
        Assert.Equal(VerdictText.Of(s.Verdict), summary["status"]);
        var counts = Assert.Single(Table(Section(md, "### Counts")).Rows);
        Assert.Equal(s.Counts.Failed, Number(counts["failed"]));
        Assert.Contains(": balanced (100 = ", md);
        if (s.Counts.Failed > 0)
            Assert.Equal(@"`flaky\|kind`", Assert.Single(Table(Section(md, "### Errors")).Rows)["kind"]);
        Assert.Equal(s.Timeline.Count, Table(Section(md, "### Timeline")).Rows.Count);
    }

    [Fact]
    public void Verification_section_lists_each_verifier_and_its_examples()
    {
        var verified = ReportSamples.ClosedPassed() with
        {
            History = new HistoryInfo { File = "/tmp/r/history.jsonl", Entries = 1000 },
            Verifications =
            [
                new VerificationResult
                {
                    Name = "store", Kind = "set", Passed = false, Summary = "1,000 acknowledged writes, 998 present; 2 lost",
                    Counts = [new VerificationCount("lost", 2)],
                    Examples = [new VerificationExamples("lost", ["w1-7", "w4-2"])],
                },
            ],
        };
        var md = MarkdownReport.Render(ReportSamples.Run(verified));

        Assert.Contains("### Verification", Headings(md));
        Assert.Contains("History: 1,000 operations in `history.jsonl`.", md);
        Assert.Contains("| store | set | **FAIL** | 1,000 acknowledged writes, 998 present; 2 lost |", md);
        Assert.Contains("Examples of lost (store): `w1-7`, `w4-2`", md);
    }

    [Fact]
    public void Target_metrics_are_a_table_after_the_resources_only_when_some_were_read()
    {
        var metered = ReportSamples.ClosedPassed() with
        {
            TargetMetrics =
            [
                ReportSamples.HeapMetric(),
                new TargetMetricSeries { Name = "p|ipe", Source = "query 'rate(x[1m])' at http://127.0.0.1:9090", Unit = "requests", Points = [new(1, 3.5)] },
                new TargetMetricSeries { Name = "gone", Source = "http://127.0.0.1:9090/metrics", FailedReads = 3 },
            ],
        };
        var md = MarkdownReport.Render(ReportSamples.Run(metered));

        var headings = Headings(md);
        Assert.Equal(headings.IndexOf("### Resources") + 1, headings.IndexOf("### Target metrics"));
        var rows = Table(Section(md, "### Target metrics")).Rows;
        Assert.Equal(3, rows.Count);
        Assert.Equal(["`gc_heap_bytes`", "http://127.0.0.1:9090/metrics", "3", "12MB", "30.5MB", "20MB", "2"],
            [rows[0]["metric"], rows[0]["source"], rows[0]["reads"], rows[0]["min"], rows[0]["max"], rows[0]["last"], rows[0]["failed reads"]]);
        Assert.Equal(["3.5 requests", "3.5 requests", "0"], [rows[1]["min"], rows[1]["last"], rows[1]["failed reads"]]);
        Assert.Equal(["0", "n/a", "n/a", "n/a", "3"], [rows[2]["reads"], rows[2]["min"], rows[2]["max"], rows[2]["last"], rows[2]["failed reads"]]);

        Assert.DoesNotContain("### Target metrics", Headings(MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()))));
    }
}
