using Gauntlet.Cli.Reports;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Tests.Reports;

namespace Gauntlet.Tests.Http;

/// <summary>HTTP figures and per-kind counts in the console, Markdown and quick-mode summaries.</summary>
public sealed class HttpReportTests
{
    private static ScenarioResult WithHttp() => ReportSamples.ClosedPassed("error-recovery") with
    {
        Http = new HttpFigures
        {
            Engine = "raw-http1",
            Version = "1.1",
            StatusCodes = [new StatusCodeCount(200, 100), new StatusCodeCount(400, 100)],
            BytesIn = 3 * 1024 * 1024,
            BytesOut = 20_480,
            BytesInPerSecond = 1024 * 1024,
            BytesOutPerSecond = 2048,
            ConnectionsOpened = 7,
            ServerCloses = 6,
        },
        OperationKinds =
        [
            new OperationKindFigures { Name = "valid", Weight = 1, Count = 100, Ok = 100, Latency = ReportSamples.Latency(900, 2000, 100) },
            new OperationKindFigures { Name = "invalid", Weight = 1, ExpectsRejection = true, Count = 100, Ok = 99, NotOk = 1, Latency = ReportSamples.Latency(800, 1500, 100) },
        ],
    };

    [Fact]
    public void Markdown_report_has_status_codes_bytes_and_a_row_per_kind()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(WithHttp()));

        Assert.Contains("### Operation kinds", md);
        Assert.Contains("### HTTP", md);
        Assert.Contains("| invalid | 1 | rejection | 100 | 99 | 1 | 99% |", md);
        Assert.Contains("| valid | 1 | success | 100 | 100 | 0 | 100% |", md);
        Assert.Contains("| 400 | 100 |", md);
        Assert.Contains("3.00MiB read (1.00MiB/s), 20.00KiB written (2.00KiB/s); 7 connections opened, 6 closed by the server", md);
    }

    [Fact]
    public void Reports_without_http_figures_have_no_http_sections()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()));
        Assert.DoesNotContain("### HTTP", md);
        Assert.DoesNotContain("### Operation kinds", md);
    }

    [Fact]
    public void Console_report_shows_status_codes_and_kinds()
    {
        var writer = new StringWriter();
        var console = ConsoleReport.CreateConsole(writer);
        console.Profile.Width = 200;
        ConsoleReport.Write(console, ReportSamples.Run(WithHttp()));
        var text = writer.ToString();

        Assert.Contains("status codes  200: 100, 400: 100", text);
        Assert.Contains("kind invalid  99/100 ok (rejected as expected)", text);
        Assert.Contains("HTTP/1.1 on raw-http1", text);
    }

    [Fact]
    public void Quick_mode_summary_reads_like_wrk()
    {
        var text = HttpSummary.Render(WithHttp(), "http://127.0.0.1:8080/ok");

        Assert.StartsWith("Running ", text);
        Assert.Contains("@ http://127.0.0.1:8080/ok", text);
        Assert.Contains("Latency distribution", text);
        Assert.Contains("Status codes: 200: 100, 400: 100", text);
        Assert.Contains("Requests/sec:", text);
        Assert.Contains("Transfer/sec: 1.00MiB in, 2.00KiB out", text);
        Assert.Contains("Kind invalid: 99/100 ok (rejected as expected)", text);
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(1023, "1023B")]
    [InlineData(1536, "1.50KiB")]
    [InlineData(1024 * 1024 * 95, "95.00MiB")]
    public void Bytes_are_shown_in_binary_units(long bytes, string expected) => Assert.Equal(expected, HttpSummary.Bytes(bytes));
}
