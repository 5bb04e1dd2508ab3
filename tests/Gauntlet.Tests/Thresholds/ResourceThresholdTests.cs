using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

/// <summary>The resource and drift metrics: sizes, growth rates, signed values.</summary>
public sealed class ResourceThresholdTests
{
    [Theory]
    [InlineData("rss_slope < 1MB/min", "rss_slope", MetricKind.SizeRate, 1_000_000 / 60.0, "1MB/min")]
    [InlineData("rss_slope < 1MB/m", "rss_slope", MetricKind.SizeRate, 1_000_000 / 60.0, "1MB/min")]
    [InlineData("rss_slope <= 10KiB/s", "rss_slope", MetricKind.SizeRate, 10_240, "10KiB/s")]
    [InlineData("rss_slope < 1GB/h", "rss_slope", MetricKind.SizeRate, 1_000_000_000 / 3600.0, "1GB/h")]
    [InlineData("rss_slope > -2MB/min", "rss_slope", MetricKind.SizeRate, -2_000_000 / 60.0, "-2MB/min")]
    [InlineData("max(rss) < 512MB", "max(rss)", MetricKind.Size, 512_000_000, "512MB")]
    [InlineData("max(rss) < 1GiB", "max(rss)", MetricKind.Size, 1_073_741_824, "1GiB")]
    [InlineData("max(fds) < 1000", "max(fds)", MetricKind.Count, 1000, "1000")]
    [InlineData("max(threads) <= 64", "max(threads)", MetricKind.Count, 64, "64")]
    [InlineData("growth(fds) < 10", "growth(fds)", MetricKind.Count, 10, "10")]
    [InlineData("drift(throughput) > -5%", "drift(throughput)", MetricKind.Ratio, -0.05, "-5%")]
    [InlineData("mean(cpu) < 150%", "mean(cpu)", MetricKind.Ratio, 1.5, "150%")]
    [InlineData("max(cpu) < 0.9", "max(cpu)", MetricKind.Ratio, 0.9, "90%")]
    public void Resource_thresholds_parse_to_base_units(string expression, string metric, MetricKind kind, double value, string target)
    {
        var threshold = Threshold.Parse(expression);
        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(kind, threshold.Kind);
        Assert.Equal(value, threshold.Value, 6);
        Assert.Equal(target, threshold.Target);
    }

    [Theory]
    [InlineData("max(rss) < 512", "col 12: expected a size such as 512MB but found '512'")]
    [InlineData("rss_slope < 1MB", "col 14: unknown growth rate unit 'MB'; expected a size per time such as MB/min, KB/s or GiB/h")]
    [InlineData("max(fds) < -1", "col 12: 'max(fds)' is never negative, so it cannot be compared with a negative value; write a whole number such as 0")]
    [InlineData("p99 < -5ms", "col 7: 'p99' is never negative, so it cannot be compared with a negative value; write a duration such as 50ms")]
    [InlineData("drift(throughput) > -5", "col 21: a ratio without % is a fraction from 0 to 1 but found '-5'; did you mean '-5%'?")]
    [InlineData("max(rss) < 1MB/min", "col 13: unknown size unit 'MB/min'; expected B, KB, kB, MB, GB, TB, KiB, MiB, GiB or TiB")]
    public void Wrong_resource_values_say_what_was_expected(string expression, string message)
    {
        Assert.False(Threshold.TryParse(expression, out _, out var error));
        Assert.Equal(message, error!.ToString());
    }

    [Fact]
    public void Measured_sizes_and_slopes_are_shown_in_the_targets_unit_family()
    {
        var slope = Threshold.Parse("rss_slope < 1MB/min").Evaluate(new DictionaryMetricSource("rss_slope", 50_000));
        Assert.False(slope.Passed);
        Assert.Equal("3MB/min", slope.ActualText);

        var rss = Threshold.Parse("max(rss) < 512MB").Evaluate(new DictionaryMetricSource("max(rss)", 300_500_000));
        Assert.True(rss.Passed);
        Assert.Equal("300.5MB", rss.ActualText);

        var drift = Threshold.Parse("drift(throughput) > -5%").Evaluate(new DictionaryMetricSource("drift(throughput)", -0.08));
        Assert.False(drift.Passed);
        Assert.Equal("-8%", drift.ActualText);
    }
}
