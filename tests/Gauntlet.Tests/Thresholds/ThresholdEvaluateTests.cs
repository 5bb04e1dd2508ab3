using Gauntlet.Results;
using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

public sealed class ThresholdEvaluateTests
{
    private static ThresholdResult Evaluate(string expression, string key, double actual) =>
        Threshold.Parse(expression).Evaluate(new DictionaryMetricSource(key, actual));

    [Fact]
    public void Latency_below_the_limit_passes_and_is_shown_in_the_targets_unit_family()
    {
        var verdict = Evaluate("p99 < 50ms", "p99", 30_000);

        Assert.True(verdict.Passed);
        Assert.Equal("p99 < 50ms", verdict.Expression);
        Assert.Equal("50ms", verdict.Target);
        Assert.Equal(30_000, verdict.Actual);
        Assert.Equal("30ms", verdict.ActualText);
        Assert.Null(verdict.Note);
    }

    [Fact]
    public void Latency_above_the_limit_fails()
    {
        var verdict = Evaluate("p99 < 50ms", "p99", 63_000);

        Assert.False(verdict.Passed);
        Assert.Equal(63_000, verdict.Actual);
        Assert.Equal("63ms", verdict.ActualText);
        Assert.Null(verdict.Note);
    }

    [Theory]
    [InlineData("p99 <= 50ms", true)]
    [InlineData("p99 < 50ms", false)]
    [InlineData("p99 >= 50ms", true)]
    [InlineData("p99 > 50ms", false)]
    [InlineData("p99 == 50ms", true)]
    [InlineData("p99 != 50ms", false)]
    public void Actual_exactly_at_the_limit_is_judged_by_the_comparison(string expression, bool passed)
    {
        Assert.Equal(passed, Evaluate(expression, "p99", 50_000).Passed);
    }

    [Theory]
    [InlineData("error_rate <= 0.1%", true)]
    [InlineData("error_rate < 0.1%", false)]
    [InlineData("error_rate == 0.1%", true)]
    public void Ratio_within_relative_tolerance_counts_as_equal(string expression, bool passed)
    {
        // 1 error in 1000 computed the long way round is a hair off 0.001.
        var actual = 0.001 * (1 + 1e-12);

        Assert.Equal(passed, Evaluate(expression, "error_rate", actual).Passed);
    }

    [Fact]
    public void Ratio_beyond_the_tolerance_fails()
    {
        var verdict = Evaluate("error_rate <= 0.1%", "error_rate", 0.0010001);

        Assert.False(verdict.Passed);
        Assert.Equal("0.1%", verdict.Target);
    }

    [Fact]
    public void Success_rate_computed_from_counts_meets_its_percentage()
    {
        var verdict = Evaluate("success_rate >= 99.9%", "success_rate", 999.0 / 1000.0);

        Assert.True(verdict.Passed);
        Assert.Equal("99.9%", verdict.ActualText);
    }

    [Theory]
    [InlineData(980, false, "980/s")]
    [InlineData(1000, true, "1000/s")]
    [InlineData(1250.5, true, "1250.5/s")]
    public void Throughput_is_compared_per_second(double actual, bool passed, string actualText)
    {
        var verdict = Evaluate("throughput >= 1000/s", "throughput", actual);

        Assert.Equal(passed, verdict.Passed);
        Assert.Equal(actualText, verdict.ActualText);
        Assert.Equal("1000/s", verdict.Target);
    }

    [Fact]
    public void Per_minute_target_is_compared_in_per_second()
    {
        Assert.True(Evaluate("throughput >= 600/m", "throughput", 10).Passed);
        Assert.False(Evaluate("throughput >= 600/m", "throughput", 9.99).Passed);
    }

    [Theory]
    [InlineData(0, true, "0")]
    [InlineData(1, false, "1")]
    public void Count_equality_is_exact(double actual, bool passed, string actualText)
    {
        var verdict = Evaluate("count(timed_out) == 0", "count(timed_out)", actual);

        Assert.Equal(passed, verdict.Passed);
        Assert.Equal(actualText, verdict.ActualText);
    }

    [Fact]
    public void Count_has_no_tolerance()
    {
        Assert.False(Evaluate("count(ok) == 1000000000000", "count(ok)", 1_000_000_000_001).Passed);
    }

    [Fact]
    public void Missing_metric_fails_with_a_note_instead_of_passing()
    {
        var verdict = Threshold.Parse("count(timed_out) == 0").Evaluate(new DictionaryMetricSource("p99", 1));

        Assert.False(verdict.Passed);
        Assert.Null(verdict.Actual);
        Assert.Equal("n/a", verdict.ActualText);
        Assert.Equal("metric not measured", verdict.Note);
        Assert.Equal("0", verdict.Target);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "infinite")]
    public void Value_that_is_not_a_finite_number_fails_with_a_note(double actual, string noteMentions)
    {
        // ">=" would pass for +infinity if the comparison were trusted.
        var verdict = Evaluate("throughput >= 1000/s", "throughput", actual);

        Assert.False(verdict.Passed);
        Assert.Null(verdict.Actual);
        Assert.NotNull(verdict.Note);
        Assert.Contains(noteMentions, verdict.Note);
    }

    [Theory]
    [InlineData("dropped == 0", "count(dropped)")]
    [InlineData("p99.90 < 1s", "p99.9")]
    [InlineData("p100 < 1s", "max")]
    [InlineData("cv( throughput ) < 5%", "cv(throughput)")]
    public void Source_is_asked_for_the_canonical_key(string expression, string key)
    {
        var source = new DictionaryMetricSource(new Dictionary<string, double>());

        Threshold.Parse(expression).Evaluate(source);

        Assert.Equal([key], source.Requested);
    }
}
