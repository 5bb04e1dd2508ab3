using Gauntlet.Targets.WebSocket;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.Targets.WebSocket;

public sealed class WebSocketKindTests
{
    [Fact]
    public void Every_websocket_option_reaches_the_operation()
    {
        var scenario = LoadsOne("""
            name: full
            operation:
              websocket:
                url: "ws://127.0.0.1:8080/ws?user={{user}}"
                headers: { Authorization: "Bearer {{user}}" }
                subprotocols: [chat.v2, chat.v1]
                connect: operation
                send: '{"id": {{iteration}}, "text": "hello"}'
                expect: { json: { path: $.id, equals: 7 } }
                feeders:
                  user: { values: [ann, bob] }
                connectTimeout: 2s
                readTimeout: 250ms
                maxReply: 1KiB
                insecure: true
                probe: false
            iterations: 1
            """);
        var options = Assert.IsType<WebSocketOperation>(scenario.Operation).Options;
        Assert.Equal("ws://127.0.0.1:8080/ws?user={{user}}", options.Url.Text);
        Assert.Equal("Authorization", Assert.Single(options.Headers).Key);
        Assert.Equal(["chat.v2", "chat.v1"], options.Subprotocols);
        Assert.Equal(WebSocketConnectMode.PerOperation, options.Connect);
        Assert.False(options.Send.IsBinary);
        Assert.Equal(WebSocketReplyKind.Check, options.Expect.Kind);
        Assert.Equal("user", Assert.Single(options.Feeders).Name);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReadTimeout);
        Assert.Equal(1024, options.MaxReply);
        Assert.True(options.Insecure);
        Assert.False(options.Probe);
    }

    [Theory]
    [InlineData("binary: 64B", true, WebSocketReplyKind.Echo)]
    [InlineData("binary: { base64: AAECAw== }\n    expect: none", true, WebSocketReplyKind.None)]
    [InlineData("send: hi\n    expect: { equals: \"hi {{worker}}\" }", false, WebSocketReplyKind.Exact)]
    [InlineData("send: hi\n    expect: { regex: \"^h\" }", false, WebSocketReplyKind.Check)]
    [InlineData("send: hi\n    expect: { contains: h }", false, WebSocketReplyKind.Check)]
    [InlineData("expect: echo", true, WebSocketReplyKind.Echo)]
    public void Message_and_expect_forms(string lines, bool binary, WebSocketReplyKind kind)
    {
        var scenario = LoadsOne($"""
            operation:
              websocket:
                url: builtin:http/ws
                {lines}
            iterations: 1
            """);
        var options = Assert.IsType<WebSocketOperation>(scenario.Operation).Options;
        Assert.Equal(binary, options.Send.IsBinary);
        Assert.Equal(kind, options.Expect.Kind);
    }

    [Fact]
    public void Mistakes_are_reported_at_their_line_and_column_all_at_once()
    {
        var errors = Errors("""
            operation:
              websocket:
                url: http://127.0.0.1:8080/ws
                headers: { X-User: "{{nobody}}" }
                connect: sometimes
                send: "hello {{iteration"
                expect: { regex: "(" }
                readTimeout: soon
                sned: x
            iterations: 1
            """);
        Assert.Contains(errors, e => e.StartsWith("3:10: ", StringComparison.Ordinal) && e.Contains("ws://127.0.0.1:8080/ws", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("4:25: ", StringComparison.Ordinal) && e.Contains("names no feeder", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("5:14: ", StringComparison.Ordinal) && e.Contains("worker, operation", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("6:18: ", StringComparison.Ordinal) && e.Contains("not closed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("7:22: ", StringComparison.Ordinal) && e.Contains("regular expression", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("8:18: ", StringComparison.Ordinal) && e.Contains("duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("9:5: ", StringComparison.Ordinal) && e.Contains("send", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("url: builtin:echo", "builtin:http/ws")]
    [InlineData("url: tcp://127.0.0.1:1", "ws:// or wss://")]
    [InlineData("send: a\n    binary: 8B", "has both 'send' and 'binary'")]
    [InlineData("binary: { base64: \"!!\" }", "not base64")]
    [InlineData("expect: { equals: a, regex: b }", "has both 'equals' and 'regex'")]
    [InlineData("expect: maybe", "echo, none")]
    public void Wrong_values_say_what_to_write(string lines, string expected)
    {
        var yaml = lines.StartsWith("url:", StringComparison.Ordinal)
            ? $"operation:\n  websocket:\n    {lines}\niterations: 1\n"
            : $"operation:\n  websocket:\n    url: builtin:http/ws\n    {lines}\niterations: 1\n";
        Assert.Contains(Errors(yaml), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Insecure_that_is_not_a_boolean_is_reported_at_its_value()
    {
        var errors = Errors("operation:\n  websocket:\n    url: wss://127.0.0.1:8443/ws\n    insecure: maybe\niterations: 1\n");
        Assert.Contains(errors, e => e.StartsWith("4:15: ", StringComparison.Ordinal) && e.Contains("expected true or false, found 'maybe'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_url_says_what_to_write()
    {
        var errors = Errors("operation: { websocket: { send: hi } }\niterations: 1\n");
        Assert.Contains(errors, e => e.Contains("missing 'url'", StringComparison.Ordinal) && e.Contains("builtin:http/ws", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ws://127.0.0.1:8080/ws")]
    [InlineData("wss://example.com/socket")]
    public void The_http_kind_sends_a_websocket_url_to_the_websocket_kind(string url)
    {
        var errors = Errors($"operation:\n  http:\n    url: {url}\niterations: 1\n");
        Assert.Contains(errors, e => e.Contains("use operation: websocket", StringComparison.Ordinal));
    }

    [Fact]
    public void The_reference_example_loads()
    {
        var text = File.ReadAllText(Path.Combine(Gauntlet.Tests.ScenarioFiles.RepositoryPaths.RepositoryRoot, "docs", "scenario-reference.md"));
        var start = text.IndexOf("\n### websocket\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "no section '### websocket'");
        var yaml = System.Text.RegularExpressions.Regex.Match(text[start..], "```yaml\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var scenario = LoadsOne(yaml + "iterations: 1\n");
        Assert.IsType<WebSocketOperation>(scenario.Operation);
    }
}
