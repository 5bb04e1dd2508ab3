using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Targets.WebSocket;

namespace Gauntlet.Tests.Reports;

/// <summary>
/// The WebSocket and gRPC figures in report.html (and report.md, which builds its tables from the same rows): their
/// sections, their numbers, their absence when a scenario has none, and the server's text escaped.
/// </summary>
public sealed class ProtocolSectionReportTests
{
    private const string CloseReason = "<script>alert(1)</script> & bye";

    /// <summary>
    /// 10,000 messages sent over 40 connections, 9,997 replies, 3 lost; the server closed 5 connections: 2 with code
    /// 4001 and a reason that is HTML, 3 dropped without a close frame.
    /// </summary>
    private static ScenarioResult WebSocketScenario(long lost = 3) => ReportSamples.ClosedPassed("ws-echo") with
    {
        Counts = new Counts { Started = 10_000, Ok = 9_992, Failed = 8 },
        WebSocket = new WebSocketFigures
        {
            ConnectionsOpened = 40,
            ServerCloses = 5,
            ConnectTime = ReportSamples.Latency(p50: 800, p99: 2_400, count: 40),
            MessagesSent = 10_000,
            MessagesReceived = 10_000 - lost,
            MessagesLost = lost,
            BytesOut = 640_000,
            BytesIn = 639_808,
            BytesOutPerSecond = 128_000,
            BytesInPerSecond = 127_961.6,
        },
        Errors =
        [
            new ErrorKindCount(WebSocketErrorKinds.Abnormal, "failed", 3, "the connection ended without a close frame while waiting for the reply (reset)"),
            new ErrorKindCount(WebSocketErrorKinds.ReadTimeout, "failed", 3, "no complete reply within 1s (0 B received)"),
            new ErrorKindCount(WebSocketErrorKinds.Close(4001), "failed", 2, $"the server closed the connection (code 4001, \"{CloseReason}\") before replying"),
        ],
    };

    /// <summary>A server-streaming method: 301 calls (290 OK, 10 UNAVAILABLE, 1 OTHER), 2,950 messages in 300 ended streams.</summary>
    private static ScenarioResult GrpcScenario(bool streaming = true) => ReportSamples.ClosedPassed("grpc-stream") with
    {
        Grpc = new GrpcFigures
        {
            Method = "gauntlet.echo.Echo/<Stream>",
            Shape = streaming ? "server streaming" : "unary",
            Channels = 2,
            Statuses = [new GrpcStatusCount("OK", 0, 290), new GrpcStatusCount("UNAVAILABLE", 14, 10), new GrpcStatusCount("OTHER", 99, 1)],
            MessagesReceived = 2_950,
            StreamsEnded = streaming ? 300 : 0,
            MessagesPerCall = streaming ? 9.8333 : 0,
            MaxMessagesPerCall = streaming ? 10 : 0,
            FirstMessage = streaming ? ReportSamples.Latency(p50: 1_200, p99: 5_000, count: 300) : null,
            MessageGap = streaming ? ReportSamples.Latency(p50: 150, p99: 900, count: 2_650) : null,
        },
    };

