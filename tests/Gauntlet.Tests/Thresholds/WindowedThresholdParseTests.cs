using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

public sealed class WindowedThresholdParseTests
{
    [Theory]
    [InlineData("p99 < 50ms over 10s", "p99", 10, "p99 < 50ms over 10s")]
    [InlineData("p99.9<50ms over 1m", "p99.9", 60, "p99.9 < 50ms over 1m")]
    [InlineData("error_rate < 1% over 30s", "error_rate", 30, "error_rate < 1% over 30s")]
    [InlineData("throughput >= 1000/s over 5s", "throughput", 5, "throughput >= 1000/s over 5s")]
    [InlineData("count(ok) >= 10 over 2s", "count(ok)", 2, "count(ok) >= 10 over 2s")]
    [InlineData("max < 2s   over   3s  ", "max", 3, "max < 2s over 3s")]
    public void Over_gives_the_threshold_a_window_of_whole_seconds(string expression, string metric, int seconds, string canonical)
    {
        var threshold = Threshold.Parse(expression);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(TimeSpan.FromSeconds(seconds), threshold.Window);
        Assert.Equal(canonical, threshold.ToString());
        Assert.Null(threshold.AbortAfter);
    }

    [Fact]
    public void A_threshold_without_over_has_no_window()
    {
        Assert.Null(Threshold.Parse("p99 < 50ms").Window);
    }

    [Theory]
    // 'over' at column 12, with nothing after it.
    [InlineData("p99 < 50ms over", 12, "expected a window length after 'over'")]
    [InlineData("p99 < 50ms over   ", 12, "expected a window length after 'over'")]
    // The length, at column 17.
    [InlineData("p99 < 50ms over soon", 17, "expected a window length after 'over', such as 10s or 1m")]
    [InlineData("p99 < 50ms over 1500ms", 17, "whole number of seconds, at least 1s; found '1500ms'")]
    [InlineData("p99 < 50ms over 500ms", 17, "whole number of seconds")]
    [InlineData("p99 < 50ms over 0s", 17, "whole number of seconds")]
    // A metric the per-second data does not hold: at 'over'.
    [InlineData("count(failed) == 0 over 10s", 20, "'count(failed)' cannot be judged over a window: the per-second data counts errors together")]
    [InlineData("p99(valid) < 50ms over 10s", 19, "'p99(valid)' cannot be judged over a window: the per-second data is the whole scenario's, not each operation kind's")]
    [InlineData("max(rss) < 1GB over 10s", 16, "'max(rss)' cannot be judged over a window: it is a figure of the whole run")]
    [InlineData("cv(throughput) < 5% over 10s", 21, "'cv(throughput)' cannot be judged over a window: it is already a figure of the per-second throughput")]
    [InlineData("last(queue_depth) == 0 over 10s", 24, "a series of the target's metrics is read at its own interval")]
    public void A_bad_window_is_an_error_at_its_column(string expression, int column, string message)
    {
        Assert.False(Threshold.TryParse(expression, out _, out var error));

        Assert.Equal(column, error!.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stray_text_after_a_window_is_not_a_window_length()
    {
        Assert.False(Threshold.TryParse("p99 < 50ms over 10s please", out _, out var error));

        Assert.Equal(17, error!.Column);
    }

    [Fact]
    public void AbortOnFail_watches_the_threshold_from_its_delay()
    {
        var threshold = Threshold.Parse("p99 < 50ms over 10s");

        Assert.Equal(TimeSpan.Zero, threshold.AbortOnFail().AbortAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), threshold.AbortOnFail(TimeSpan.FromSeconds(30)).AbortAfter);
        Assert.Equal(threshold.Window, threshold.AbortOnFail().Window);
    }

    [Fact]
    public void A_whole_run_source_does_not_judge_a_windowed_threshold()
    {
        var result = ThresholdEvaluator.Evaluate(Threshold.Parse("p99 < 50ms over 10s"), new DictionaryMetricSource("p99", 1000));

        Assert.False(result.Passed);
        Assert.Null(result.Actual);
        Assert.StartsWith(Threshold.CannotBeJudgedNote, result.Note, StringComparison.Ordinal);
    }
}
