using System.Text.Json;
using System.Text.RegularExpressions;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Tests.Results;
using HdrHistogram;

namespace Gauntlet.Tests.Reports;

public sealed partial class HtmlReportTests
{
    private static LongHistogram SampleHistogram()
    {
        var histogram = new LongHistogram(1, 3_600_000_000, 3);
        for (var i = 1; i <= 2000; i++) histogram.RecordValue(500 + i * 7 % 9000);
        return histogram;
    }

    /// <summary>
    /// A run with a monitored target, a fault window, a stored histogram, the target's own metrics (one series read, one
    /// that never was), and a name that is HTML.
    /// </summary>
    private static RunResult Sample(string name = "<b>monitored</b> & leaky")
    {
        var samples = Enumerable.Range(0, 10).Select(i => new ResourceSample
        {
            Second = i, Processes = 2, RssBytes = 50_000_000 + i * 2_000_000L, Cpu = 0.4 + i * 0.01, Threads = 8, Fds = 20 + i,
        }).ToList();
        var monitored = ReportSamples.ClosedPassed(name) with
        {
            Latency = ReportSamples.Latency(8_000, 11_380, count: 2000) with { Histogram = SampleResults.Encode(SampleHistogram()) },
            Resources = new ResourceUsage
            {
                Target = "pid 42 and its descendants",
                IntervalSeconds = 1,
                WarmupSeconds = 2,
                Samples = samples,
                Self = samples,
                TargetFigures = new ResourceFigures { SampleCount = 10, MaxRssBytes = 68_000_000, RssSlopeBytesPerSecond = 2_000_000, LeakSuspected = true, MaxFds = 29, FdGrowth = 7 },
                SelfFigures = new ResourceFigures { SampleCount = 10, MaxRssBytes = 68_000_000 },
            },
            TargetMetrics =
            [
                new TargetMetricSeries
                {
                    Name = "process_heap_bytes", Source = "http://127.0.0.1:8080/metrics", Unit = "bytes", FailedReads = 1,
                    Points = [.. Enumerable.Range(1, 5).Select(i => new TargetMetricPoint(i, 10_000_000 + i * 1_000_000))],
                },
                new TargetMetricSeries { Name = "queue_depth", Source = "http://127.0.0.1:8080/metrics", FailedReads = 5 },
            ],
            Windows = [new TimelineWindow(2, 3.5, "latency +200ms")],
        };
        // The open scenario's second 2 was generator-limited.
        var open = ReportSamples.OpenFailed();
        open = open with { Timeline = [.. open.Timeline.Select(p => p.Second == 2 ? p with { GauntletCpu = 0.97, LimitedBy = new GeneratorLimits { Cpu = true } } : p)] };
        return ReportSamples.Run(monitored, open, ReportSamples.Hung());
    }

    // 3 per scenario (throughput, latency over time, latency by percentile); the monitored one adds target RSS, CPU,
    // threads and fds, Gauntlet's own RSS and CPU, and one chart per target metric.
    private const int ExpectedCharts = 3 * 3 + 5 + 2;

    // Charts with nothing to draw say so: the hung scenario's throughput and latency over time (it has no timeline), and the
    // metric never read.
    private const int NoDataCharts = 3;

    // The window is shaded on every time chart of its scenario that has data: throughput, latency, target RSS, CPU and
    // handles, Gauntlet's RSS and CPU, and the heap metric (the queue metric was never read).
    private const int ExpectedWindows = 8;

    // The open scenario's generator-limited second is shaded on its two per-second charts: throughput and latency.
    private const int ExpectedLimited = 2;

