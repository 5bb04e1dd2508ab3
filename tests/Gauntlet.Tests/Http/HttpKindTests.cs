using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.Results;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.Http;

/// <summary>The <c>http</c> operation kind in scenario files: feeders, mixes with expected rejections, and clear errors.</summary>
public sealed class HttpKindTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    private static readonly string[] Tools =
    [
        "web_search", "base64_encoder", "diff_calculator", "uuid_generator", "data_validation", "file_search", "graphql_query",
        "citation-formatter", "environment_reader", "http_request", "audio_processor", "graph-builder", "service_checker",
        "process_executor", "video_processor", "image_processor", "calculator", "webhook-caller", "file_converter", "api-tester",
        "web-scraper", "url-analyzer", "sitemap-crawler", "date_time_handler", "text_manipulator", "file_operations", "file_watcher",
        "webpage-monitor", "system_monitor", "hash_calculator",
    ];

    [Fact]
    public async Task Every_one_of_30_tools_is_requested_100_times_through_a_sequential_feeder()
    {
        server.Clear();
        var scenario = LoadsOne($$$"""
            name: registry
            operation:
              http:
                url: "{{{server.Url}}}/tools/{{tool}}"
                feeders:
                  tool: { values: [{{{string.Join(", ", Tools)}}}] }
                checks:
                  - json: { path: $.status, equals: ok }
                  - contains: '"tool":"'
            load: { closed: { workers: 4 } }
            iterations: 3000
            timeout: 5s
            thresholds: ["error_rate == 0"]
            """);
        var result = await RunHelpers.RunOne(scenario);

        Assert.Equal(3000, result.Counts.Ok);
        Assert.Equal(30, server.Paths.Count);
        Assert.All(Tools, tool => Assert.Equal(100, server.Paths[tool]));
    }

    [Fact]
    public async Task A_mix_alternates_valid_and_invalid_requests_and_counts_correct_rejections_as_ok()
    {
        server.Clear();
        var scenario = LoadsOne($$"""
            name: error-recovery
            operation:
              http:
                mix:
                  - { name: valid, url: "{{server.Url}}/tools/calculator" }
                  - { name: invalid, url: "{{server.Url}}/status/400", reject: true }
            load: { closed: { workers: 1 } }
            iterations: 200
            timeout: 5s
            """);
        var result = await RunHelpers.RunOne(scenario);

        Assert.Equal(200, result.Counts.Ok);
        var kinds = result.OperationKinds!.ToDictionary(k => k.Name);
        Assert.Equal((100, 100, 0), (kinds["valid"].Count, kinds["valid"].Ok, kinds["valid"].NotOk));
        Assert.Equal((100, 100, 0), (kinds["invalid"].Count, kinds["invalid"].Ok, kinds["invalid"].NotOk));
        Assert.True(kinds["invalid"].ExpectsRejection);
        Assert.Equal(100, result.Status(400));
        Assert.Equal(100, result.Status(200));
        // One worker, weights 1:1: the server saw them strictly alternating.
        var sequence = server.Sequence.ToList();
        Assert.Equal(200, sequence.Count);
        for (var i = 0; i < sequence.Count; i++) Assert.Equal(i % 2 == 0 ? "tools/calculator" : "status/400", sequence[i]);
    }

    [Fact]
    public async Task A_kind_that_expects_rejection_fails_when_the_target_accepts_it()
    {
        var scenario = LoadsOne($$"""
            name: lenient
            operation:
              http:
                url: "{{server.Url}}/ok"
                mix:
                  - { name: valid, weight: 3 }
                  - { name: should-be-rejected, reject: true }
            load: { closed: { workers: 2 } }
            iterations: 40
            timeout: 5s
            """);
        var result = await RunHelpers.RunOne(scenario);

        var kinds = result.OperationKinds!.ToDictionary(k => k.Name);
        Assert.Equal(30, kinds["valid"].Ok);
        Assert.Equal(10, kinds["should-be-rejected"].NotOk);
        Assert.Equal(10, result.ErrorCount(HttpErrors.WrongStatus));
        Assert.Equal(3, kinds["valid"].Weight);
    }

    [Fact]
    public async Task Csv_json_and_range_feeders_fill_urls_headers_and_bodies()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("users.csv"), "name,id\n\"smith, jo\",1\nlee,2\n");
        File.WriteAllText(folder.File("tools.json"), """[{"tool": "calculator"}, {"tool": "uuid_generator"}]""");
        File.WriteAllText(folder.File("scenario.yaml"), $$$"""
            name: feeders
            operation:
              http:
                url: "{{{server.Url}}}/echo"
                method: POST
                headers: { Content-Type: application/json, X-User: "{{user.id}}" }
                body: '{"user": "{{user.name}}", "tool": "{{tools.tool}}", "n": {{n}}, "i": {{iteration}} }'
                feeders:
                  user: { csv: users.csv }
                  tools: { json: tools.json, order: random }
                  n: { range: { from: 10, to: 19 }, order: unique }
                checks:
                  - json: { path: $.n, equals: "10" }
                  - regex: '"user": "(smith, jo|lee)"'
            load: { closed: { workers: 1 } }
            iterations: 12
            timeout: 5s
            """);
        var loaded = ScenarioFile.Load(folder.File("scenario.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));

        var result = await RunHelpers.RunOne(loaded.Scenarios[0]);

        // n runs 10..19 once each: the first body has n = 10 and passes, the next nine fail the json check, and the
        // last two find the unique feeder used up.
        Assert.Equal(1, result.Counts.Ok);
        Assert.Equal(9, result.ErrorCount(HttpErrors.CheckFailed));
        Assert.Equal(2, result.ErrorCount(Feeder.ExhaustedKind));
    }

    [Theory]
    [InlineData("url: \"http://h/{{nope}}\"", "4:20: operation.http.url: '{{nope}}' names no feeder; known: iteration, worker, op")]
    [InlineData("url: \"http://h/\"\n    status: 2x9", "5:13: operation.http.status: '2x9' is not a status code (100-599), a class such as 2xx, or a range such as 200-204")]
    [InlineData("url: \"http://h/\"\n    body: x\n    bodySize: 1MB", "6:5: operation.http: has both 'body' and 'bodySize'; a request has one body")]
    [InlineData("url: \"http://h/\"\n    checks: [ { contain: x } ]", "5:17: operation.http.checks[0]: unknown check 'contain'; did you mean 'contains'?")]
    [InlineData("url: \"http://h/\"\n    feeders: { f: { csv: missing.csv } }", "5:26: operation.http.feeders.f.csv: cannot read")]
    [InlineData("url: \"http://h/\"\n    checks: [ { regex: \"(\" } ]", "5:24: operation.http.checks[0].regex: not a valid regular expression")]
    [InlineData("url: \"ftp://h/\"", "operation.http.url: 'ftp://h/' must start with http:// or https://")]
    [InlineData("mix: [ { name: a, url: \"http://h/\" }, { url: \"http://h/\" } ]", "operation.http.mix[1]: missing 'name'")]
    [InlineData("method: GET", "operation.http: missing 'url'")]
    public void Mistakes_are_reported_with_line_and_column(string http, string expected)
    {
        var errors = Errors($"""
            name: bad
            operation:
              http:
                {http}
            load: {"{"} closed: {"{"} workers: 1 {"}"} {"}"}
            iterations: 1
            """);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
