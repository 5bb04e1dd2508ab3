using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Grpc;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.Http;
using Gauntlet.Tests.Results;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Targets.Grpc;

/// <summary>gRPC over TLS (HTTP/2 by ALPN) against the built-in server with a self-signed certificate made in memory.</summary>
public sealed class GrpcTlsTests(TlsServer server) : IClassFixture<TlsServer>
{
    private static readonly string Proto = Path.Combine(RepositoryPaths.Examples, "grpc-echo", "echo.proto");

    private GrpcOptions Echo(bool insecure) =>
        new(server.Url, $"{GrpcEcho.Service}/Say", Template.Constant("""{"text": "over tls"}"""))
        {
            Proto = Proto,
            Insecure = insecure,
            Checks = [new HttpCheck.Contains("\"text\":\"over tls\"")],
        };

    private static Task<ScenarioResult> Run(GrpcOptions options, long calls, int workers) =>
        RunHelpers.RunOne(Scenario.Create("grpc-tls", new GrpcOperation(options))
            .WithLoad(LoadProfile.Closed(workers))
            .WithMaxIterations(calls)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithDeadline(TimeSpan.FromSeconds(60)));

    [Fact]
    public async Task Insecure_accepts_a_self_signed_certificate_and_every_call_is_answered()
    {
        var result = await Run(Echo(insecure: true), 60, 4);

        Assert.Equal(60, result.Counts.Ok);
        Assert.Equal(60, result.Grpc!.Statuses.Where(s => s.Status == "OK").Sum(s => s.Count));
        Assert.Equal(60, result.Grpc.MessagesReceived);
    }

    [Fact]
    public async Task Without_insecure_a_self_signed_certificate_fails_every_call_as_unavailable_tls_and_says_what_to_do()
    {
        var result = await Run(Echo(insecure: false), 6, 2);

        Assert.Equal(0, result.Counts.Ok);
        Assert.Equal(6, result.Counts.Failed);
        var error = Assert.Single(result.Errors);
        Assert.Equal("grpc_UNAVAILABLE", error.Kind);
        Assert.Equal(6, error.Count);
        var status = Assert.Single(result.Grpc!.Statuses);
        Assert.Equal(("UNAVAILABLE", 6L), (status.Status, status.Count));
        Assert.Contains("(tls)", error.SampleMessage, StringComparison.Ordinal);
        Assert.Contains("insecure: true (gauntlet grpc -k)", error.SampleMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quick_mode_runs_over_https_with_k_prints_insecure_in_its_yaml_and_fails_cleanly_without()
    {
        using var folder = new TempFolder();
        string[] flags = ["grpc", server.Url, "--proto", Proto, "--call", "gauntlet.echo.Echo/Say", "--data", """{"text": "tls {{iteration}}"}""", "-c", "2", "-n", "30"];

        var insecure = await CliProcess.RunAsync([.. flags, "-k", "--out", folder.File("insecure")]);
        var printed = await CliProcess.RunAsync([.. flags, "--insecure", "--print-yaml"]);
        var strict = await CliProcess.RunAsync([.. flags, "--out", folder.File("strict")]);

        Assert.True(insecure.ExitCode == 0, insecure.ToString());
        Assert.Equal(30, Assert.Single((await ResultFile.ReadAsync(folder.File("insecure", "result.json"))).Scenarios).Counts.Ok);
        Assert.Contains("    insecure: true\n", printed.Stdout, StringComparison.Ordinal);
        Assert.True(strict.ExitCode == 1, strict.ToString());
        var failed = Assert.Single((await ResultFile.ReadAsync(folder.File("strict", "result.json"))).Scenarios);
        Assert.Equal(30, failed.Counts.Failed);
        Assert.Equal(30, failed.Errors.Where(e => e.Kind == "grpc_UNAVAILABLE").Sum(e => e.Count));
        Assert.Contains("gauntlet grpc -k", strict.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", strict.Stdout + strict.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_file_with_insecure_true_calls_over_https()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("tls.yaml"), $$"""
            name: grpc-tls
            operation:
              grpc:
                target: "{{server.Url}}"
                proto: "{{Proto}}"
                call: gauntlet.echo.Echo/Stream
                message: '{"text": "s", "count": 3}'
                insecure: true
            iterations: 10
            thresholds: ["count(ok) == 10"]
            """);

        var run = await CliProcess.RunAsync("run", folder.File("tls.yaml"), "--out", folder.File("out"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(30, Assert.Single((await ResultFile.ReadAsync(folder.File("out", "result.json"))).Scenarios).Grpc!.MessagesReceived);
    }
}