    [Fact]
    public async Task Report_loads_in_headless_chromium_without_errors_and_draws_every_chart()
    {
        var page = await LoadAsync(HtmlReport.Render(Sample()));

        Assert.Equal("yes", page.Attribute("data-checked"));
        Assert.Equal("", page.Attribute("data-errors"));
        Assert.Equal(ExpectedCharts.ToString(), page.Attribute("data-charts"));
        Assert.Equal(ExpectedCharts.ToString(), page.Attribute("data-charts-drawn"));
        Assert.Equal(ExpectedWindows.ToString(), page.Attribute("data-windows-drawn"));
        Assert.Equal(ExpectedLimited.ToString(), page.Attribute("data-limited-drawn"));
        Assert.DoesNotContain("Uncaught", page.Output.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CONSOLE", page.Output.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExpectedCharts, Regex.Matches(page.Output.Dom, "<figure class=\"chart").Count);
        // Every chart with data got a uPlot canvas and lost its fallback sentence; the one without says "no data".
        Assert.Equal(ExpectedCharts - NoDataCharts, Regex.Matches(page.Output.Dom, "<canvas").Count);
        Assert.Empty(Regex.Matches(page.Output.Dom, "class=\"fallback\""));
        Assert.Equal(NoDataCharts, Regex.Matches(page.Output.Dom, "class=\"nodata\"").Count);
    }

    [Fact]
    public async Task When_the_chart_library_fails_the_page_keeps_its_tables_and_says_why_the_charts_are_missing()
    {
        var html = HtmlReport.Render(Sample());
        Assert.Contains(HtmlAssets.UPlotScript, html, StringComparison.Ordinal);
        var broken = html.Replace(HtmlAssets.UPlotScript, "throw new Error('uPlot broken on purpose');", StringComparison.Ordinal);

        var page = await LoadAsync(broken);

        Assert.Contains("uPlot broken on purpose", page.Attribute("data-errors"), StringComparison.Ordinal);
        Assert.Contains("uPlot did not load", page.Attribute("data-errors"), StringComparison.Ordinal);
        Assert.Equal(NoDataCharts.ToString(), page.Attribute("data-charts-drawn")); // only those that say "no data"
        Assert.Empty(Regex.Matches(page.Output.Dom, "<canvas"));
        Assert.Equal(ExpectedCharts - NoDataCharts, Regex.Matches(page.Output.Dom, "class=\"fallback\"").Count);
        Assert.Contains("<h2>Acceptance criteria</h2>", page.Output.Dom, StringComparison.Ordinal);
        Assert.Contains("<h3>Latency</h3>", page.Output.Dom, StringComparison.Ordinal);
        Assert.Contains("<h3>Target metrics</h3>", page.Output.Dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_closes_the_script_block_stays_text()
    {
        const string Attack = "</script><script>document.body.setAttribute('data-pwned','yes')</script><!--";
        var run = Sample(Attack);
        var scenario = run.Scenarios[0];
        run = run with
        {
            Scenarios = [scenario with { TargetMetrics = [scenario.TargetMetrics![0] with { Name = Attack }] }, .. run.Scenarios.Skip(1)],
            Baseline = new BaselineVerdict { Path = Attack },
        };
        var html = HtmlReport.Render(run, baseline: run);

        // The chart data, uPlot and the drawing script: no fourth block opened by the name.
        Assert.Equal(4, Regex.Matches(html, "<script").Count);
        Assert.Equal(4, Regex.Matches(html, "</script>").Count);
        Assert.Contains(@"\u003C/script\u003E\u003Cscript\u003E", ChartData(html), StringComparison.Ordinal);

        var page = await LoadAsync(html);
        Assert.Equal("", page.Attribute("data-pwned"));
        Assert.Equal("", page.Attribute("data-errors"));
        Assert.Equal((ExpectedCharts - 1).ToString(), page.Attribute("data-charts-drawn"));
        Assert.Contains("&lt;/script&gt;&lt;script&gt;document.body.setAttribute", page.Output.Dom, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_is_self_contained()
    {
        var html = HtmlReport.Render(Sample());
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        // The only URLs are uPlot's home in its banner comment and where the target's metrics were read, as text.
        var urls = UrlPattern().Matches(html).Select(m => m.Value.TrimEnd(':', '.')).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["http://127.0.0.1:8080/metrics", "https://github.com/leeoniya/uPlot"], urls);
        // uPlot's license travels with every copy of it.
        Assert.Contains("Copyright (c) 2022 Leon Sorokin", html, StringComparison.Ordinal);
        Assert.Contains(HtmlAssets.UPlotCss, html, StringComparison.Ordinal);
    }

    [Fact]
    public void User_text_is_escaped()
    {
        var html = HtmlReport.Render(Sample());
        Assert.Contains("&lt;b&gt;monitored&lt;/b&gt; &amp; leaky", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>monitored</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_has_the_acceptance_table_the_environment_and_marks_fault_windows()
    {
        var html = HtmlReport.Render(Sample());
        Assert.Contains("<h2>Acceptance criteria</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<code>p99 &lt; 50ms</code>", html, StringComparison.Ordinal);
        Assert.Contains("AMD EPYC 7B13", html, StringComparison.Ordinal);
        Assert.Equal(ExpectedWindows, Regex.Matches(html, "<p class=\"windows\">Shaded: latency \\+200ms \\(2s to 3.5s\\)\\.</p>").Count);
        var withWindows = Charts(html).Where(c => c.TryGetProperty("windows", out _)).Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(["s0-throughput", "s0-latency", "s0-target-rss", "s0-target-cpu", "s0-target-handles", "s0-self-rss", "s0-self-cpu", "s0-metric-0"], withWindows);
        Assert.Contains(">120MB/min<", html, StringComparison.Ordinal);
        Assert.Contains("<strong>memory</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_charts_of_a_scenario_span_the_same_seconds()
    {
        var charts = Charts(HtmlReport.Render(Sample())).Where(c => c.GetProperty("id").GetString()!.StartsWith("s0-", StringComparison.Ordinal)
            && c.GetProperty("kind").GetString() == "time").ToList();
        Assert.Equal(8, charts.Count);
        foreach (var chart in charts)
        {
            var x = chart.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToList();
            Assert.Equal(0, x[0]);
            Assert.Equal(9, x[^1]); // the last resource sample, after the 5.02 s the scenario ran
            Assert.Equal("scenario-0", chart.GetProperty("group").GetString());
        }
    }

    [Fact]
    public void Latency_by_percentile_is_read_from_the_histogram_on_the_nines_axis()
    {
        var nines = Chart(HtmlReport.Render(Sample()), "s0-nines");
        var x = nines.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var y = Series(nines, "latency").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(0, x[0]);
        Assert.Equal(NinesAxis.MaxNines, x[^1]);
        var histogram = SampleHistogram();
        foreach (var (percent, nine) in (ReadOnlySpan<(double, double)>)[(90, 1), (99, 2), (99.9, 3), (99.999, 5)])
        {
            var i = x.IndexOf(nine);
            Assert.True(i >= 0, $"{percent}% is not on the axis");
            Assert.Equal(histogram.GetValueAtPercentile(percent), y[i], 0.001 * y[i]);
        }
        var p50 = x.FindIndex(v => Math.Abs(v - Math.Log10(2)) < 1e-3); // 0.301, four significant digits
        Assert.Equal(histogram.GetValueAtPercentile(50), y[p50], 0.001 * y[p50]);
        Assert.Equal(NinesAxis.Grid.Count, y.Count);
        // Monotonic, as a distribution is.
        for (var i = 1; i < y.Count; i++) Assert.True(y[i] >= y[i - 1], $"the latency falls from {y[i - 1]} to {y[i]} at x={x[i]}");
        Assert.Contains("With 2,000 samples, every percentile above 99.95% is the largest value.", HtmlReport.Render(Sample()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_baseline_run_is_drawn_dashed_beside_the_latency()
    {
        var run = Sample();
        var slower = new LongHistogram(1, 3_600_000_000, 3);
        for (var i = 1; i <= 2000; i++) slower.RecordValue(2 * (500 + i * 7 % 9000));
        var baseline = run with
        {
            Scenarios = [run.Scenarios[0] with { Latency = run.Scenarios[0].Latency with { Histogram = SampleResults.Encode(slower) } }],
        };
        var html = HtmlReport.Render(run with { Baseline = new BaselineVerdict { Path = "runs/old/result.json" } }, baseline);

        var nines = Chart(html, "s0-nines");
        var line = Series(nines, "baseline latency");
        Assert.True(line.GetProperty("dash").GetBoolean());
        var x = nines.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(slower.GetValueAtPercentile(99), line.GetProperty("values")[x.IndexOf(2)].GetDouble(), 0.001 * slower.GetValueAtPercentile(99));
        Assert.Contains("Dashed: the same scenario in the baseline run runs/old/result.json (2,000 samples).", html, StringComparison.Ordinal);
        // A scenario the baseline does not have says so instead of drawing nothing silently.
        Assert.Contains("The baseline runs/old/result.json has no scenario named checkout.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Chart(html, "s1-nines").GetProperty("series").EnumerateArray(), s => s.GetProperty("label").GetString() == "baseline latency");
        // Without a baseline, one line.
        Assert.Single(Chart(HtmlReport.Render(run), "s0-nines").GetProperty("series").EnumerateArray());
    }

    [Fact]
    public void A_result_without_histograms_draws_the_stored_percentiles_and_says_so()
    {
        var run = Sample();
        var html = HtmlReport.Render(run with { Scenarios = [run.Scenarios[0] with { Latency = run.Scenarios[0].Latency with { Histogram = null } }] });

        var line = Series(Chart(html, "s0-nines"), "latency");
        Assert.True(line.GetProperty("spanGaps").GetBoolean());
        var stored = line.GetProperty("values").EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
        var l = run.Scenarios[0].Latency;
        Assert.Equal([l.MinMicros, l.P50Micros, l.P90Micros, l.P95Micros, l.P99Micros, l.P999Micros, l.MaxMicros], stored);
        Assert.Contains("no histogram is stored in this result (written by an older Gauntlet)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_target_metrics_are_charted_on_the_scenario_axis_and_listed_with_their_source_and_failed_reads()
    {
        var html = HtmlReport.Render(Sample());
        var heap = Chart(html, "s0-metric-0");
        Assert.Equal("bytes", heap.GetProperty("unit").GetString());
        Assert.Equal([0, 1, 2, 3, 4, 5, 9], heap.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Contains("Read from http://127.0.0.1:8080/metrics: 5 reads, 1 failed.", html, StringComparison.Ordinal);
        Assert.Contains("Read from http://127.0.0.1:8080/metrics: 0 reads, 5 failed.", html, StringComparison.Ordinal);
        Assert.Contains("<td><code>process_heap_bytes</code></td><td>http://127.0.0.1:8080/metrics</td><td class=\"num\">5</td><td class=\"num\">11MB</td>"
            + "<td class=\"num\">15MB</td><td class=\"num\">15MB</td><td class=\"num\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td><code>queue_depth</code></td><td>http://127.0.0.1:8080/metrics</td><td class=\"num\">0</td><td class=\"num\">n/a</td>", html, StringComparison.Ordinal);
        // The metric that was never read has no chart data, only its figure saying so.
        Assert.DoesNotContain(Charts(html), c => c.GetProperty("id").GetString() == "s0-metric-1");
    }

    [Fact]
    public void Generator_limited_seconds_are_shaded_on_the_per_second_charts_with_a_legend_entry()
    {
        var scenario = ReportSamples.ClosedPassed() with
        {
            Timeline = ReportSamples.Timeline(8, second => new TimelinePoint
            {
                Second = second, Started = 100, Completed = 100, Ok = 100, P50Micros = 1_000, P99Micros = 2_000, InFlight = 4, Workers = 4,
                GauntletCpu = second is 2 or 3 or 6 ? 0.95 : 0.3,
                LimitedBy = second is 2 or 3 or 6 ? new GeneratorLimits { Cpu = true } : null,
            }),
        };
        var html = HtmlReport.Render(ReportSamples.Run(scenario));

        // Seconds 2 and 3 cover (1, 3]; second 6 covers (5, 6].
        foreach (var id in (string[])["s0-throughput", "s0-latency"])
        {
            var spans = Chart(html, id).GetProperty("limited").EnumerateArray().Select(w => (w.GetProperty("from").GetDouble(), w.GetProperty("to").GetDouble())).ToList();
            Assert.Equal([(1.0, 3.0), (5.0, 6.0)], spans);
        }
        Assert.Equal(["s0-latency", "s0-throughput"], Charts(html).Where(c => c.TryGetProperty("limited", out _)).Select(c => c.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(2, Regex.Matches(html, "<p class=\"limited\"><span class=\"swatch\"></span>generator-limited: seconds 2-3 and 6, in which Gauntlet's own CPU or scheduling lag, not the target, limited the rate").Count);

        // A run without a limited second has neither the shading nor the legend entry.
        var quiet = HtmlReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()));
        Assert.DoesNotContain("<p class=\"limited\">", quiet, StringComparison.Ordinal);
        Assert.DoesNotContain("\"limited\"", ChartData(quiet), StringComparison.Ordinal);
    }

    [Fact]
    public void An_hour_long_run_is_condensed_to_a_page_of_reasonable_size()
    {
        const int Seconds = 3600;
        var samples = Enumerable.Range(0, Seconds).Select(i => new ResourceSample
        {
            Second = i, Processes = 1, RssBytes = 50_000_000 + i * 1_234L, Cpu = 0.4 + i % 7 * 0.01, Threads = 8 + i % 3, Fds = 20 + i % 5,
        }).ToList();
        var scenario = ReportSamples.ClosedPassed() with
        {
            DurationSeconds = Seconds,
            Timeline = [.. Enumerable.Range(1, Seconds).Select(i => new TimelinePoint
            {
                Second = i, Started = 2000 + i % 13, Completed = 2000 + i % 13, Ok = 2000 + i % 13 - i % 2, Errors = i % 2,
                P50Micros = 8_000 + i % 17, P99Micros = i == 1800 ? 900_000 : 11_000 + i % 19, InFlight = 16, Workers = 16,
            })],
            Resources = new ResourceUsage { Target = "pid 42", IntervalSeconds = 1, Samples = samples, Self = samples },
        };
        var html = HtmlReport.Render(ReportSamples.Run(scenario));

        Assert.True(html.Length < 300_000, $"the report of a one-hour run is {html.Length:N0} characters");
        var latency = Chart(html, "s0-latency");
        Assert.InRange(latency.GetProperty("x").GetArrayLength(), ScenarioCharts.MaxTimePoints / 2, ScenarioCharts.MaxTimePoints + 2);
        // The worst second survives condensing: latencies keep each bucket's largest value.
        Assert.Equal(900_000, Series(latency, "p99").GetProperty("values").EnumerateArray().Max(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0));
        Assert.Contains("Each point drawn stands for 4 consecutive readings: p50, p99 the largest.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_timeline_says_no_data_instead_of_drawing_nothing()
    {
        var empty = ReportSamples.ClosedPassed() with { Timeline = [], Latency = new LatencySummary() };
        var html = HtmlReport.Render(ReportSamples.Run(empty));
        Assert.Equal(3, Regex.Matches(html, "class=\"nodata\"").Count);
        // Nothing to draw: no chart data and no chart library in the page.
        Assert.DoesNotContain(HtmlAssets.UPlotScript, html, StringComparison.Ordinal);
    }

    private sealed record Page(HeadlessChromium.Output Output, string Body)
    {
        public string Attribute(string name) => Regex.Match(Body, name + "=\"([^\"]*)\"").Groups[1].Value;
    }

    private static async Task<Page> LoadAsync(string html)
    {
        using var folder = new TempFolder();
        var path = folder.File("report.html");
        await File.WriteAllTextAsync(path, html);
        var output = await HeadlessChromium.DumpDomAsync(path);
        var body = BodyTag().Match(output.Dom);
        Assert.True(body.Success, "no <body> in chromium's DOM dump:\n" + output.Dom[..Math.Min(2000, output.Dom.Length)]);
        return new Page(output, body.Value);
    }

    private static string ChartData(string html) => ChartDataBlock().Match(html).Groups[1].Value;

    private static List<JsonElement> Charts(string html) =>
        [.. JsonDocument.Parse(ChartData(html)).RootElement.GetProperty("charts").EnumerateArray()];

    private static JsonElement Chart(string html, string id) => Charts(html).Single(c => c.GetProperty("id").GetString() == id);

    private static JsonElement Series(JsonElement chart, string label) =>
        chart.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("label").GetString() == label);

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();

    [GeneratedRegex("https?://[^\"'\\s<>)]+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex("<script type=\"application/json\" id=\"gauntlet-charts\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ChartDataBlock();
}
