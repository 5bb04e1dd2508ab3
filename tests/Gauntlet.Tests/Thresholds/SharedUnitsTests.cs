using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

/// <summary>Thresholds read their units from <see cref="Units"/>, the table YAML and flags read: a value is spelled the same everywhere.</summary>
public sealed class SharedUnitsTests
{
    [Theory]
    [InlineData("throughput >= 3600/h", 1.0, "3600/h")]
    [InlineData("throughput >= 60/min", 1.0, "60/m")]
    [InlineData("throughput >= 120/m", 2.0, "120/m")]
    [InlineData("item_rate > 7200 /h", 2.0, "7200/h")]
    public void Rate_thresholds_accept_every_rate_unit_of_the_scenario_language(string expression, double perSecond, string target)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(perSecond, threshold.Value, 9);
        Assert.Equal(target, threshold.Target);
        var rate = expression[(expression.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? eq + 1 : expression.IndexOf('>', StringComparison.Ordinal) + 1)..];
        Assert.True(Units.TryParseRate(rate.Replace(" ", "", StringComparison.Ordinal), out var yaml, out _));
        Assert.Equal(yaml, threshold.Value, 9);
    }

    [Theory]
    [InlineData("max(rss) < 1TB", "1TB")]
    [InlineData("max(rss) < 2TiB", "2TiB")]
    [InlineData("max(rss) < 512kB", "512kB")]
    [InlineData("max(rss) < 64MiB", "64MiB")]
    public void Size_thresholds_accept_every_size_unit_a_scenario_file_accepts(string expression, string size)
    {
        var threshold = Threshold.Parse(expression);

        Assert.True(Units.TryParseSize(size, out var bytes, out _));
        Assert.Equal(bytes, threshold.Value);
    }

    [Fact]
    public void Growth_rates_combine_the_shared_size_and_rate_units()
    {
        Assert.Equal(1_000_000_000_000 / 3600.0, Threshold.Parse("rss_slope < 1TB/h").Value, 6);
        Assert.Equal("1TiB/min", Threshold.Parse("rss_slope < 1TiB/m").Target);
        Assert.Equal("1TiB/min", Threshold.Parse("rss_slope < 1TiB/min").Target);
    }

    [Theory]
    [InlineData("p99 < 1m30s")]
    [InlineData("p99 < 250ms")]
    [InlineData("p99 < 2h")]
    public void Duration_thresholds_agree_with_the_duration_reader(string expression)
    {
        var value = expression[(expression.IndexOf('<', StringComparison.Ordinal) + 1)..].Trim();
        Assert.True(Units.TryParseDuration(value, out var duration, out _));
        if (!Threshold.TryParse(expression, out var threshold, out _))
        {
            // A threshold takes one number and one unit; 1m30s is for bounds, not for thresholds.
            Assert.Contains("m30s", value, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(duration.TotalMicroseconds, threshold!.Value);
    }
}
