using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Engine;
using static Gauntlet.Tests.Http.HttpRuns;

namespace Gauntlet.Tests.Http;

/// <summary>HTTP operations against the in-process test server: counts, checks, bodies, connections, errors.</summary>
public sealed class HttpOperationTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    [Theory]
    [InlineData(HttpEngineChoice.Raw, "raw-http1")]
    [InlineData(HttpEngineChoice.Client, "httpclient")]
    public async Task Get_counts_status_codes_bytes_and_every_operation(HttpEngineChoice engine, string engineName)
    {
        var result = await Iterations(Get(server.Url + "/ok") with { Engine = engine }, 200, workers: 4);

        Assert.Equal(200, result.Counts.Started);
        Assert.Equal(200, result.Counts.Ok);
        var http = Assert.IsType<HttpFigures>(result.Http);
        Assert.Equal(engineName, http.Engine);
        Assert.Equal(200, result.Status(200));
        Assert.Single(http.StatusCodes);
        // Each response carries at least its status line and the two-byte body "ok".
        Assert.True(http.BytesIn >= 200 * (17 + 2), $"bytes in {http.BytesIn}");
        Assert.True(http.BytesOut >= 200 * "GET /ok HTTP/1.1\r\n".Length, $"bytes out {http.BytesOut}");
        if (engine == HttpEngineChoice.Raw) Assert.Equal(4, http.ConnectionsOpened);
    }

    [Fact]
    public void Auto_engine_takes_the_raw_path_for_plain_http11_and_httpclient_otherwise()
    {
        Assert.Equal("raw-http1", new HttpOperation(Get(server.Url + "/ok")).EngineName);
        Assert.Equal("httpclient", new HttpOperation(Get(server.Url + "/ok") with { Version = HttpVersionChoice.Http2 }).EngineName);
        Assert.Equal("httpclient", new HttpOperation(One(Request(server.Url + "/ok") with { Checks = [new HttpCheck.Header("Content-Type")] })).EngineName);
        Assert.Equal("httpclient", new HttpOperation(Get("https://127.0.0.1:1/ok")).EngineName);
    }

    [Theory]
    [InlineData(HttpEngineChoice.Raw)]
    [InlineData(HttpEngineChoice.Client)]
    public async Task Wrong_status_fails_with_its_code_counted(HttpEngineChoice engine)
    {
        var result = await Iterations(Get(server.Url + "/status/503") with { Engine = engine }, 20);

        Assert.Equal(20, result.Counts.Failed);
        Assert.Equal(20, result.ErrorCount(HttpErrors.WrongStatus));
        Assert.Equal(20, result.Status(503));
        Assert.Contains("status 503", result.Errors[0].SampleMessage);
    }

    [Fact]
    public async Task Accepted_status_set_turns_an_error_code_into_ok()
    {
        var result = await Iterations(One(Request(server.Url + "/status/404") with { Status = StatusSet.Parse("404, 410") }), 10);
        Assert.Equal(10, result.Counts.Ok);
    }

    public static TheoryData<string, HttpCheck, bool> Checks() => new()
    {
        { "/json", new HttpCheck.Contains("\"status\":\"ok\""), true },
        { "/json", new HttpCheck.Contains("nope"), false },
        { "/json", new HttpCheck.Matches(new Regex("\"count\":\\s*30")), true },
        { "/json", new HttpCheck.Matches(new Regex("\"count\":\\s*31")), false },
        { "/json", new HttpCheck.JsonEquals(JsonPathOf("$.status"), "ok"), true },
        { "/json", new HttpCheck.JsonEquals(JsonPathOf("$.count"), "30"), true },
        { "/json", new HttpCheck.JsonEquals(JsonPathOf("$.tools[1]"), "uuid_generator"), true },
        { "/json", new HttpCheck.JsonEquals(JsonPathOf("$.tools[1]"), "calculator"), false },
        { "/json", new HttpCheck.JsonEquals(JsonPathOf("$.missing"), "x"), false },
        { "/ok", new HttpCheck.JsonEquals(JsonPathOf("$.status"), "ok"), false },
        { "/json", new HttpCheck.Header("Content-Type", ContainsText: "json"), true },
        { "/json", new HttpCheck.Header("Content-Type", EqualsText: "text/plain"), false },
        { "/json", new HttpCheck.Header("X-Absent"), false },
        { "/ok", new HttpCheck.Header("Content-Type", Pattern: new Regex("^text/plain")), true },
    };

    private static JsonPath JsonPathOf(string text) => JsonPath.TryParse(text, out var path, out var error) ? path : throw new ArgumentException(error);

    [Theory]
    [MemberData(nameof(Checks))]
    public async Task Every_check_kind_passes_and_fails(string path, HttpCheck check, bool passes)
    {
        var result = await Iterations(One(Request(server.Url + path) with { Checks = [check] }), 6);

        Assert.Equal(passes ? 6 : 0, result.Counts.Ok);
        Assert.Equal(passes ? 0 : 6, result.ErrorCount(HttpErrors.CheckFailed));
    }

    [Theory]
    [InlineData(HttpEngineChoice.Raw)]
    [InlineData(HttpEngineChoice.Client)]
    public async Task One_megabyte_bodies_go_both_ways(HttpEngineChoice engine)
    {
        const int size = 1024 * 1024;
        var request = Request(server.Url + "/echo") with
        {
            Method = "POST",
            Body = HttpBody.Generated(size),
            Headers = [new("Content-Type", Template.Constant("application/json"))],
            Checks = [new HttpCheck.Matches(new Regex("^\\{\"data\":\"x+\"\\}$")), new HttpCheck.JsonEquals(JsonPathOf("$.data[0]"), "never")],
        };
        // The second check cannot pass ($.data is a string); first a run with the matching check only.
        var passing = await Iterations(One(request with { Checks = [request.Checks[0]] }) with { Engine = engine }, 4);
        Assert.Equal(4, passing.Counts.Ok);
        Assert.True(passing.Http!.BytesOut >= 4L * size, $"bytes out {passing.Http.BytesOut}");
        Assert.True(passing.Http.BytesIn >= 4L * size, $"bytes in {passing.Http.BytesIn}");

        var failing = await Iterations(One(request) with { Engine = engine }, 2);
        Assert.Equal(2, failing.ErrorCount(HttpErrors.CheckFailed));
    }

    [Theory]
    [InlineData(HttpEngineChoice.Raw)]
    [InlineData(HttpEngineChoice.Client)]
    public async Task Feeder_values_in_a_json_body_are_escaped_and_in_any_other_body_sent_as_they_are(HttpEngineChoice engine)
    {
        // Values a CSV file may well hold: a quote, a backslash, a line break, a tab. Unescaped, each breaks the JSON.
        var feeder = Feeder.FromValues("name", ["say \"hi\"", "C:\\temp", "two\nlines", "tab\there"]);
        Assert.True(Template.TryParse("""{"name": "{{name}}", "n": {{iteration}}, "tag": "x"}""", [feeder], out var body, out _, out var error), error);
        HttpRequestKind Post(string contentType, params HttpCheck[] checks) => Request(server.Url + "/echo") with
        {
            Method = "POST",
            Body = new HttpBody.Inline(body),
            Headers = [new("Content-Type", Template.Constant(contentType))],
            Checks = checks,
        };

        // The echoed body parses as JSON with the fields in place, for every value.
        var json = await Iterations(One(Post("application/json; charset=utf-8", new HttpCheck.JsonEquals(JsonPathOf("$.tag"), "x"))) with { Engine = engine, Feeders = [feeder] }, 8, workers: 1);
        Assert.Equal(8, json.Counts.Ok);
        // A text body is the template as written: the quote goes out as a quote.
        var text = await Iterations(One(Post("text/plain", new HttpCheck.Contains("say \"hi\""))) with { Engine = engine, Feeders = [feeder] }, 4, workers: 1);
        Assert.Equal(1, text.Counts.Ok);
        Assert.Equal(3, text.ErrorCount(HttpErrors.CheckFailed));
    }

    [Fact]
    public async Task Raw_path_reads_chunked_bodies_whole()
    {
        var result = await Iterations(One(Request(server.Url + "/chunked/100000") with { Checks = [new HttpCheck.Matches(new Regex("^x{100000}END$"))] }), 10);

        Assert.Equal("raw-http1", result.Http!.Engine);
        Assert.Equal(10, result.Counts.Ok);
        Assert.True(result.Http.BytesIn > 10 * 100_000);
    }

    [Fact]
    public async Task Raw_path_grows_its_buffer_for_large_heads_up_to_its_limit()
    {
        // The receive buffer starts at 8 KB: a 40 KB head makes it grow, a head past 64 KB is refused as not HTTP we read.
        var large = await Iterations(One(Request(server.Url + "/header/40000") with { Checks = [new HttpCheck.Contains("ok")] }), 5);
        Assert.Equal(5, large.Counts.Ok);
        Assert.True(large.Http!.BytesIn > 5 * 40_000, $"bytes in {large.Http.BytesIn}");

        var tooLarge = await Iterations(Get(server.Url + "/header/70000"), 2);
        Assert.Equal(2, tooLarge.ErrorCount(HttpErrors.Protocol));
        Assert.Contains(tooLarge.Errors, e => e.SampleMessage!.Contains("longer than 65536 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Raw_path_reopens_connections_the_server_closes()
    {
        var result = await Iterations(Get(server.Url + "/close"), 50, workers: 2);

        Assert.Equal(50, result.Counts.Ok);
        Assert.Equal(50, result.Http!.ServerCloses);
        // Every request needs a fresh connection: the first of each worker and one after each close but the last two.
        Assert.InRange(result.Http.ConnectionsOpened, 50, 52);
    }

    [Fact]
    public async Task Raw_path_mixes_closing_and_keep_alive_responses_without_losing_one()
    {
        var options = new HttpOperationOptions([Request(server.Url + "/close") with { Name = "close" }, Request(server.Url + "/ok") with { Name = "ok", Weight = 3 }]);
        var result = await Iterations(options, 80, workers: 2);

        Assert.Equal(80, result.Counts.Ok);
        Assert.Equal(20, result.Http!.ServerCloses);
    }

    [Theory]
    [InlineData(HttpEngineChoice.Raw)]
    [InlineData(HttpEngineChoice.Client)]
    public async Task Refused_connections_are_classified(HttpEngineChoice engine)
    {
        var result = await Iterations(Get($"http://127.0.0.1:{UnusedPort()}/ok") with { Engine = engine, Probe = false }, 5, workers: 1);

        Assert.Equal(5, result.Counts.Failed);
        Assert.Equal(5, result.ErrorCount(HttpErrors.Refused));
        Assert.Equal(ErrorClass.Unreachable, Assert.Single(result.Errors).Class);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, HttpErrors.Refused)]
    [InlineData(SocketError.HostNotFound, HttpErrors.Dns)]
    [InlineData(SocketError.TimedOut, HttpErrors.ConnectTimeout)]
    [InlineData(SocketError.NetworkUnreachable, HttpErrors.Unreachable)]
    public void A_target_that_cannot_be_reached_is_an_unreachable_outcome(SocketError error, string kind)
    {
        var outcome = HttpErrors.Classify(new HttpRequestException("send failed", new SocketException((int)error)));

        Assert.Equal((OutcomeStatus.Failed, kind, ErrorClass.Unreachable), (outcome.Status, outcome.Kind, outcome.Class));
        Assert.Equal(ErrorClass.Reached, HttpErrors.Classify(new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset))).Class);
    }

    [Theory]
    [InlineData(HttpEngineChoice.Raw)]
    [InlineData(HttpEngineChoice.Client)]
    public async Task Resets_are_classified(HttpEngineChoice engine)
    {
        var result = await Iterations(Get(server.Url + "/reset") with { Engine = engine }, 5, workers: 1);

        Assert.Equal(5, result.Counts.Failed);
        Assert.Equal(5, result.ErrorCount(HttpErrors.Reset));
    }

    [Theory]
    [InlineData(HttpEngineChoice.Raw)]
    [InlineData(HttpEngineChoice.Client)]
    public async Task Slow_responses_time_out_and_the_next_request_still_works(HttpEngineChoice engine)
    {
        var options = new HttpOperationOptions([Request(server.Url + "/delay/3000") with { Name = "slow" }, Request(server.Url + "/ok") with { Name = "fast" }]) { Engine = engine };
        var result = await Iterations(options, 4, workers: 1, timeout: TimeSpan.FromMilliseconds(500));

        Assert.Equal(2, result.Counts.TimedOut);
        Assert.Equal(2, result.Counts.Ok);
        var kinds = result.OperationKinds!.ToDictionary(k => k.Name);
        Assert.Equal(2, kinds["slow"].NotOk);
        Assert.Equal(2, kinds["fast"].Ok);
    }

    [Fact]
    public async Task Http2_is_spoken_exactly_and_never_downgraded()
    {
        var h2 = await Iterations(Get(server.Http2Url + "/json") with { Version = HttpVersionChoice.Http2 }, 20, workers: 4);
        Assert.Equal(20, h2.Counts.Ok);
        Assert.Equal("2", h2.Http!.Version);
        Assert.Equal("httpclient", h2.Http.Engine);

        // The HTTP/1.1-only port cannot answer HTTP/2 prior knowledge: it fails rather than falling back.
        var refused = await Iterations(Get(server.Url + "/json") with { Version = HttpVersionChoice.Http2 }, 3, workers: 1);
        Assert.Equal(0, refused.Counts.Ok);
        Assert.Equal(3, refused.Counts.Failed);
    }

    [Fact]
    public async Task Open_model_holds_a_fixed_rate_over_http()
    {
        await Iterations(Get(server.Url + "/ok"), 50, workers: 8); // compiles the raw path before the clock matters
        var operation = new HttpOperation(Get(server.Url + "/ok"));
        var scenario = Scenario.Create("rate", operation)
            .WithLoad(LoadProfile.Open(200, maxInFlight: 64, duration: TimeSpan.FromSeconds(1)))
            .WithTimeout(TimeSpan.FromSeconds(2));

        var result = await RunHelpers.RunOne(scenario);

        var arrivals = Assert.IsType<ArrivalStats>(result.Arrivals);
        // Every scheduled arrival was started or counted as dropped: the count, not the clock, is asserted, and the
        // schedule owes exactly rate × duration.
        Assert.Equal(200, arrivals.Scheduled);
        Assert.Equal(arrivals.Scheduled, result.Counts.Started + result.Counts.Dropped);
        Assert.Equal(result.Counts.Started, result.Counts.Ok);
        Assert.Equal(result.Counts.Ok, result.Status(200));
        Assert.NotNull(result.SchedulingLag);
    }

    private static int UnusedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
