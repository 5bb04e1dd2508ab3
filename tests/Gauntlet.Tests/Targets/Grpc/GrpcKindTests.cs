using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Grpc;
using Gauntlet.Tests.Results;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Targets.Grpc;

/// <summary>
/// The <c>grpc</c> operation kind in scenario files: every kind of bad input is reported at FILE:LINE:COL with what
/// to write instead, before anything runs (exit code 2).
/// </summary>
public sealed class GrpcKindTests
{
    /// <summary>Writes echo.proto (or <paramref name="proto"/>) and the scenario beside it, and loads the scenario.</summary>
    private static SpecLoadResult Load(TempFolder folder, string operation, string? proto = null)
    {
        File.WriteAllText(folder.File("echo.proto"), proto ?? GrpcEcho.Proto);
        var file = folder.File("scenario.yaml");
        File.WriteAllText(file, $"""
            name: g
            operation:
              grpc:
            {operation}
            iterations: 1
            """);
        return ScenarioFile.Load(file);
    }

    private static SpecError Error(SpecLoadResult loaded)
    {
        Assert.False(loaded.Ok);
        return Assert.Single(loaded.Errors);
    }

    [Fact]
    public void A_valid_operation_loads_with_its_method_and_settings()
    {
        using var folder = new TempFolder();
        var loaded = Load(folder, """
                target: http://127.0.0.1:8080
                proto: echo.proto
                call: gauntlet.echo.Echo/Stream
                message: '{"text": "t {{iteration}}", "count": 3}'
                metadata: { authorization: "Bearer x" }
                deadline: 2s
                expect: [OK, NOT_FOUND]
                channels: 4
            """);

        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var operation = Assert.IsType<GrpcOperation>(Assert.Single(loaded.Scenarios).Operation);
        Assert.Equal("server streaming", operation.Shape);
        Assert.Equal(TimeSpan.FromSeconds(2), operation.Options.Deadline);
        Assert.Equal(4, operation.Options.Channels);
        Assert.Equal([global::Grpc.Core.StatusCode.OK, global::Grpc.Core.StatusCode.NotFound], operation.Options.Expect);
        Assert.Equal(folder.File("echo.proto"), operation.Options.Proto);
    }

