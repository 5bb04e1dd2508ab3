using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

public sealed class ThresholdParseTests
{
    [Theory]
    [InlineData("p99 < 50ms", "p99", Comparison.Less, 50_000, "50ms")]
    [InlineData("p99.9 <= 1s", "p99.9", Comparison.LessOrEqual, 1_000_000, "1s")]
    [InlineData("p50>=250us", "p50", Comparison.GreaterOrEqual, 250, "250us")]
    [InlineData("p95 > 1.5s", "p95", Comparison.Greater, 1_500_000, "1.5s")]
    [InlineData("p90 == 2m", "p90", Comparison.Equal, 120_000_000, "2m")]
    [InlineData("max < 1h", "max", Comparison.Less, 3_600_000_000, "1h")]
    [InlineData("min != 10µs", "min", Comparison.NotEqual, 10, "10us")]
    [InlineData("mean < 3.25 ms", "mean", Comparison.Less, 3_250, "3.25ms")]
    [InlineData("stddev < 1_500us", "stddev", Comparison.Less, 1_500, "1500us")]
    [InlineData("  p99   <   50ms  ", "p99", Comparison.Less, 50_000, "50ms")]
    public void Duration_thresholds_convert_to_microseconds(string expression, string metric, Comparison comparison, double micros, string target)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(comparison, threshold.Comparison);
        Assert.Equal(micros, threshold.Value);
        Assert.Equal(MetricKind.Duration, threshold.Kind);
        Assert.Equal(target, threshold.Target);
        Assert.Equal(expression, threshold.Expression);
    }

    [Theory]
    [InlineData("p75 < 5ms", "p75")]
    [InlineData("p99.90 < 5ms", "p99.9")]
    [InlineData("p099 < 5ms", "p99")]
    [InlineData("p99.99 < 5ms", "p99.99")]
    [InlineData("p0.1 < 5ms", "p0.1")]
    [InlineData("p100 < 5ms", "max")]
    [InlineData("p100.0 < 5ms", "max")]
    public void Any_percentile_up_to_100_gets_a_canonical_key(string expression, string metric)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(MetricKind.Duration, threshold.Kind);
    }

    [Theory]
    [InlineData("error_rate < 0.1%", "error_rate", Comparison.Less, 0.001, "0.1%")]
    [InlineData("error_rate <= 0.001", "error_rate", Comparison.LessOrEqual, 0.001, "0.1%")]
    [InlineData("success_rate >= 99.9%", "success_rate", Comparison.GreaterOrEqual, 0.999, "99.9%")]
    [InlineData("success_rate == 1", "success_rate", Comparison.Equal, 1.0, "100%")]
    [InlineData("cv(throughput) < 5%", "cv(throughput)", Comparison.Less, 0.05, "5%")]
    [InlineData("cv(throughput) < 150%", "cv(throughput)", Comparison.Less, 1.5, "150%")]
    public void Ratio_thresholds_convert_to_fractions(string expression, string metric, Comparison comparison, double fraction, string target)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(comparison, threshold.Comparison);
        Assert.Equal(fraction, threshold.Value);
        Assert.Equal(MetricKind.Ratio, threshold.Kind);
        Assert.Equal(target, threshold.Target);
    }

    [Theory]
    [InlineData("throughput >= 1000/s", 1000, "1000/s")]
    [InlineData("throughput >= 10_000", 10_000, "10000/s")]
    [InlineData("throughput > 600/m", 10, "600/m")]
    [InlineData("throughput > 2.5 /s", 2.5, "2.5/s")]
    public void Rate_thresholds_convert_to_per_second(string expression, double perSecond, string target)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal("throughput", threshold.Metric);
        Assert.Equal(MetricKind.Rate, threshold.Kind);
        Assert.Equal(perSecond, threshold.Value, 1e-12);
        Assert.Equal(target, threshold.Target);
    }

    [Theory]
    [InlineData("count(timed_out) == 0", "count(timed_out)", 0)]
    [InlineData("count( failed ) <= 3", "count(failed)", 3)]
    [InlineData("count (crashed)==0", "count(crashed)", 0)]
    [InlineData("dropped == 0", "count(dropped)", 0)]
    [InlineData("started >= 1_000_000", "count(started)", 1_000_000)]
    [InlineData("ok > 10", "count(ok)", 10)]
    [InlineData("failed < 5", "count(failed)", 5)]
    [InlineData("timed_out == 0", "count(timed_out)", 0)]
    [InlineData("crashed == 0", "count(crashed)", 0)]
    [InlineData("cut_off <= 64", "count(cut_off)", 64)]
    public void Count_thresholds_and_their_short_forms_use_the_count_key(string expression, string metric, double count)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(MetricKind.Count, threshold.Kind);
        Assert.Equal(count, threshold.Value);
    }

    [Theory]
    [InlineData("p99 < 50ms", Comparison.Less)]
    [InlineData("p99 <= 50ms", Comparison.LessOrEqual)]
    [InlineData("p99 > 50ms", Comparison.Greater)]
    [InlineData("p99 >= 50ms", Comparison.GreaterOrEqual)]
    [InlineData("p99 == 50ms", Comparison.Equal)]
    [InlineData("p99 != 50ms", Comparison.NotEqual)]
    public void Every_comparison_symbol_parses(string expression, Comparison comparison)
    {
        Assert.Equal(comparison, Threshold.Parse(expression).Comparison);
    }

    [Theory]
    [InlineData("dropped==0", "count(dropped) == 0")]
    [InlineData("p99.90<=1_500 ms", "p99.9 <= 1500ms")]
    [InlineData("error_rate < 0.0010", "error_rate < 0.1%")]
    public void ToString_gives_the_canonical_form(string expression, string canonical)
    {
        Assert.Equal(canonical, Threshold.Parse(expression).ToString());
    }

    public static TheoryData<string, MetricKind, string[]> CatalogMetrics()
    {
        var data = new TheoryData<string, MetricKind, string[]>();
        foreach (var metric in MetricCatalog.Metrics) data.Add(metric.Key, metric.Kind, metric.Aliases);
        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics))]
    public void Every_catalog_metric_and_alias_parses_to_its_key(string key, MetricKind kind, string[] aliases)
    {
        var value = kind switch
        {
            MetricKind.Duration => "1ms",
            MetricKind.Ratio => "1%",
            MetricKind.Rate => "1/s",
            MetricKind.Count => "0",
            MetricKind.Size => "1MB",
            MetricKind.SizeRate => "1MB/min",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a test value is missing for this kind"),
        };

        foreach (var name in aliases.Prepend(key))
        {
            var threshold = Threshold.Parse($"{name} >= {value}");
            Assert.Equal(key, threshold.Metric);
            Assert.Equal(kind, threshold.Kind);
        }
    }
}
