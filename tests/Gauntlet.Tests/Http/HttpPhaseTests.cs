using Gauntlet.Results;
using Gauntlet.Targets.Http;
using static Gauntlet.Tests.Http.HttpRuns;

namespace Gauntlet.Tests.Http;

/// <summary>Per-phase timings of HTTP requests: connect once per connection, time to first byte and transfer per response.</summary>
public sealed class HttpPhaseTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    [Fact]
    public async Task Raw_engine_times_one_connect_per_keep_alive_connection_and_every_response()
    {
        var result = await Iterations(Get(server.Url + "/ok"), 300, workers: 3);

        var http = result.Http!;
        Assert.Equal("raw-http1", http.Engine);
        var phases = http.Phases!;
        Assert.Equal(3, http.ConnectionsOpened);
        Assert.Equal(3, phases.Connect!.Count);
        Assert.Null(phases.Tls);
        Assert.Equal(300, phases.Ttfb!.Count);
        Assert.Equal(300, phases.Transfer!.Count);
        AssertWithinLatency(result, phases.Ttfb);
        AssertWithinLatency(result, phases.Transfer);
    }

    [Fact]
    public async Task Client_engine_counts_and_times_the_connections_its_pool_opens()
    {
        var result = await Iterations(Get(server.Url + "/ok") with { Engine = HttpEngineChoice.Client }, 200, workers: 2);

        var http = result.Http!;
        Assert.Equal("httpclient", http.Engine);
        Assert.InRange(http.ConnectionsOpened, 1, 2); // two requests in flight at most, on keep-alive connections
        Assert.Equal(http.ConnectionsOpened, http.Phases!.Connect!.Count);
        Assert.Null(http.Phases.Tls);
        Assert.Equal(200, http.Phases.Ttfb!.Count);
        Assert.Equal(200, http.Phases.Transfer!.Count);
        AssertWithinLatency(result, http.Phases.Ttfb);
    }

    [Fact]
    public async Task A_phase_no_request_reached_is_empty_not_absent()
    {
        // Nothing listens there: every connect fails, so no connection opened and no response came.
        var result = await Iterations(Get("http://127.0.0.1:9/ok") with { Probe = false }, 4, workers: 1);

        var phases = result.Http!.Phases!;
        Assert.Equal(0, phases.Connect!.Count);
        Assert.Equal(0, phases.Ttfb!.Count);
        Assert.Equal(0, result.Http.ConnectionsOpened);
    }

    /// <summary>Each request's phase is part of its latency, so each quantile of the phase is at most the latency's.</summary>
    internal static void AssertWithinLatency(ScenarioResult result, LatencySummary phase)
    {
        Assert.True(phase.P50Micros <= result.Latency.P50Micros, $"phase p50 {phase.P50Micros} > latency p50 {result.Latency.P50Micros}");
        Assert.True(phase.P99Micros <= result.Latency.P99Micros, $"phase p99 {phase.P99Micros} > latency p99 {result.Latency.P99Micros}");
        Assert.True(phase.MaxMicros <= result.Latency.MaxMicros, $"phase max {phase.MaxMicros} > latency max {result.Latency.MaxMicros}");
    }
}

/// <summary>The TLS handshake timed once per connection on the HttpClient engine.</summary>
public sealed class HttpTlsPhaseTests(TlsServer server) : IClassFixture<TlsServer>
{
    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task Https_times_the_handshake_of_every_connection_opened(HttpVersionChoice version)
    {
        var result = await Iterations(Get(server.Url + "/ok") with { Insecure = true, Version = version }, 60, workers: 2);

        Assert.Equal(60, result.Counts.Ok);
        var http = result.Http!;
        Assert.True(http.ConnectionsOpened >= 1);
        Assert.Equal(http.ConnectionsOpened, http.Phases!.Connect!.Count);
        Assert.Equal(http.ConnectionsOpened, http.Phases.Tls!.Count);
        Assert.True(http.Phases.Tls.MinMicros > 0);
        Assert.Equal(60, http.Phases.Ttfb!.Count);
    }
}

/// <summary>Streams over TLS, HTTP/1.1 and HTTP/2 (ALPN), against the built-in server's <c>/sse</c>.</summary>
public sealed class SseTlsTests(TlsServer server) : IClassFixture<TlsServer>
{
    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task Streams_over_https_count_every_event_and_a_cut_one_fails_as_sse_cut(HttpVersionChoice version)
    {
        var sse = new SseOptions { Until = "[DONE]" };
        var whole = await Iterations(Get(server.Url + "/sse?events=4") with { Insecure = true, Version = version, Sse = sse }, 10, workers: 2);
        var cut = await Iterations(Get(server.Url + "/sse?events=4&cutAfter=2") with { Insecure = true, Version = version, Sse = sse }, 4, workers: 1);

        Assert.Equal(10, whole.Counts.Ok);
        Assert.Equal((10, 50L, 0L), (whole.Http!.Sse!.Streams, whole.Http.Sse.Events, whole.Http.Sse.Cut));
        Assert.Equal(whole.Http.ConnectionsOpened, whole.Http.Phases!.Tls!.Count);
        // Over TLS the server cuts with Kestrel's abort, which over HTTP/1.1 resets the connection: a client that has not
        // read the headers yet sees a reset. Over HTTP/2 it resets one stream, after its events.
        var errors = string.Join("; ", cut.Errors.Select(e => $"{e.Kind} {e.Count}: {e.SampleMessage}"));
        if (version == HttpVersionChoice.Http2) Assert.True(4 == cut.ErrorCount(HttpErrors.SseCut), errors);
        else Assert.True(4 == cut.ErrorCount(HttpErrors.SseCut) + cut.ErrorCount(HttpErrors.Reset), errors);
    }
}
