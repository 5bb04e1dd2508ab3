using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

/// <summary>Metrics narrowed to one operation kind of a mix: <c>p99(valid)</c>, <c>error_rate(invalid)</c>, <c>count(valid)</c>.</summary>
public sealed class OperationKindThresholdTests
{
    [Theory]
    [InlineData("p99(valid) < 50ms", "p99(valid)", "valid", MetricKind.Duration, 50_000)]
    [InlineData("p99.90(tool-info) <= 1s", "p99.9(tool-info)", "tool-info", MetricKind.Duration, 1_000_000)]
    [InlineData("p100(valid) < 1s", "max(valid)", "valid", MetricKind.Duration, 1_000_000)]
    [InlineData("mean(valid) < 2ms", "mean(valid)", "valid", MetricKind.Duration, 2_000)]
    [InlineData("error_rate(invalid) == 0", "error_rate(invalid)", "invalid", MetricKind.Ratio, 0)]
    [InlineData("success_rate( valid ) >= 99.5%", "success_rate(valid)", "valid", MetricKind.Ratio, 0.995)]
    [InlineData("count(valid) >= 100", "count(valid)", "valid", MetricKind.Count, 100)]
    public void A_metric_names_a_kind_as_its_argument(string expression, string metric, string kind, MetricKind metricKind, double value)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(kind, threshold.OperationKind);
        Assert.Equal(metricKind, threshold.Kind);
        Assert.Equal(value, threshold.Value, 9);
    }

    [Theory]
    [InlineData("count(ok) == 0", "count(ok)")]
    [InlineData("max(rss) < 1GB", "max(rss)")]
    [InlineData("max(cpu) < 90%", "max(cpu)")]
    [InlineData("p99 < 5ms", "p99")]
    public void Table_metrics_win_over_a_kind_of_the_same_name(string expression, string metric)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Null(threshold.OperationKind);
    }

    [Theory]
    [InlineData("throughput(valid) > 5/s", "'throughput' cannot be narrowed to an operation kind")]
    [InlineData("lost(valid) == 0", "'lost' cannot be narrowed to an operation kind")]
    [InlineData("p101(valid) < 5ms", "percentile 'p101' is out of range")]
    public void Metrics_that_cannot_take_a_kind_say_so(string expression, string message)
    {
        Assert.False(Threshold.TryParse(expression, out _, out var error));

        Assert.Equal(1, error!.Column);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_known_kind_passes_the_check()
    {
        Assert.Null(MetricCatalog.CheckOperationKind(Threshold.Parse("p99(valid) < 5ms"), ["valid", "invalid"]));
        Assert.Null(MetricCatalog.CheckOperationKind(Threshold.Parse("p99 < 5ms"), []));
    }

    [Theory]
    [InlineData("p99(vaild) < 5ms", "unknown operation kind 'vaild' in 'p99(vaild)'; its kinds are valid, invalid; did you mean 'p99(valid)'?")]
    [InlineData("count(timedout) == 0", "unknown operation kind 'timedout' in 'count(timedout)'; its kinds are valid, invalid; did you mean 'count(timed_out)'?")]
    [InlineData("error_rate(other) == 0", "unknown operation kind 'other' in 'error_rate(other)'; its kinds are valid, invalid")]
    public void An_unknown_kind_gets_a_did_you_mean_among_kinds_and_metrics(string expression, string message)
    {
        Assert.Equal(message, MetricCatalog.CheckOperationKind(Threshold.Parse(expression), ["valid", "invalid"]));
    }

    [Fact]
    public void A_kind_on_an_operation_without_kinds_says_where_kinds_come_from()
    {
        var problem = MetricCatalog.CheckOperationKind(Threshold.Parse("p99(valid) < 5ms"), []);

        Assert.StartsWith("unknown operation kind 'valid' in 'p99(valid)'; the operation has no named kinds (a weighted HTTP mix names them", problem);
    }

    [Fact]
    public void Per_kind_metrics_are_read_from_the_kinds_figures()
    {
        var valid = Histograms.Create();
        for (var micros = 1; micros <= 1000; micros++) valid.RecordValue(micros);
        var source = Source(
            Kind("valid", ok: 90, notOk: 10, Histograms.Summarize(valid)),
            Kind("invalid", ok: 50, notOk: 0, Histograms.Summarize(valid, includeEncoding: false)));

        Assert.Equal(100, Get(source, "count(valid)"));
        Assert.Equal(0.1, Get(source, "error_rate(valid)"), 9);
        Assert.Equal(0.9, Get(source, "success_rate(valid)"), 9);
        Assert.Equal(0, Get(source, "error_rate(invalid)"));
        Assert.Equal(1000, Get(source, "max(valid)"), 0);
        Assert.Equal(1, Get(source, "min(valid)"), 0);
        // Any percentile from the kind's histogram; HdrHistogram keeps 3 significant digits.
        Assert.InRange(Get(source, "p75(valid)"), 749, 751);
        Assert.InRange(Get(source, "p99(valid)"), 989, 991);
        // Without a histogram only the summary's percentiles are known.
        Assert.InRange(Get(source, "p99(invalid)"), 989, 991);
        Assert.False(source.TryGet("p75(invalid)", out _));
        Assert.False(source.TryGet("count(absent)", out _));
    }

    [Fact]
    public void A_per_kind_threshold_is_judged_against_its_kind_only()
    {
        var latency = Histograms.Create();
        latency.RecordValue(100);
        var source = Source(Kind("valid", ok: 100, notOk: 0, Histograms.Summarize(latency)), Kind("invalid", ok: 40, notOk: 60, Histograms.Summarize(latency)));

        Assert.True(Threshold.Parse("error_rate(valid) == 0").Evaluate(source).Passed);
        var failed = Threshold.Parse("error_rate(invalid) == 0").Evaluate(source);
        Assert.False(failed.Passed);
        Assert.Equal("60%", failed.ActualText);
        var missing = Threshold.Parse("count(nope) >= 1").Evaluate(source);
        Assert.False(missing.Passed);
        Assert.Equal(Threshold.NotMeasuredNote, missing.Note);
    }

    private static double Get(IMetricSource source, string key)
    {
        Assert.True(source.TryGet(key, out var value), $"{key} not measured");
        return value;
    }

    private static OperationKindFigures Kind(string name, long ok, long notOk, LatencySummary latency) =>
        new() { Name = name, Weight = 1, Count = ok + notOk, Ok = ok, NotOk = notOk, Latency = latency };

    private static ScenarioMetricSource Source(params OperationKindFigures[] kinds)
    {
        var empty = Histograms.Create();
        var result = new ScenarioResult
        {
            Name = "mix",
            Config = new ScenarioConfig { Model = "closed", Load = "1 worker", Bounds = "" },
            Counts = new Counts { Started = kinds.Sum(k => k.Count), Ok = kinds.Sum(k => k.Ok), Failed = kinds.Sum(k => k.NotOk) },
            Latency = Histograms.Summarize(empty),
            Throughput = new ThroughputStats(),
            OperationKinds = kinds,
        };
        return new ScenarioMetricSource(result, empty);
    }
}
