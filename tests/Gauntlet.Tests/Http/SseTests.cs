using Gauntlet.Targets.Http;
using Gauntlet.Tests.Engine;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.Http;

/// <summary><c>stream: sse</c> end to end against the built-in server's <c>/sse</c> endpoint: events counted, timed, checked and cut.</summary>
public sealed class SseTests
{
    private static string Scenario(string http, int iterations, int workers = 2) => $$"""
        name: sse
        operation:
          http:
            target: builtin:http
        {{string.Join("\n", http.Split('\n').Select(line => "    " + line))}}
        load: { closed: { workers: {{workers}} } }
        iterations: {{iterations}}
        timeout: 10s
        """;

    [Fact]
    public async Task Every_stream_carries_every_event_and_the_figures_count_them_exactly()
    {
        var result = await RunHelpers.RunOne(LoadsOne(Scenario("""
            url: "/sse?events=5&size=4"
            stream: sse
            until: "[DONE]"
            minEvents: 6
            lastEvent: { json: { path: $.i, equals: 4 } }
            """, iterations: 30)));

        Assert.Equal(30, result.Counts.Ok);
        var sse = result.Http!.Sse!;
        Assert.Equal(30, sse.Streams);
        Assert.Equal(30 * 6, sse.Events); // 5 events and [DONE] per stream
        Assert.Equal(0, sse.Cut);
        Assert.Equal(30, sse.FirstEvent.Count);
        Assert.Equal(30 * 5, sse.Gap.Count);
        Assert.Equal((30, 6, 6), (sse.EventsPerStream.Count, sse.EventsPerStream.MinMicros, sse.EventsPerStream.MaxMicros));
        var phases = result.Http.Phases!;
        Assert.Equal("httpclient", result.Http.Engine);
        Assert.Equal(30, phases.Ttfb!.Count);
        Assert.InRange(result.Http.ConnectionsOpened, 1, 2);
        HttpPhaseTests.AssertWithinLatency(result, phases.Ttfb);
        HttpPhaseTests.AssertWithinLatency(result, sse.FirstEvent);
    }

    [Theory]
    [InlineData("until: \"[DONE]\"")]
    [InlineData("minEvents: 0")]
    public async Task A_stream_cut_halfway_fails_as_sse_cut_with_its_events_counted(string terminator)
    {
        var result = await RunHelpers.RunOne(LoadsOne(Scenario($"""
            url: "/sse?events=10&cutAfter=3"
            stream: sse
            {terminator}
            """, iterations: 20)));

        Assert.Equal(0, result.Counts.Ok);
        Assert.Equal(20, result.Counts.Failed);
        Assert.Equal(20, result.ErrorCount(HttpErrors.SseCut));
        var sse = result.Http!.Sse!;
        Assert.Equal((20, 20, 60), (sse.Streams, sse.Cut, sse.Events));
        Assert.Contains("after 3 events", result.Errors.Single().SampleMessage);
    }

    [Fact]
    public async Task A_stream_that_ends_cleanly_before_its_terminating_event_is_cut()
    {
        // events=3 ends with [DONE]; waiting for another terminator, every stream ends without it.
        var result = await RunHelpers.RunOne(LoadsOne(Scenario("""
            url: "/sse?events=3"
            stream: sse
            until: "[END]"
            """, iterations: 6)));

        Assert.Equal(6, result.ErrorCount(HttpErrors.SseCut));
        Assert.Contains("without its terminating event '[END]'", result.Errors.Single().SampleMessage);
        Assert.Equal(6 * 4, result.Http!.Sse!.Events);
    }

    [Theory]
    [InlineData("lastEvent: { regex: '\"i\":2,' }", true, null)]
    [InlineData("lastEvent: { equals: nope }", false, "the last event is '{\"i\":2,\"text\":\"xxxxxxxx\"}', expected 'nope'")]
    [InlineData("minEvents: 5", false, "the stream carried 4 events, expected at least 5 (minEvents)")]
    [InlineData("lastEvent: { json: { path: $.i, equals: 3 } }", false, "the last event: $.i is '2', expected '3'")]
    public async Task The_last_event_and_the_event_count_are_checked(string check, bool passes, string? message)
    {
        var result = await RunHelpers.RunOne(LoadsOne(Scenario($"""
            url: "/sse?events=3"
            stream: sse
            until: "[DONE]"
            {check}
            """, iterations: 4)));

        Assert.Equal(passes ? 4 : 0, result.Counts.Ok);
        if (message is not null)
        {
            Assert.Equal(4, result.ErrorCount(HttpErrors.CheckFailed));
            Assert.Equal(message, result.Errors.Single().SampleMessage);
        }
    }

    [Fact]
    public async Task A_response_that_is_not_an_event_stream_fails_as_protocol()
    {
        var result = await RunHelpers.RunOne(LoadsOne(Scenario("""
            url: /ok
            stream: sse
            """, iterations: 2)));

        Assert.Equal(2, result.ErrorCount(HttpErrors.Protocol));
        Assert.Contains("not text/event-stream", result.Errors.Single().SampleMessage);
    }

