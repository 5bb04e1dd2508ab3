using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Thresholds;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Monitoring.Prometheus;

/// <summary>Real runs against the built-in HTTP server, whose <c>/metrics</c> the monitor reads and thresholds judge.</summary>
public sealed class TargetMetricsRunTests
{
    private static async Task<RunResult> Run(Scenario scenario) =>
        await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(scenario);

    private static Scenario Builtin(params Threshold[] thresholds) =>
        Scenario.Create("builtin-metrics", HttpOperation.GetBuiltin("/ok"))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 50))
            .WithMonitor(new MonitorOptions
            {
                Interval = MonitorOptions.MinInterval,
                // The source reads at the start and after the last operation, and every 2 s between: a read may take up to
                // its interval, and at the monitor's 100 ms a busy machine's first read (the endpoint's code compiling)
                // outlasted it, a failed read this test would count against the monitor when it was the machine's speed.
                Prometheus = [new PrometheusMonitorOptions
                {
                    Url = "/metrics",
                    Metrics = ["gauntlet_http_requests_total", "gauntlet_http_requests_in_flight", "process_resident_memory_bytes", "gauntlet_http_responses_total{code=\"200\"}"],
                    Interval = TimeSpan.FromSeconds(2),
                }],
            })
            .WithThresholds(thresholds);

    [Fact]
    public async Task The_builtin_servers_metrics_are_read_and_a_threshold_on_them_passes()
    {
        var run = await Run(Builtin("last(gauntlet_http_requests_total) == 100", "last(gauntlet_http_requests_in_flight) == 0",
            "last(gauntlet_http_responses_total{code=\"200\"}) == 100", "max(process_resident_memory_bytes) < 64GB"));

        var result = Assert.Single(run.Scenarios);
        Assert.All(result.Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText} {t.Note}"));
        Assert.Equal(ExitCodes.Passed, ExitCodes.Of(run));
        var requests = result.TargetMetrics!.Single(s => s.Name == "gauntlet_http_requests_total");
        Assert.EndsWith("/metrics", requests.Source, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", requests.Source, StringComparison.Ordinal);
        // A read at the start and one after the last operation, at least; the counter never goes down.
        Assert.True(requests.Points.Count >= 2, $"{requests.Points.Count} points");
        Assert.Equal(100, requests.Points[^1].Value);
        Assert.Equal(requests.Points.OrderBy(p => p.Second).Select(p => p.Value), requests.Points.Select(p => p.Value).Order());
        Assert.Equal("bytes", result.TargetMetrics!.Single(s => s.Name == "process_resident_memory_bytes").Unit);
        Assert.DoesNotContain(result.Warnings, w => w.Code == WarningCode.TargetMetricsUnread);
        // The console summary gives each series a line.
        var text = Gauntlet.Reports.TextSummary.Render(run);
        Assert.Contains("   metric    gauntlet_http_requests_total (", text, StringComparison.Ordinal);
        Assert.Contains(", last 100 over ", text, StringComparison.Ordinal);
        Assert.Contains("   metric    process_resident_memory_bytes (", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_threshold_on_the_targets_metrics_fails_the_run_with_exit_code_1()
    {
        var run = await Run(Builtin("max(process_resident_memory_bytes) < 1MB", "last(gauntlet_http_requests_total) < 100"));

        var result = Assert.Single(run.Scenarios);
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(run));
        Assert.Equal(Verdict.Failed, result.Verdict);
        var memory = result.Thresholds.Single(t => t.Expression.StartsWith("max(process", StringComparison.Ordinal));
        Assert.False(memory.Passed);
        Assert.EndsWith("MB", memory.ActualText, StringComparison.Ordinal);
        var requests = result.Thresholds.Single(t => t.Expression.StartsWith("last(gauntlet", StringComparison.Ordinal));
        Assert.False(requests.Passed);
        Assert.Equal("100", requests.ActualText);
    }

    [Fact]
    public async Task An_unreachable_endpoint_warns_and_its_threshold_cannot_be_judged_but_the_run_completes()
    {
        var port = TargetMetricsMonitorTests.ClosedPort();
        var scenario = Scenario.Create("unreachable-metrics", _ => Task.CompletedTask)
            .WithLoad(LoadProfile.IterationsPerWorker(1, 10))
            .WithMonitor(new MonitorOptions { Prometheus = [new PrometheusMonitorOptions { Url = $"http://127.0.0.1:{port}/metrics", Metrics = ["queue_depth"] }] })
            .WithThresholds("last(queue_depth) == 0");

        var run = await Run(scenario);

        var result = Assert.Single(run.Scenarios);
        Assert.Equal(10, result.Counts.Ok);
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(run));
        var threshold = Assert.Single(result.Thresholds);
        Assert.StartsWith("cannot be judged: no read of the target's metric 'queue_depth' succeeded", threshold.Note, StringComparison.Ordinal);
        var warning = result.Warnings.Single(w => w.Code == WarningCode.TargetMetricsUnread).Message;
        Assert.Contains($"http://127.0.0.1:{port}/metrics", warning, StringComparison.Ordinal);
        Assert.Contains("Connection refused", warning, StringComparison.Ordinal);
        Assert.Empty(Assert.Single(result.TargetMetrics!).Points);
    }

    [Fact]
    public async Task A_yaml_scenario_reads_the_builtin_servers_metrics_and_judges_them()
    {
        var loaded = ScenarioFile.Parse("""
            name: yaml-metrics
            operation: { http: { target: builtin:http, url: /ok } }
            load: { iterations: { workers: 2, perWorker: 20 } }
            monitor:
              interval: 100ms
              prometheus: { url: /metrics, metrics: [gauntlet_http_requests_total, gauntlet_http_requests_in_flight] }
            thresholds:
              - last(gauntlet_http_requests_total) == 40
              - last(gauntlet_http_requests_in_flight) == 0
            """, "yaml-metrics.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));

        var run = await Run(Assert.Single(loaded.Scenarios));

        Assert.All(run.Scenarios[0].Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText} {t.Note}"));
        Assert.Equal(ExitCodes.Passed, ExitCodes.Of(run));
        Assert.Equal(2, Assert.Single(run.Scenarios).TargetMetrics!.Count);
    }

    [Fact]
    public async Task Only_segment_0_of_a_split_run_reads_the_targets_metrics()
    {
        var scenario = Builtin() with { Segment = new Segment(1, 2) };
        var run = await Run(scenario);
        Assert.Null(Assert.Single(run.Scenarios).TargetMetrics);
    }
}
