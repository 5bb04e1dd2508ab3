using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Tcp;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Targets.Tcp;

public sealed class TcpKindTests
{
    [Fact]
    public void Every_tcp_option_reaches_the_operation()
    {
        var scenario = LoadsOne("""
            name: full
            operation:
              tcp:
                target: 127.0.0.1:7000
                connect: operation
                payload: { template: "GET {op}\n" }
                expect: { regex: "^OK", until: "\r\n", maxReply: 1KB }
                connectTimeout: 250ms
                readTimeout: 2s
                sourceAddresses: [127.0.0.2, 127.0.0.3]
                proxy: { latency: 50ms, jitter: 5ms, direction: up, bandwidth: 1MB, resetAfter: 4KB, resetRate: 1%, blackhole: 2%, refuse: 3%, slowClose: 1s, from: 1s, until: 2s, seed: 4 }
            load:
              iterations: { workers: 10, perWorker: 1, batches: { size: 5, every: 5ms } }
            """);
        var operation = Assert.IsType<TcpOperation>(scenario.Operation);
        var options = operation.Options;
        Assert.Equal(TcpConnectMode.PerOperation, options.Connect);
        Assert.True(options.Payload.IsTemplate);
        Assert.Equal(TcpReplyKind.Regex, options.Expect.Kind);
        Assert.Equal(1000, options.Expect.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ConnectTimeout);
        Assert.Equal(["127.0.0.2", "127.0.0.3"], options.SourceAddresses!.Select(a => a.ToString()));
        Assert.Equal(0.03, options.Proxy!.RefuseShare, 6);
        Assert.Equal(Gauntlet.Scenarios.ProxyDirection.Upstream, options.Proxy.LatencyDirection);
        var load = Assert.IsType<IterationsProfile>(scenario.Load);
        Assert.Equal(new BatchRamp(5, TimeSpan.FromMilliseconds(5)), load.Batches);
    }

    [Theory]
    [InlineData("payload: 64B", TcpReplyKind.Echo, 64)]
    [InlineData("payload: { hex: 2a 31 0d 0a }\n    expect: { text: \"+OK\\r\\n\" }", TcpReplyKind.Fixed, 4)]
    [InlineData("payload: { text: 'PING\\r\\n' }\n    expect: { bytes: 7 }", TcpReplyKind.Bytes, 6)]
    [InlineData("expect: none", TcpReplyKind.None, 64)]
    [InlineData("expect: { until: \"\\n\" }", TcpReplyKind.Delimiter, 64)]
    public void Payload_and_expect_forms(string lines, TcpReplyKind kind, int payloadBytes)
    {
        var scenario = LoadsOne($"""
            operation:
              tcp:
                target: builtin:echo
                {lines}
            iterations: 1
            """);
        var options = Assert.IsType<TcpOperation>(scenario.Operation).Options;
        Assert.Equal(kind, options.Expect.Kind);
        Assert.Equal(payloadBytes, options.Payload.MaxLength);
    }

    [Fact]
    public void Mistakes_are_reported_at_their_line_and_column_all_at_once()
    {
        var errors = Errors("""
            operation:
              tcp:
                target: builtin:redis
                connect: sometimes
                payload: { text: hi, hex: 2a }
                expect: { regex: "(" }
                readTimeout: soon
                sourceAddresses: [not-an-ip]
                proxy: { refuse: 150% }
            iterations: 1
            """);
        Assert.Contains(errors, e => e.StartsWith("3:13: ", StringComparison.Ordinal) && e.Contains("builtin:echo"));
        Assert.Contains(errors, e => e.StartsWith("4:14: ", StringComparison.Ordinal) && e.Contains("worker, operation"));
        Assert.Contains(errors, e => e.StartsWith("5:14: ", StringComparison.Ordinal) && e.Contains("has both 'text' and 'hex'"));
        Assert.Contains(errors, e => e.StartsWith("6:22: ", StringComparison.Ordinal) && e.Contains("regular expression"));
        Assert.Contains(errors, e => e.StartsWith("7:18: ", StringComparison.Ordinal) && e.Contains("duration"));
        Assert.Contains(errors, e => e.StartsWith("8:23: ", StringComparison.Ordinal) && e.Contains("IP address"));
        Assert.Contains(errors, e => e.StartsWith("9:22: ", StringComparison.Ordinal) && e.Contains("100%"));
    }

    [Theory]
    [InlineData("### tcp")]
    [InlineData("#### Fault proxy")]
    public void The_reference_examples_load(string section)
    {
        var text = File.ReadAllText(Path.Combine(Gauntlet.Tests.ScenarioFiles.RepositoryPaths.RepositoryRoot, "docs", "scenario-reference.md"));
        var start = text.IndexOf("\n" + section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{section}'");
        var yaml = System.Text.RegularExpressions.Regex.Match(text[start..], "```yaml\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var scenario = LoadsOne(yaml + "iterations: 1\n");
        Assert.IsType<TcpOperation>(scenario.Operation);
    }

    [Fact]
    public void A_missing_target_says_what_to_write()
    {
        var errors = Errors("operation: { tcp: { payload: 64B } }\niterations: 1\n");
        Assert.Contains(errors, e => e.Contains("missing 'target'") && e.Contains("builtin:echo"));
    }

    [Fact]
    public void A_misspelt_key_gets_a_did_you_mean()
    {
        var errors = Errors("operation: { tcp: { target: builtin:echo, paylod: 64B } }\niterations: 1\n");
        Assert.Contains(errors, e => e.Contains("paylod") && e.Contains("payload"));
    }

    [Theory]
    [InlineData("64B", TcpReplyKind.Echo, "echo")]
    [InlineData("text:PING\\r\\n", TcpReplyKind.Fixed, "text:+PONG\\r\\n")]
    [InlineData("hex:2a", TcpReplyKind.Bytes, "bytes:4")]
    [InlineData("template:{op}\\n", TcpReplyKind.Delimiter, "until:\\n")]
    [InlineData("1KiB", TcpReplyKind.Regex, "regex:^OK")]
    public void Flag_spellings_read(string payload, TcpReplyKind kind, string expect)
    {
        Assert.True(TcpFlagSyntax.TryPayload(payload, out _, out var error), error);
        Assert.True(TcpFlagSyntax.TryExpect(expect, out var expectation, out error), error);
        Assert.Equal(kind, expectation.Kind);
    }
}
