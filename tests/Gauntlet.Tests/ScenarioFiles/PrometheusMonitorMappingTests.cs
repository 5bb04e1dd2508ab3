using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary><c>monitor: { prometheus: ... }</c>: the target's own metrics, read every interval; its mistakes at FILE:LINE:COL.</summary>
public sealed class PrometheusMonitorMappingTests
{
    [Fact]
    public void Prometheus_sources_read_as_a_list_with_their_series_and_bounds()
    {
        var scenario = LoadsOne("""
            name: watched
            operation: { synthetic: { latency: 1ms } }
            duration: 5s
            monitor:
              interval: 500ms
              prometheus:
                - url: http://127.0.0.1:8080/metrics
                  metrics: [process_resident_memory_bytes, 'queue_depth{queue="orders"}']
                  timeout: 300ms
                - url: http://127.0.0.1:9090
                  query: 'sum(rate(http_requests_total[1m]))'
                  name: request_rate
                  interval: 2s
            thresholds:
              - max(process_resident_memory_bytes) < 512MB
              - 'last(queue_depth{queue="orders"}) == 0'
              - mean(request_rate) > 10/s
            """);
        var sources = scenario.Monitor.Prometheus;
        Assert.Equal(2, sources.Count);
        Assert.Equal("http://127.0.0.1:8080/metrics", sources[0].Url);
        Assert.Equal(["process_resident_memory_bytes", "queue_depth{queue=\"orders\"}"], sources[0].Metrics);
        Assert.Equal(TimeSpan.FromMilliseconds(300), sources[0].Timeout);
        Assert.Equal("sum(rate(http_requests_total[1m]))", sources[1].Query);
        Assert.Equal("request_rate", sources[1].Name);
        Assert.Equal(TimeSpan.FromSeconds(2), sources[1].Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), sources[1].TimeoutUnder(scenario.Monitor));
        Assert.Equal(TimeSpan.FromMilliseconds(500), sources[0].IntervalUnder(scenario.Monitor));
        Assert.Equal(3, scenario.Thresholds.Count);
    }

    [Fact]
    public void One_source_may_be_a_mapping()
    {
        var scenario = LoadsOne("""
            name: watched
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            monitor: { prometheus: { url: /metrics, metrics: queue_depth } }
            """);
        var source = Assert.Single(scenario.Monitor.Prometheus);
        Assert.True(source.IsPath);
        Assert.Equal(["queue_depth"], source.Metrics);
    }

    [Theory]
    [InlineData("{ url: 'ftp://x/metrics', metrics: [a] }", "5:22: monitor.prometheus.url: must be an http:// or https:// URL or a path starting with '/', got 'ftp://x/metrics'")]
    [InlineData("{ url: http://h/metrics }", "5:15: monitor.prometheus: list the series to read from the endpoint")]
    [InlineData("{ url: http://h/metrics, metrics: ['q{a!=\"b\"}'] }", "5:50: monitor.prometheus.metrics[0]: 'q{a!=\"b\"}' is not a series such as queue_depth")]
    [InlineData("{ url: http://h, query: 'up' }", "5:15: monitor.prometheus.name: is required with a query")]
    [InlineData("{ url: http://h, query: 'up', name: up, unit: furlongs }", "5:61: monitor.prometheus.unit: must be one of seconds, bytes, ratio, got 'furlongs'")]
    [InlineData("{ url: http://h/metrics, metrics: [a], timeout: 5s }", "5:63: monitor.prometheus.timeout: must be at most the interval (1s), got 5s")]
    [InlineData("{ url: http://h/metrics, metrics: [a], timout: 1s }", "5:54: monitor.prometheus: unknown key 'timout'; did you mean 'timeout'?")]
    [InlineData("{ url: http://h/metrics, metrics: [a, a] }", "5:53: monitor.prometheus.metrics[1]: 'a' is listed twice; keep one")]
    [InlineData("[ 42 ]", "5:17: monitor.prometheus[0]: expected a mapping such as { url: http://127.0.0.1:8080/metrics, metrics: [queue_depth] }, found")]
    public void Mistakes_are_reported_at_their_line_and_column(string source, string error)
    {
        var errors = Errors($$"""
            name: watched
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            monitor:
              prometheus: {{source}}
            """);
        Assert.True(errors.Exists(e => e.StartsWith(error, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [Fact]
    public void A_threshold_on_a_series_the_monitor_does_not_read_is_reported_inside_the_threshold()
    {
        var errors = Errors("""
            name: watched
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            monitor: { prometheus: { url: http://h/metrics, metrics: [queue_depth] } }
            thresholds: ["last(queue_dept) == 0"]
            """);
        Assert.Equal("5:20: thresholds[0]: unknown series 'queue_dept' in 'last(queue_dept)'; the series read are queue_depth; did you mean 'last(queue_depth)'?", Assert.Single(errors));
    }

    [Fact]
    public void A_series_threshold_without_a_monitor_says_how_to_read_it()
    {
        var errors = Errors("""
            name: watched
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            thresholds: ["max(heap_bytes) < 512MB"]
            """);
        Assert.StartsWith("4:19: thresholds[0]: unknown series 'heap_bytes' in 'max(heap_bytes)'; the scenario reads no target metrics", Assert.Single(errors));
    }
}
