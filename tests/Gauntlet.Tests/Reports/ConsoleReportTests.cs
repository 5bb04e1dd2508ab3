using Gauntlet.Cli.Reports;
using Gauntlet.Reports;
using Gauntlet.Results;
using Spectre.Console;

namespace Gauntlet.Tests.Reports;

public sealed class ConsoleReportTests
{
    internal static string Render(RunResult result, int width = 120)
    {
        var writer = new StringWriter();
        var console = ConsoleReport.CreateConsole(writer);
        console.Profile.Width = width;
        ConsoleReport.Write(console, result);
        return writer.ToString().ReplaceLineEndings("\n");
    }

    internal static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd()).ToArray();

    /// <summary>The cells of a rendered table line, between the vertical borders.</summary>
    private static string[] Cells(string line) => line.Split('│', StringSplitOptions.TrimEntries)[1..^1];

    [Fact]
    public void Acceptance_table_shows_threshold_target_actual_and_verdict()
    {
        var lines = Lines(Render(ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed())));

        Assert.Contains(lines, l => l.Trim() == "Acceptance criteria");
        var header = Cells(lines.Single(l => l.Contains("│ scenario")));
        Assert.Equal(["scenario", "threshold", "target", "actual", "result", "note"], header);
        var p99 = lines.Where(l => l.Contains("│ checkout") && l.Contains("p99 < 50ms")).Select(Cells).Single();
        Assert.Equal(["checkout", "p99 < 50ms", "50ms", "61.2ms", "FAIL"], p99[..5]);
        var throughput = lines.Where(l => l.Contains("throughput >= 400/s")).Select(Cells).Single();
        Assert.Equal(["749.8/s", "PASS"], throughput[3..5]);
        Assert.Equal(5, lines.Count(l => l.StartsWith('│') && Cells(l) is { Length: 6 } cells && cells[4] is "PASS" or "FAIL"));
    }

    [Fact]
    public void The_generator_limited_warning_is_shown_with_its_seconds_and_figures()
    {
        var open = ReportSamples.OpenFailed();
        var timeline = GeneratorSaturation.Mark([.. open.Timeline.Select(p => p with { GauntletCpu = p.Second == 3 ? 0.99 : 0.2 })], open.IssuingSeconds);
        var warning = GeneratorSaturation.Warning(timeline, cores: 4, inProcessTarget: false)!;

        var text = Render(ReportSamples.Run(open with { Timeline = timeline, Warnings = [warning] }), width: 1000);

        Assert.StartsWith("the load generator, not the target, limited the rate in 1 of 3 seconds (second 3): Gauntlet used 3.96 of 4 cores (second 3);", warning.Message, StringComparison.Ordinal);
        Assert.Contains("warning: " + warning.Message, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_metrics_are_a_table_with_source_min_max_last_and_failed_reads()
    {
        var metered = ReportSamples.ClosedPassed() with { TargetMetrics = [ReportSamples.HeapMetric()] };
        var lines = Lines(Render(ReportSamples.Run(metered), width: 140));

        Assert.Equal(["metric", "source", "reads", "min", "max", "last", "failed reads"], Cells(lines.Single(l => l.Contains("│ metric"))));
        Assert.Equal(["gc_heap_bytes", "http://127.0.0.1:9090/metrics", "3", "12MB", "30.5MB", "20MB", "2"], Cells(lines.Single(l => l.Contains("│ gc_heap_bytes"))));
        Assert.Contains("   metric    gc_heap_bytes (http://127.0.0.1:9090/metrics): min 12MB, max 30.5MB, last 20MB over 3 reads, 2 failed",
            TextSummary.Render(ReportSamples.Run(metered)), StringComparison.Ordinal);
        Assert.DoesNotContain(Lines(Render(ReportSamples.Run(ReportSamples.ClosedPassed()), width: 140)), l => l.Contains("│ metric"));
    }

    [Fact]
    public void Final_line_is_FAILED_when_a_scenario_failed()
    {
        var lines = Lines(Render(ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed())));

        Assert.Equal("FAILED", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void Final_line_is_PASSED_when_every_scenario_passed()
    {
        var text = Render(ReportSamples.Run(ReportSamples.ClosedPassed()));

        Assert.Equal("PASSED", Lines(text).Last(l => l.Length > 0));
        Assert.Contains("── rapid-list  PASS ─", text);
        Assert.DoesNotContain("FAIL", text);
    }

    [Fact]
    public void Final_line_is_INTERRUPTED_when_the_run_was_cancelled()
    {
        var result = ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.Interrupted()) with { Interrupted = true };

        var lines = Lines(Render(result));

        Assert.Equal("INTERRUPTED", lines.Last(l => l.Length > 0));
        Assert.Contains(lines, l => l.StartsWith("verdict", StringComparison.Ordinal) && l.EndsWith("INTERRUPTED", StringComparison.Ordinal));
    }

    [Fact]
    public void Scenario_summary_shows_requests_rate_success_and_verdict()
    {
        var lines = Lines(Render(ReportSamples.Run(ReportSamples.OpenFailed())));

        Assert.Contains("requests    44,990 started, 44,800 ok, 120 failed, 40 timed out, 2 crashed, 28 cut off, 10 dropped", lines);
        Assert.Contains("success     99.58% (44,800/44,990)", lines);
        Assert.Contains("accounting  balanced", lines);
        Assert.Contains("rate        749.8/s overall; per second mean 750.1/s, cv 1.63%, min 701/s, max 790/s", lines);
        Assert.Contains("arrivals    requested 750/s, achieved 749.8/s", lines);
        Assert.Contains("verdict     FAIL", lines);
    }

    [Fact]
    public void Open_model_latency_table_has_service_time_and_scheduling_lag()
    {
        var lines = Lines(Render(ReportSamples.Run(ReportSamples.OpenFailed())));

        Assert.Equal(["", "latency (from intended start)", "service time", "scheduling lag"], Cells(lines.Single(l => l.Contains("service time"))));
        Assert.Equal(["p99", "61.2ms", "40.1ms", "12ms"], Cells(lines.Single(l => l.StartsWith("│ p99 ", StringComparison.Ordinal))));
        Assert.Equal(["p50", "5ms", "4ms", "30us"], Cells(lines.Single(l => l.StartsWith("│ p50 ", StringComparison.Ordinal))));
    }

    [Fact]
    public void Errors_warnings_and_reasons_are_shown()
    {
        var lines = Lines(Render(ReportSamples.Run(ReportSamples.OpenFailed())));

        var http = Cells(lines.Single(l => l.Contains("http_503")));
        Assert.Equal(["http_503", "failed", "100", "0.222%", "503 Service Unavailable | retry later second line"], http);
        Assert.Contains("warning: 10 arrivals were dropped at the in-flight cap.", lines);
        Assert.Contains("why: threshold 'p99 < 50ms' failed: actual 61.2ms", lines);
    }

    [Fact]
    public void Hang_is_reported_with_the_longest_stuck_worker()
    {
        var lines = Lines(Render(ReportSamples.Run(ReportSamples.Hung())));

        Assert.Contains("hang        no completion for 10s at 12.5s; 3 workers stuck (longest: worker 2, 10.5s)", lines);
        Assert.Contains("verdict     HUNG", lines);
    }

    [Fact]
    public void Markup_characters_in_user_text_are_printed_literally()
    {
        var odd = ReportSamples.ClosedPassed("[red]svc[/]") with { Warnings = [new(WarningCode.Unclassified, "queue [full] at 80%")] };

        var text = Render(ReportSamples.Run(odd));

        Assert.Contains("── [red]svc[/]  PASS", text);
        Assert.Contains("warning: queue [full] at 80%", text);
    }

    [Fact]
    public void Control_characters_in_user_text_cannot_restyle_the_terminal_or_break_a_line()
    {
        var hostile = ReportSamples.OpenFailed() with
        {
            Errors = [new ErrorKindCount("child\u001b[2J", "failed", 3, "\u001b[31mred\u001b[0m\nnext")],
            Warnings = [new(WarningCode.Unclassified, "two\nlines")],
        };
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 120;

        ConsoleReport.Write(console, ReportSamples.Run(hostile));

        var text = writer.ToString();
        Assert.DoesNotContain("\u001b[2J", text);
        Assert.DoesNotContain("\u001b[31mred", text);
        Assert.Contains(" [31mred [0m next", text);
        Assert.Contains("warning: two lines", text);
    }

    [Fact]
    public void Redirected_output_has_no_escape_codes_even_when_TERM_claims_a_colour_terminal()
    {
        var saved = Environment.GetEnvironmentVariable("TERM");
        Environment.SetEnvironmentVariable("TERM", "xterm-256color");
        try
        {
            var text = Render(ReportSamples.Run(ReportSamples.OpenFailed()));

            Assert.DoesNotContain('\u001b', text);
            Assert.Contains("FAILED", text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TERM", saved);
        }
    }

    [Fact]
    public void On_a_colour_console_PASS_is_green_and_FAIL_is_red()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 120;

        ConsoleReport.Write(console, ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed()));

        var text = writer.ToString();
        Assert.Contains("\u001b[1;32mPASS\u001b[0m", text);
        Assert.Contains("\u001b[1;91mFAIL\u001b[0m", text);
        Assert.Contains("\u001b[1;91mFAILED\u001b[0m", text);
        Assert.Contains("\u001b[93mwarning: ", text);
    }

    [Fact]
    public void Narrow_console_still_shows_whole_figures()
    {
        var lines = Lines(Render(ReportSamples.Run(ReportSamples.OpenFailed()), width: 80));

        Assert.All(lines, l => Assert.True(l.Length <= 80, $"line longer than 80 columns: {l}"));
        Assert.Equal(["p99.9", "122.4ms", "80.2ms", "24ms"], Cells(lines.Single(l => l.StartsWith("│ p99.9", StringComparison.Ordinal))));
    }

    [Fact]
    public void Progress_line_reads_like_a_log_line()
    {
        var row = new ScenarioProgressRow("checkout", 6, 10_000, 9_999, 1, 0, 1_666, 3_100, 1);

        Assert.Equal("[6s] checkout: 9,999 ok 99.99%, 1666/s, p99 3.1ms, 1 in flight, 1 error", ConsoleReport.ProgressLine(row));
        Assert.Equal("[6s] checkout: 9,999 ok 99.99%, 1666/s, p99 3.1ms, 1 in flight, 1 error, 3 dropped: FAIL",
            ConsoleReport.ProgressLine(row with { Dropped = 3, Verdict = Verdict.Failed }));
    }

    [Fact]
    public void Progress_table_has_a_row_per_scenario_with_its_status()
    {
        var writer = new StringWriter();
        var console = ConsoleReport.CreateConsole(writer);
        console.Profile.Width = 120;
        var table = ConsoleReport.ProgressTable(
        [
            new ScenarioProgressRow("first", 10, 1_000, 1_000, 0, 0, 100, 2_000, 0, Verdict.Passed),
            new ScenarioProgressRow("second", 2.5, 500, 490, 10, 4, 200, 45_000, 12),
        ]);

        console.Write(table);

        var lines = writer.ToString().ReplaceLineEndings("\n").Split('\n');
        // No box rules (the table fits 80 columns): cells are separated by spaces.
        Assert.Equal(["first", "10s", "1,000", "0", "0", "100/s", "2ms", "0", "PASS"], lines.Single(l => l.StartsWith("first", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["second", "2.5s", "490", "10", "4", "200/s", "45ms", "12", "running"], lines.Single(l => l.StartsWith("second", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
