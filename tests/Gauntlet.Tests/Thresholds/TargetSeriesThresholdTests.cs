using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

/// <summary>Thresholds over a series of the target's own metrics: <c>max(process_resident_memory_bytes) &lt; 512MB</c>, <c>last(queue_depth) == 0</c>.</summary>
public sealed class TargetSeriesThresholdTests
{
    [Theory]
    [InlineData("max(target_heap_bytes) < 512MB", "max(target_heap_bytes)", "target_heap_bytes", MetricKind.Size, 512_000_000)]
    [InlineData("last(queue_depth) == 0", "last(queue_depth)", "queue_depth", MetricKind.Number, 0)]
    [InlineData("mean(queue_depth) < 2.5", "mean(queue_depth)", "queue_depth", MetricKind.Number, 2.5)]
    [InlineData("last(q{queue = \"orders\", a=\"b\"}) == 0", "last(q{a=\"b\",queue=\"orders\"})", "q{a=\"b\",queue=\"orders\"}", MetricKind.Number, 0)]
    [InlineData("delta(temperature) > -3", "delta(temperature)", "temperature", MetricKind.Number, -3)]
    [InlineData("max(cache_hit_ratio) >= 90%", "max(cache_hit_ratio)", "cache_hit_ratio", MetricKind.Ratio, 0.9)]
    [InlineData("mean(request_rate) > 100/s", "mean(request_rate)", "request_rate", MetricKind.Rate, 100)]
    [InlineData("last(job:errors:rate5m) < 1", "last(job:errors:rate5m)", "job:errors:rate5m", MetricKind.Number, 1)]
    [InlineData("max(queue_depth{}) < 10", "max(queue_depth)", "queue_depth", MetricKind.Number, 10)]
    public void A_series_threshold_takes_its_kind_from_the_value_written(string expression, string metric, string series, MetricKind kind, double value)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(series, threshold.TargetSeries);
        Assert.Null(threshold.OperationKind);
        Assert.Equal(kind, threshold.Kind);
        Assert.Equal(value, threshold.Value, 9);
    }

    [Fact]
    public void Max_of_a_bare_name_with_a_duration_may_be_a_kind_or_a_series_until_the_scenario_says()
    {
        var threshold = Threshold.Parse("max(request_duration_seconds) < 50ms");

        Assert.Equal("request_duration_seconds", threshold.OperationKind);
        Assert.Equal("request_duration_seconds", threshold.TargetSeries);
        Assert.Equal(MetricKind.Duration, threshold.Kind);
        // A kind name with a '-' is no metric name: only the kind.
        var kind = Threshold.Parse("max(get-user) < 50ms");
        Assert.Equal("get-user", kind.OperationKind);
        Assert.Null(kind.TargetSeries);
    }

    [Theory]
    [InlineData("max(rss) < 512MB", "max(rss)")]
    [InlineData("max(cpu) < 90%", "max(cpu)")]
    [InlineData("count(valid) == 3", "count(valid)")]
    public void Table_rows_and_counts_are_never_series(string expression, string metric)
    {
        var threshold = Threshold.Parse(expression);
        Assert.Equal(metric, threshold.Metric);
        Assert.Null(threshold.TargetSeries);
    }

    [Theory]
    [InlineData("p99(q{a=\"b\"}) < 5ms", "col 5: 'p99' does not take a series of the target's metrics; the functions that do are min, max, mean, last, delta")]
    [InlineData("last(q{a=\"b) == 0", "col 7: a quoted label value is not closed; end it with '\"'")]
    [InlineData("last(q{a!=\"b\"}) == 0", "col 6: 'q{a!=\"b\"}' is not a series such as queue_depth or queue_depth{queue=\"orders\"}: col 4: expected '=' after the label 'a' (only equality matchers such as a=\"value\" are supported), found '!'")]
    [InlineData("last(q) == 1MB/min", "col 13: unknown unit 'MB/min' for a series of the target's metrics; write a plain number, a duration (50ms), a ratio (5%), a rate (100/s) or a size (512MB)")]
    [InlineData("last(q) == x", "col 12: expected a number, with a unit when the series has one (512MB, 50ms) but found 'x'")]
    public void Wrong_series_thresholds_say_where(string expression, string message)
    {
        Assert.False(Threshold.TryParse(expression, out _, out var error));
        Assert.Equal(message, error!.ToString());
    }

    private static Scenario WithSeries(params Threshold[] thresholds) =>
        Scenario.Create("watched", _ => Task.CompletedTask)
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithMonitor(new MonitorOptions
            {
                Prometheus =
                [
                    new PrometheusMonitorOptions { Url = "http://127.0.0.1:9/metrics", Metrics = ["queue_depth", "heap_bytes", "wait_seconds", "q{queue=\"orders\"}"] },
                    new PrometheusMonitorOptions { Url = "http://127.0.0.1:9090", Query = "sum(rate(x[1m]))", Name = "x_rate" },
                ],
            })
            .WithThresholds(thresholds);

    [Fact]
    public void Series_the_monitor_reads_validate()
    {
        var problems = WithSeries("last(queue_depth) == 0", "max(heap_bytes) < 512MB", "max(wait_seconds) < 50ms", "last(q{queue=\"orders\"}) == 0",
            "mean(x_rate) > 10/s").Validate();
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("last(queue_dept) == 0", "unknown series 'queue_dept' in 'last(queue_dept)'; the series read are queue_depth, heap_bytes, wait_seconds, q{queue=\"orders\"}, x_rate; did you mean 'last(queue_depth)'?")]
    [InlineData("max(heap_bytes) < 512", "'heap_bytes' is in bytes; compare it with a size such as 512MB")]
    [InlineData("max(wait_seconds) < 3", "'wait_seconds' is in seconds; compare it with a duration such as 50ms")]
    [InlineData("max(queue_depth) < 5ms", "'queue_depth' is neither in seconds nor in bytes (by its name or the query's unit); compare it with a plain number such as 0, a ratio or a rate")]
    [InlineData("max(nothing) < 5ms", "unknown operation kind or series 'nothing' in 'max(nothing)'; the series read are queue_depth, heap_bytes, wait_seconds, q{queue=\"orders\"}, x_rate")]
    public void A_series_the_monitor_does_not_read_or_a_wrong_unit_is_a_validation_problem(string expression, string message)
    {
        var problem = Assert.Single(WithSeries(expression).Validate());
        Assert.Equal("thresholds[0]", problem.Path);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Without_a_monitor_a_series_threshold_says_how_to_read_it()
    {
        var problem = Assert.Single(Scenario.Create("plain", _ => Task.CompletedTask).WithDuration(TimeSpan.FromSeconds(1))
            .WithThresholds("last(queue_depth) == 0").Validate());
        Assert.Contains("the scenario reads no target metrics; list the series under monitor: { prometheus:", problem.Message, StringComparison.Ordinal);
    }

    private static ScenarioResult Result(params TargetMetricSeries[] series) => new()
    {
        Name = "r",
        Config = new ScenarioConfig { Model = "closed", Load = "1 worker", Bounds = "1s", MaxConcurrency = 1 },
        Counts = new Counts(),
        Latency = Histograms.Summarize(new HdrHistogram.LongHistogram(1, 1_000_000, 3)),
        Throughput = new ThroughputStats(),
        Timeline = [],
        TargetMetrics = series,
    };

    private static TargetMetricSeries Series(string name, string? unit, params double[] values) => new()
    {
        Name = name,
        Source = "http://127.0.0.1:9/metrics",
        Unit = unit,
        Points = [.. values.Select((v, i) => new TargetMetricPoint(i, v))],
    };

    [Fact]
    public void Functions_judge_the_series_points_in_the_thresholds_unit()
    {
        var source = new ScenarioMetricSource(Result(Series("queue_depth", null, 3, 9, 4, 0), Series("wait_seconds", "seconds", 0.01, 0.07),
            Series("heap_bytes", "bytes", 400e6, 600e6)), new HdrHistogram.LongHistogram(1, 1_000_000, 3));

        Assert.True(Threshold.Parse("last(queue_depth) == 0").Evaluate(source).Passed);
        Assert.False(Threshold.Parse("max(queue_depth) < 5").Evaluate(source).Passed);
        Assert.Equal("9", Threshold.Parse("max(queue_depth) < 5").Evaluate(source).ActualText);
        Assert.True(Threshold.Parse("min(queue_depth) == 0").Evaluate(source).Passed);
        Assert.True(Threshold.Parse("mean(queue_depth) == 4").Evaluate(source).Passed);
        Assert.True(Threshold.Parse("delta(queue_depth) == -3").Evaluate(source).Passed);
        var wait = Threshold.Parse("max(wait_seconds) < 50ms").Evaluate(source);
        Assert.False(wait.Passed);
        Assert.Equal("70ms", wait.ActualText);
        var heap = Threshold.Parse("max(heap_bytes) < 512MB").Evaluate(source);
        Assert.False(heap.Passed);
        Assert.Equal("600MB", heap.ActualText);
    }

    [Fact]
    public void A_series_without_points_cannot_be_judged_and_says_why()
    {
        var empty = Series("queue_depth", null) with { FailedReads = 5 };
        var source = new ScenarioMetricSource(Result(empty), new HdrHistogram.LongHistogram(1, 1_000_000, 3));

        var verdict = Threshold.Parse("last(queue_depth) == 0").Evaluate(source);
        Assert.False(verdict.Passed);
        Assert.Equal("cannot be judged: no read of the target's metric 'queue_depth' succeeded (5 failed; see the warnings)", verdict.Note);
        var unread = Threshold.Parse("last(other) == 0").Evaluate(source);
        Assert.Equal("cannot be judged: the target's metric 'other' was not read in this run", unread.Note);
    }
}
