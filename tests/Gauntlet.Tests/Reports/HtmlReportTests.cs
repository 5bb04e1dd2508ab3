using System.Text.RegularExpressions;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Tests.Results;
using HdrHistogram;

namespace Gauntlet.Tests.Reports;

public sealed partial class HtmlReportTests
{
    /// <summary>A run with a monitored target, a fault window, a stored histogram, and a name that is HTML.</summary>
    private static RunResult Sample()
    {
        var histogram = new LongHistogram(1, 3_600_000_000, 3);
        for (var i = 1; i <= 2000; i++) histogram.RecordValue(500 + i * 7 % 9000);
        var samples = Enumerable.Range(0, 10).Select(i => new ResourceSample
        {
            Second = i, Processes = 2, RssBytes = 50_000_000 + i * 2_000_000L, Cpu = 0.4 + i * 0.01, Threads = 8, Fds = 20 + i,
        }).ToList();
        var monitored = ReportSamples.ClosedPassed("<b>monitored</b> & leaky") with
        {
            Latency = ReportSamples.Latency(8_000, 11_380, count: 2000) with { Histogram = SampleResults.Encode(histogram) },
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
            Windows = [new TimelineWindow(2, 3.5, "latency +200ms")],
        };
        return ReportSamples.Run(monitored, ReportSamples.OpenFailed(), ReportSamples.Hung());
    }

    // 3 per scenario (throughput, latency over time, distribution); the monitored one adds target RSS, CPU,
    // threads and fds, and Gauntlet's own RSS and CPU.
    private const int ExpectedCharts = 3 * 3 + 5;

    [Fact]
    public async Task Report_loads_in_headless_chromium_without_errors_and_draws_every_chart()
    {
        using var folder = new TempFolder();
        var path = folder.File("report.html");
        await File.WriteAllTextAsync(path, HtmlReport.Render(Sample()));

        var output = await HeadlessChromium.DumpDomAsync(path);

        var body = BodyTag().Match(output.Dom);
        Assert.True(body.Success, "no <body> in chromium's DOM dump:\n" + output.Dom[..Math.Min(2000, output.Dom.Length)]);
        string Attribute(string name) => Regex.Match(body.Value, name + "=\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal("yes", Attribute("data-checked"));
        Assert.Equal("", Attribute("data-errors"));
        Assert.Equal(ExpectedCharts.ToString(), Attribute("data-charts"));
        Assert.Equal(ExpectedCharts.ToString(), Attribute("data-charts-drawn"));
        Assert.DoesNotContain("Uncaught", output.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CONSOLE", output.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExpectedCharts, Regex.Matches(output.Dom, "<figure class=\"chart\"").Count);
    }

    [Fact]
    public void Report_is_self_contained()
    {
        var html = HtmlReport.Render(Sample());
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        // The only URL is the SVG namespace, which is a name, not a download.
        var urls = UrlPattern().Matches(html).Select(m => m.Value).Distinct().ToList();
        Assert.Equal(["http://www.w3.org/2000/svg"], urls);
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
        // The window is shaded on every timeline chart of its scenario: throughput, latency, target RSS, CPU and
        // handles, Gauntlet's RSS and CPU.
        Assert.Equal(7, Regex.Matches(html, "<rect class=\"window\"").Count);
        Assert.Contains("latency +200ms (2s to 3.5s)", html, StringComparison.Ordinal);
        Assert.Contains(">120MB/min<", html, StringComparison.Ordinal);
        Assert.Contains("<strong>memory</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Distribution_counts_every_recorded_operation()
    {
        var html = HtmlReport.Render(Sample());
        var chart = Regex.Match(html, "<svg id=\"s0-distribution\".*?</svg>", RegexOptions.Singleline).Value;
        var total = Regex.Matches(chart, "<rect class=\"bar\"[^>]*><title>[^<]*: ([0-9.]+)</title>")
            .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2000, total);
    }

    [Fact]
    public void A_run_without_timeline_says_no_data_instead_of_drawing_nothing()
    {
        var empty = ReportSamples.ClosedPassed() with { Timeline = [], Latency = new LatencySummary() };
        var html = HtmlReport.Render(ReportSamples.Run(empty));
        Assert.Equal(3, Regex.Matches(html, "class=\"nodata\"").Count);
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();

    [GeneratedRegex("https?://[^\"'\\s<>)]+")]
    private static partial Regex UrlPattern();
}
