using System.Text;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Grpc;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Targets.Grpc;

/// <summary>
/// A gRPC message template is JSON: a feeder value inside a JSON string is escaped, so a quote, a backslash or a newline
/// reaches the service as text; a placeholder outside a string is the value as it is (a number).
/// </summary>
public sealed class GrpcMessageTemplateTests
{
    private const string Awkward = "say \"hi\" \\ back\nslash\tand \u0001";

    private static Template Parse(string text, params Feeder[] feeders)
    {
        Assert.True(Template.TryParse(text, feeders, out var template, out _, out var error), error);
        return template;
    }

    [Fact]
    public void Only_placeholders_inside_a_json_string_are_escaped_in_text_and_in_bytes()
    {
        var words = Feeder.FromJson("row", """[{"text": "a \"q\" \\ b\nc", "n": "42"}]""");
        var template = Parse("""{"text": "<{{row.text}}> \"{{row.text}}\"", "count": {{row.n}}, "tail": "\\{{row.n}}"}""", words).ForJson();
        const string expected = """{"text": "<a \"q\" \\ b\nc> \"a \"q\" \\ b\nc\"", "count": 42, "tail": "\\42"}""";
        int[] rows = [0];

        var text = template.Render([words], rows, new OperationValues(0, 0, 0));
        var buffer = new byte[template.MaxUtf8Length([words], rows)];
        var written = template.RenderUtf8([words], rows, new OperationValues(0, 0, 0), buffer);

        Assert.Equal(expected, text);
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer, 0, written));
        Assert.Equal(expected.Length, written);
    }

    [Fact]
    public void A_control_character_becomes_a_unicode_escape_that_parses_back_to_itself()
    {
        var value = Feeder.FromValues("v", [Awkward]);
        var template = Parse("""{"text": "{{v}}"}""", value).ForJson();

        var text = template.Render([value], [0], new OperationValues(0, 0, 0));

        Assert.Contains("\\u0001", text, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(text);
        Assert.Equal(Awkward, document.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_feeder_value_with_a_quote_a_backslash_and_a_newline_is_echoed_back_intact_and_a_number_still_counts()
    {
        // Streams of 1, 2 and 3 replies: the count comes from a placeholder outside a string, the text from one inside.
        var rows = Feeder.FromJson("row", $$"""[{"text": {{System.Text.Json.JsonSerializer.Serialize(Awkward)}}, "count": 1}, {"text": "plain", "count": 2}, {"text": "a\\b\"", "count": 3}]""");
        var options = new GrpcOptions(GrpcOptions.BuiltinHttp, $"{GrpcEcho.Service}/Stream", Parse("""{"text": "{{row.text}}", "count": {{row.count}}}""", rows))
        {
            Feeders = [rows],
        };
        var scenario = Scenario.Create("escape", new GrpcOperation(options))
            .WithLoad(LoadProfile.Closed(1))
            .WithMaxIterations(30)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithDeadline(TimeSpan.FromSeconds(60));

        var result = await RunHelpers.RunOne(scenario);

        Assert.Equal(30, result.Counts.Ok);
        Assert.Equal(0, result.Counts.Failed);
        Assert.Equal(10 * (1 + 2 + 3), result.Grpc!.MessagesReceived);
    }

    [Theory]
    [InlineData(0, "say \"hi\" \\ back\nslash\tand \u0001")]
    [InlineData(1, "plain")]
    public async Task The_echoed_text_equals_the_feeder_value(int row, string value)
    {
        var feeder = Feeder.FromValues("v", [value]);
        var options = new GrpcOptions(GrpcOptions.BuiltinHttp, $"{GrpcEcho.Service}/Say", Parse("""{"text": "{{v}}"}""", feeder))
        {
            Feeders = [feeder],
            Checks = [new HttpCheck.JsonEquals(Path("$.text"), value)],
        };
        var scenario = Scenario.Create("echo" + row, new GrpcOperation(options))
            .WithLoad(LoadProfile.Closed(2))
            .WithMaxIterations(20)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithDeadline(TimeSpan.FromSeconds(60));

        var result = await RunHelpers.RunOne(scenario);

        Assert.True(result.Counts.Ok == 20, string.Join("; ", result.Errors.Select(e => $"{e.Kind}: {e.SampleMessage}")));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task A_scenario_file_feeds_awkward_text_through_to_the_service_and_back()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("lines.json"), """[{"text": "quote \" backslash \\ newline \n end", "n": 2}]""");
        await File.WriteAllTextAsync(folder.File("scenario.yaml"), """
            name: escaped
            operation:
              grpc:
                target: builtin:http
                call: gauntlet.echo.Echo/Stream
                feeders: { line: { json: lines.json } }
                message: '{"text": "{{line.text}}", "count": {{line.n}}}'
                checks: [ { json: { path: $.text, equals: "quote \" backslash \\ newline \n end" } } ]
            iterations: 10
            thresholds: ["count(ok) == 10"]
            """);

        var run = await CliProcess.RunAsync("run", folder.File("scenario.yaml"), "--out", folder.File("out"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var scenario = Assert.Single((await ResultFile.ReadAsync(folder.File("out", "result.json"))).Scenarios);
        Assert.Equal(10, scenario.Counts.Ok);
        Assert.Equal(20, scenario.Grpc!.MessagesReceived);
    }

    private static JsonPath Path(string text)
    {
        Assert.True(JsonPath.TryParse(text, out var path, out var error), error);
        return path;
    }
}