    [Fact]
    public void A_proto_that_does_not_parse_is_reported_at_its_own_line_and_at_the_scenario_line_that_names_it()
    {
        using var folder = new TempFolder();
        var loaded = Load(folder, """
                target: http://127.0.0.1:8080
                proto: echo.proto
                call: gauntlet.echo.Echo/Say
                message: '{}'
            """, proto: "syntax = \"proto3\";\nmessage X {\n  strin a = 1;\n}\n");

        var error = Error(loaded);
        Assert.Equal((5, 12), (error.Line, error.Column));
        Assert.Contains($"operation.grpc.proto: {folder.File("echo.proto")}:3:3: type not found: 'strin'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_that_is_not_in_the_proto_suggests_the_closest_one()
    {
        using var folder = new TempFolder();
        var error = Error(Load(folder, """
                target: http://127.0.0.1:8080
                proto: echo.proto
                call: gauntlet.echo.Echo/Sya
                message: '{}'
            """));

        Assert.Equal((6, 11), (error.Line, error.Column));
        Assert.Equal("operation.grpc.call: 'gauntlet.echo.Echo/Sya' is not a method of the .proto file; did you mean 'gauntlet.echo.Echo/Say'?", error.Message);
    }

    [Fact]
    public void A_method_far_from_every_name_lists_the_methods_there_are()
    {
        using var folder = new TempFolder();
        var error = Error(Load(folder, """
                target: http://127.0.0.1:8080
                proto: echo.proto
                call: other.Thing/Do
                message: '{}'
            """));

        Assert.EndsWith("expected one of: gauntlet.echo.Echo/Say, gauntlet.echo.Echo/Stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_in_the_message_is_named_with_the_fields_of_the_message()
    {
        using var folder = new TempFolder();
        var error = Error(Load(folder, """
                target: builtin:http
                proto: echo.proto
                call: gauntlet.echo.Echo/Say
                message: '{"text": "a", "delay": 5}'
            """));

        // At the key inside the message, not only at the message.
        Assert.Equal((7, 29), (error.Line, error.Column));
        Assert.Contains("operation.grpc.message: does not fit gauntlet.echo.EchoRequest: delay: gauntlet.echo.EchoRequest has no field 'delay'; did you mean 'delayMs'? "
            + "its fields: text (string), delay_ms (int32), status (int32), status_message (string), count (int32), interval_ms (int32), size (int32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_json_type_says_what_the_field_takes()
    {
        using var folder = new TempFolder();
        var error = Error(Load(folder, """
                target: builtin:http
                call: gauntlet.echo.Echo/Say
                message: '{"count": "many {{iteration}}"}'
            """));

        Assert.Equal((6, 14), (error.Line, error.Column));
        Assert.Contains("does not fit gauntlet.echo.EchoRequest (with {{...}} filled in as for the first call): count: count is int32: expected a whole number, found the string \"many 0\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_and_bidirectional_streaming_methods_are_refused_as_not_supported_yet()
    {
        using var folder = new TempFolder();
        var error = Error(Load(folder, """
                target: http://127.0.0.1:8080
                proto: echo.proto
                call: test.Chat/Talk
                message: '{}'
            """, proto: "syntax = \"proto3\";\npackage test;\nmessage M { string s = 1; }\nservice Chat { rpc Talk (stream M) returns (stream M); }\n"));

        Assert.Equal((6, 11), (error.Line, error.Column));
        Assert.Contains("test.Chat/Talk is a bidirectional streaming method, which gRPC operations do not support yet; call a unary or server-streaming one", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target: localhost:8080\n    call: gauntlet.echo.Echo/Say\n    message: '{}'", 4, 13, "is not a server address such as http://127.0.0.1:8080")]
    [InlineData("target: builtin:grpc\n    call: gauntlet.echo.Echo/Say\n    message: '{}'", 4, 13, "the built-in one is builtin:http")]
    [InlineData("target: http://127.0.0.1:8080\n    call: gauntlet.echo.Echo/Say\n    message: '{}'", 4, 5, "missing 'proto'")]
    [InlineData("target: http://127.0.0.1:8080\n    proto: nothere.proto\n    call: gauntlet.echo.Echo/Say\n    message: '{}'", 5, 12, "there is no file")]
    [InlineData("target: builtin:http\n    call: gauntlet.echo.Echo/Say\n    message: '{}'\n    expect: NOTFOUND_X", 7, 13, "is not a gRPC status")]
    [InlineData("target: builtin:http\n    call: gauntlet.echo.Echo/Say\n    message: { text: a }", 6, 14, "write the message as JSON text in quotes")]
    [InlineData("target: builtin:http\n    call: gauntlet.echo.Echo/Say\n    message: '{}'\n    checks: [ { header: { name: x } } ]", 4, 5, "no header check here")]
    [InlineData("target: builtin:http\n    call: gauntlet.echo.Echo/Say\n    message: '{}'\n    insecure: maybe", 7, 15, "expected true or false, found 'maybe'")]
    public void Other_bad_settings_are_reported_where_they_are_written(string operation, int line, int column, string expected)
    {
        using var folder = new TempFolder();
        var error = Error(Load(folder, "    " + operation));

        Assert.True((line, column) == (error.Line, error.Column), $"{error.Line}:{error.Column}: {error.Message}");
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_example_proto_is_the_built_in_services_own()
    {
        var shipped = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "grpc-echo", "echo.proto"));

        Assert.Equal(GrpcEcho.Proto.ReplaceLineEndings("\n"), shipped.ReplaceLineEndings("\n"));
    }
}