    [Theory]
    [InlineData("url: /sse\nstream: sse\nengine: raw", "7:13: operation.http.engine: stream: sse reads responses through HttpClient")]
    [InlineData("url: /sse\nuntil: \"[DONE]\"", "6:5: operation.http.until: 'until' reads a streamed response; add stream: sse")]
    [InlineData("url: /sse\nstream: websocket", "6:13: operation.http.stream: expected one of sse")]
    [InlineData("url: /sse\nstream: sse\nlastEvent: { equal: x }", "7:18: ")]
    [InlineData("url: /sse\nstream: sse\nlastEvent: { }", "7:16: operation.http.lastEvent: names no check")]
    [InlineData("url: /sse\nstream: sse\nchecks: [ { contains: x } ]", "7:13: operation.http.checks: contains, regex and json checks read a whole body")]
    [InlineData("url: /sse\nstream: sse\nmethod: HEAD", "7:13: operation.http.method: a HEAD response has no body")]
    [InlineData("url: /sse\nstream: sse\nminEvents: -1", "7:16: operation.http.minEvents: must be 0 or more")]
    public void Bad_stream_settings_are_reported_at_their_line_and_column(string http, string expected)
    {
        var errors = Errors(Scenario(http, iterations: 1));

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}

/// <summary>The event-stream format parsed as bytes arrive, in any split.</summary>
public sealed class SseParserTests
{
    private const string Stream =
        ": a comment\r\n\r\nevent: token\r\nid: 1\r\ndata: first\r\n\r\ndata:two\ndata:  lines\n\nid: 2\n\ndata\n\ndata: cr\r\r: end\n";

    [Fact]
    public void Events_are_dispatched_at_blank_lines_with_multi_line_data_and_comments_skipped_in_any_split()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Stream);
        for (var split = 1; split < bytes.Length; split++)
        {
            var parser = new SseParser();
            var events = new List<string>();
            foreach (var part in new[] { bytes[..split], bytes[split..] })
            {
                var offset = 0;
                while ((offset = parser.Feed(part, offset)) >= 0) events.Add(System.Text.Encoding.UTF8.GetString(parser.LastData));
            }

            Assert.Equal(["first", "two\n lines", "", "cr"], events);
            Assert.Equal(4, parser.Events);
        }
    }
}

/// <summary>Thresholds on the phases of requests and streams: <c>p99(ttfb)</c>, <c>max(first_event)</c>, judged from their histograms.</summary>
public sealed class HttpPhaseThresholdTests
{
    [Fact]
    public async Task Phase_thresholds_are_judged_from_the_phase_histograms()
    {
        var result = await RunHelpers.RunOne(LoadsOne("""
            name: sse
            operation:
              http: { target: builtin:http, url: "/sse?events=3", stream: sse, until: "[DONE]" }
            load: { closed: { workers: 2 } }
            iterations: 10
            timeout: 10s
            thresholds: ["p99(ttfb) < 10s", "max(connect) < 10s", "p50(event_gap) < 10s", "mean(first_event) < 1us", "p99(tls) < 1s"]
            """));

        var verdicts = result.Thresholds.ToDictionary(t => t.Expression);
        Assert.True(verdicts["p99(ttfb) < 10s"].Passed, verdicts["p99(ttfb) < 10s"].Note);
        Assert.True(verdicts["max(connect) < 10s"].Passed);
        Assert.True(verdicts["p50(event_gap) < 10s"].Passed);
        Assert.False(verdicts["mean(first_event) < 1us"].Passed);
        var tls = verdicts["p99(tls) < 1s"];
        Assert.False(tls.Passed);
        Assert.Contains("did not measure the phase 'tls'", tls.Note);
    }

    [Theory]
    [InlineData("p99(ttfb) < 20ms", "p99(ttfb)")]
    [InlineData("p100(connect) < 1s", "max(connect)")]
    [InlineData("max(first_event) < 1s", "max(first_event)")]
    public void A_phase_is_a_duration_metric_of_its_own(string expression, string metric)
    {
        var threshold = Gauntlet.Thresholds.Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Null(threshold.OperationKind);
        Assert.Null(threshold.TargetSeries);
    }
}

/// <summary>examples/sse-stream runs and passes as its README says.</summary>
public sealed class SseExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-sse-example-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sse_stream_example_passes_and_catches_every_cut_stream()
    {
        var result = await Gauntlet.Tests.ScenarioFiles.ExampleRuns.RunAsync("sse-stream", "scenario.yaml", [], _folder);

        Assert.Equal(Gauntlet.Results.Verdict.Passed, result.Verdict);
        var kinds = result.OperationKinds!.ToDictionary(k => k.Name);
        Assert.Equal(kinds["cut"].Count, result.ErrorCount(HttpErrors.SseCut));
        Assert.Equal(0, kinds["full"].NotOk);
        var sse = result.Http!.Sse!;
        Assert.Equal(kinds["cut"].Count, sse.Cut);
        Assert.Equal(kinds["full"].Count * 21 + kinds["cut"].Count * 5, sse.Events);
    }
}

/// <summary>The last event's data is the operation's output, which a history label reads.</summary>
public sealed class SseHistoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-sse-history-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_history_label_reads_the_last_event_before_the_terminating_one()
    {
        var loaded = Gauntlet.ScenarioFiles.ScenarioFile.Parse("""
            name: sse-history
            operation:
              http: { target: builtin:http, url: "/sse?events=5", stream: sse, until: "[DONE]" }
            load: { iterations: { workers: 2, perWorker: 3 } }
            history:
              value: { json: i }
            """, "scenario.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var runner = new Gauntlet.Pipeline.Runner(new Gauntlet.Pipeline.RunOptions { Environment = RunHelpers.TestEnvironment, ResultsDirectory = _folder });
        var result = Assert.Single((await runner.RunAsync(Assert.Single(loaded.Scenarios))).Scenarios);

        Assert.Equal(6, result.Counts.Ok);
        var history = Gauntlet.Verification.HistoryReader.Read(Path.Combine(_folder, Gauntlet.Results.HistoryInfo.FileName)).Where(e => !e.IsFault).ToList();
        Assert.Equal(6, history.Count);
        Assert.All(history, e => Assert.Equal("4", e.Value));
    }
}
