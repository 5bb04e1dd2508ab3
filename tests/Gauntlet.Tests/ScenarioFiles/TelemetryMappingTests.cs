using System.Net;
using Gauntlet.Pipeline;
using Gauntlet.Tests.Cli;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>The file's <c>telemetry:</c> (the run's, beside <c>variables:</c>), and the flags that write or override it.</summary>
public sealed class TelemetryMappingTests
{
    [Fact]
    public void Telemetry_at_the_top_of_a_single_scenario_file_names_the_collector_and_the_endpoint()
    {
        var loaded = Loads("""
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            telemetry: { otlp: "http://127.0.0.1:4318", otlpProtocol: grpc, prometheus: 127.0.0.1:9464, interval: 500ms }
            """);

        var telemetry = Assert.IsType<TelemetryOptions>(loaded.Telemetry);
        Assert.True(telemetry.Otlp);
        Assert.Equal(new Uri("http://127.0.0.1:4318"), telemetry.OtlpEndpoint);
        Assert.Equal("grpc", telemetry.OtlpProtocol);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9464), telemetry.Prometheus);
        Assert.Equal(TimeSpan.FromMilliseconds(500), telemetry.Interval);
    }

    [Fact]
    public void A_suite_takes_telemetry_at_the_top_and_otlp_true_leaves_the_collector_to_the_environment()
    {
        var loaded = Loads("""
            telemetry: { otlp: true }
            scenarios:
              - { name: a, operation: { synthetic: { latency: 1ms } }, duration: 1s }
            """);

        Assert.True(loaded.Telemetry!.Otlp);
        Assert.Null(loaded.Telemetry.OtlpEndpoint);
        Assert.Null(loaded.Telemetry.Prometheus);
        Assert.Null(Loads("operation: { synthetic: {} }\nduration: 1s\n").Telemetry);
    }

    [Fact]
    public void Wrong_telemetry_is_reported_where_it_is_written()
    {
        var errors = Errors("""
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            telemetry:
              otlp: ftp://collector
              prometheus: localhost
              otlpProtocol: json
              intervl: 1s
            """);

        Assert.Contains(errors, e => e.StartsWith("4:9: telemetry.otlp: expected the collector's URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("5:15: telemetry.prometheus: expected ADDRESS:PORT such as 127.0.0.1:9464", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("6:17: telemetry.otlpProtocol:", StringComparison.Ordinal) && e.Contains("grpc", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("7:3:", StringComparison.Ordinal) && e.Contains("intervl", StringComparison.Ordinal));
    }

    [Fact]
    public void Telemetry_inside_a_suites_scenario_is_explained()
    {
        var errors = Errors("""
            scenarios:
              - { name: a, operation: { synthetic: {} }, duration: 1s, telemetry: { otlp: true } }
            """);

        Assert.Contains(errors, e => e.Contains("'telemetry' belongs at the top of the file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_quick_modes_write_their_telemetry_flags_into_the_scenario_they_make()
    {
        var run = await CliProcess.RunAsync("tcp", "builtin:echo", "-d", "1s", "--otlp", "--metrics", "127.0.0.1:9464", "--print-yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("telemetry: { otlp: true, prometheus: \"127.0.0.1:9464\" }", run.Stdout, StringComparison.Ordinal);
        var loaded = Loads(run.Stdout);
        Assert.True(loaded.Telemetry!.Otlp);
        Assert.Equal(9464, loaded.Telemetry.Prometheus!.Port);
    }

    [Fact]
    public async Task A_metrics_port_already_taken_is_bad_input_with_what_to_do()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("gauntlet-metrics-port-").FullName;
        try
        {
            var run = await CliProcess.RunAsync("tcp", "builtin:echo", "-n", "10", "--metrics", $"127.0.0.1:{port}", "-o", folder);

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains($"cannot serve http://127.0.0.1:{port}/metrics", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("choose a free port", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_metrics_flag_that_is_not_an_address_is_refused_at_parse_time()
    {
        var run = await CliProcess.RunAsync("tcp", "builtin:echo", "-n", "10", "--metrics", "somewhere");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--metrics: expected ADDRESS:PORT", run.Stderr, StringComparison.Ordinal);
    }
}