    /// <summary>The HTML from a section's heading to the next heading (or the end of the scenario).</summary>
    private static string Section(string html, string heading)
    {
        var start = html.IndexOf($"<h3>{heading}</h3>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no <h3>{heading}</h3> in the report");
        var next = html.IndexOf("<h3>", start + 4, StringComparison.Ordinal);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..(next >= 0 && next < end ? next : end)];
    }

    [Fact]
    public void Html_websocket_section_shows_messages_bytes_connections_connect_time_and_closes_by_code()
    {
        var section = Section(HtmlReport.Render(ReportSamples.Run(WebSocketScenario())), "WebSocket");

        Assert.Contains("<p>10,000 messages sent, 9,997 replies, 3 lost; 625.00KiB sent (125.00KiB/s), 624.81KiB received (124.96KiB/s); "
            + "40 connections opened (connect p50 800us, p99 2.4ms, max 7.2ms), 5 closed by the server.</p>", section, StringComparison.Ordinal);
        Assert.Contains("<p class=\"warn\"><strong>3 messages lost.</strong> A lost message was sent but its reply never came", section, StringComparison.Ordinal);
        // The connect time: 40 samples and each statistic, in the HTTP phases' table markup.
        Assert.Contains("<th>statistic</th><th class=\"num\">connect time</th>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>samples</td><td class=\"num\">40</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>p50</td><td class=\"num\">800us</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>p99</td><td class=\"num\">2.4ms</td></tr>", section, StringComparison.Ordinal);
        // Closes by code, lowest first; read_timeout is not a close.
        Assert.Contains("<tr><td class=\"num\">1006</td><td><code>ws_close_1006_abnormal</code></td><td class=\"num\">3</td>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td class=\"num\">4001</td><td><code>ws_close_4001</code></td><td class=\"num\">2</td>", section, StringComparison.Ordinal);
        Assert.True(section.IndexOf(">1006<", StringComparison.Ordinal) < section.IndexOf(">4001<", StringComparison.Ordinal));
        Assert.DoesNotContain("read_timeout", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_websocket_close_reason_from_the_server_is_escaped()
    {
        var html = HtmlReport.Render(ReportSamples.Run(WebSocketScenario()));

        Assert.DoesNotContain(CloseReason, html, StringComparison.Ordinal);
        Assert.Contains("(code 4001, &quot;&lt;script&gt;alert(1)&lt;/script&gt; &amp; bye&quot;) before replying", Section(html, "WebSocket"), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_websocket_without_lost_messages_has_no_warning()
    {
        var section = Section(HtmlReport.Render(ReportSamples.Run(WebSocketScenario(lost: 0))), "WebSocket");

        Assert.Contains("10,000 messages sent, 10,000 replies, 0 lost;", section, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"warn\"", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_grpc_section_shows_statuses_and_the_streams_first_message_gap_and_messages_per_call()
    {
        var section = Section(HtmlReport.Render(ReportSamples.Run(GrpcScenario())), "gRPC");

        Assert.Contains("<p><code>gauntlet.echo.Echo/&lt;Stream&gt;</code> (server streaming) on 2 channels, 2,950 response messages.</p>", section, StringComparison.Ordinal);
        Assert.Contains("<th>status</th><th class=\"num\">code</th><th class=\"num\">calls</th>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>OK</td><td class=\"num\">0</td><td class=\"num\">290</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>UNAVAILABLE</td><td class=\"num\">14</td><td class=\"num\">10</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>OTHER</td><td class=\"num\">99</td><td class=\"num\">1</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<p>Server streaming: 300 calls ended, 9.83 messages per call on average, at most 10.</p>", section, StringComparison.Ordinal);
        Assert.Contains("<th>statistic</th><th class=\"num\">first message</th><th class=\"num\">gap between messages</th>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>samples</td><td class=\"num\">300</td><td class=\"num\">2,650</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>p50</td><td class=\"num\">1.2ms</td><td class=\"num\">150us</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>p99</td><td class=\"num\">5ms</td><td class=\"num\">900us</td></tr>", section, StringComparison.Ordinal);
        Assert.DoesNotContain("<Stream>", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_grpc_unary_has_statuses_but_no_stream_table()
    {
        var section = Section(HtmlReport.Render(ReportSamples.Run(GrpcScenario(streaming: false))), "gRPC");

        Assert.Contains("(unary) on 2 channels, 2,950 response messages.", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>OK</td><td class=\"num\">0</td><td class=\"num\">290</td></tr>", section, StringComparison.Ordinal);
        Assert.DoesNotContain("Server streaming", section, StringComparison.Ordinal);
        Assert.DoesNotContain("first message", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_has_no_websocket_or_grpc_section_for_a_scenario_without_them()
    {
        var html = HtmlReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed()));

        Assert.DoesNotContain("<h3>WebSocket</h3>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h3>gRPC</h3>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_sections_belong_to_their_own_scenario()
    {
        var html = HtmlReport.Render(ReportSamples.Run(GrpcScenario(), WebSocketScenario()));
        var grpcScenario = html.IndexOf("id=\"scenario-0\"", StringComparison.Ordinal);
        var wsScenario = html.IndexOf("id=\"scenario-1\"", StringComparison.Ordinal);

        Assert.Single(AllIndexes(html, "<h3>gRPC</h3>"), i => i > grpcScenario && i < wsScenario);
        Assert.Single(AllIndexes(html, "<h3>WebSocket</h3>"), i => i > wsScenario);
    }

    [Fact]
    public void Markdown_shows_the_same_rows_as_the_html()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(GrpcScenario(), WebSocketScenario()));

        Assert.Contains("**3 messages lost.** A lost message was sent", md, StringComparison.Ordinal);
        Assert.Contains("| p99 | 2.4ms |", md, StringComparison.Ordinal);
        Assert.Contains("| 4001 | `ws_close_4001` | 2 | the server closed the connection (code 4001, \"\\<script>alert(1)\\</script> & bye\") before replying |", md, StringComparison.Ordinal);
        Assert.Contains("| 1006 | `ws_close_1006_abnormal` | 3 |", md, StringComparison.Ordinal);
        Assert.Contains("gauntlet.echo.Echo/\\<Stream> (server streaming) on 2 channels, 2,950 response messages.", md, StringComparison.Ordinal);
        Assert.Contains("| UNAVAILABLE | 14 | 10 |", md, StringComparison.Ordinal);
        Assert.Contains("Server streaming: 300 calls ended, 9.83 messages per call on average, at most 10.", md, StringComparison.Ordinal);
        Assert.Contains("| p50 | 1.2ms | 150us |", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1006)]
    [InlineData(1011)]
    [InlineData(1013)]
    [InlineData(4001)]
    public void Every_close_kind_the_websocket_target_reports_is_read_back_with_its_code(int code)
    {
        Assert.Equal(WebSocketErrorKinds.ClosePrefix, WebSocketText.ClosePrefix);
        var closes = WebSocketText.Closes([new ErrorKindCount(WebSocketErrorKinds.Close(code), "failed", 7, null)]);

        Assert.Equal(code, Assert.Single(closes).Code);
        Assert.Equal(7, closes[0].Error.Count);
    }

    private static IEnumerable<int> AllIndexes(string text, string value)
    {
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal)) yield return i;
    }
}
