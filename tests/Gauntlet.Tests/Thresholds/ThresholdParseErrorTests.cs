using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

public sealed class ThresholdParseErrorTests
{
    private static ThresholdParseError ErrorOf(string expression)
    {
        Assert.False(Threshold.TryParse(expression, out var threshold, out var error));
        Assert.Null(threshold);
        Assert.NotNull(error);
        return error;
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_expression_is_rejected_at_column_1(string expression)
    {
        var error = ErrorOf(expression);

        Assert.Equal(1, error.Column);
        Assert.StartsWith("empty threshold expression", error.Message);
    }

    [Fact]
    public void Null_expression_is_an_error_not_a_crash()
    {
        var error = ErrorOf(null!);

        Assert.Equal(1, error.Column);
        Assert.StartsWith("empty threshold expression", error.Message);
    }

    [Theory]
    [InlineData("p99x < 50ms", "p99x", "p99")]
    [InlineData("eror_rate < 1%", "eror_rate", "error_rate")]
    [InlineData("thruput > 5/s", "thruput", "throughput")]
    [InlineData("cv(throughputt) < 5%", "cv(throughputt)", "cv(throughput)")]
    [InlineData("droped == 0", "droped", "dropped")]
    [InlineData("P99 < 5ms", "P99", "p99")]
    [InlineData("P75 < 5ms", "P75", "p75")]
    public void Unknown_metric_suggests_the_closest_name(string expression, string written, string suggestion)
    {
        var error = ErrorOf(expression);

        Assert.Equal(1, error.Column);
        Assert.Equal($"unknown metric '{written}'; did you mean '{suggestion}'?", error.Message);
    }

    [Fact]
    public void Unknown_metric_far_from_every_name_lists_the_known_metrics()
    {
        var error = ErrorOf("latency < 5ms");

        Assert.Equal(1, error.Column);
        Assert.StartsWith("unknown metric 'latency'; known metrics are pNN", error.Message);
        Assert.Contains("count(timed_out)", error.Message);
        Assert.DoesNotContain("did you mean", error.Message);
    }

    [Theory]
    [InlineData("p101 < 5ms", "p101")]
    [InlineData("p0 < 5ms", "p0")]
    [InlineData("p0.0 < 5ms", "p0.0")]
    [InlineData("p100.5 < 5ms", "p100.5")]
    public void Percentile_outside_0_to_100_is_rejected(string expression, string written)
    {
        var error = ErrorOf(expression);

        Assert.Equal(1, error.Column);
        Assert.StartsWith($"percentile '{written}' is out of range", error.Message);
    }

    [Fact]
    public void Missing_metric_says_a_metric_was_expected()
    {
        var error = ErrorOf("< 50ms");

        Assert.Equal(1, error.Column);
        Assert.Equal("expected a metric such as p99, error_rate or throughput but found '<'", error.Message);
    }

    [Fact]
    public void Unclosed_argument_says_a_parenthesis_was_expected()
    {
        var error = ErrorOf("count(ok == 1");

        Assert.Equal(10, error.Column);
        Assert.Equal("expected ')' to close 'count(' but found '=='", error.Message);
    }

    [Theory]
    [InlineData("p99 x 50ms", 5, "expected a comparison (<, <=, >, >=, ==, !=) but found 'x'")]
    [InlineData("p99", 4, "expected a comparison (<, <=, >, >=, ==, !=) but found the end of the expression")]
    [InlineData("p99 << 50ms", 5, "expected a comparison (<, <=, >, >=, ==, !=) but found '<<'")]
    [InlineData("p99 = 50ms", 5, "expected a comparison (<, <=, >, >=, ==, !=) but found '='; did you mean '=='?")]
    [InlineData("p99 => 50ms", 5, "but found '=>'; did you mean '>='?")]
    [InlineData("p99 =< 50ms", 5, "but found '=<'; did you mean '<='?")]
    [InlineData("p99 <> 50ms", 5, "but found '<>'; did you mean '!='?")]
    [InlineData("p99 ≤ 50ms", 5, "but found '≤'; did you mean '<='?")]
    public void Bad_comparison_says_which_comparisons_exist(string expression, int column, string message)
    {
        var error = ErrorOf(expression);

        Assert.Equal(column, error.Column);
        Assert.EndsWith(message, error.Message);
    }

    [Theory]
    [InlineData("p99 < 50", 7, "expected a duration such as 50ms but found '50'")]
    [InlineData("p99 < 50 foo", 7, "expected a duration such as 50ms but found '50'")]
    [InlineData("p99 <", 6, "expected a duration such as 50ms but found the end of the expression")]
    [InlineData("p99 < -5ms", 7, "'p99' is never negative, so it cannot be compared with a negative value; write a duration such as 50ms")]
    [InlineData("p99 < .5s", 7, "expected a duration such as 50ms but found '.5s'")]
    [InlineData("p99 < 50xs", 9, "unknown duration unit 'xs'; expected h, m, s, ms, us, µs or μs")]
    [InlineData("p99 < 5.ms", 9, "expected a digit after '5.' but found 'ms'")]
    public void Duration_metric_needs_a_number_with_a_duration_unit(string expression, int column, string message)
    {
        var error = ErrorOf(expression);

        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("error_rate < 5", 14, "a ratio without % is a fraction from 0 to 1 but found '5'; did you mean '5%'?")]
    [InlineData("error_rate < 5ms", 15, "unknown ratio unit 'ms'; expected % or a bare fraction such as 0.001")]
    [InlineData("error_rate < x", 14, "expected a ratio such as 0.1% or 0.001 but found 'x'")]
    public void Ratio_metric_needs_a_percentage_or_a_fraction(string expression, int column, string message)
    {
        var error = ErrorOf(expression);

        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("throughput > 5/d", 15, "unknown rate unit '/d'; expected /s, /m, /min, /h or a bare number per second")]
    [InlineData("throughput > 5ms", 15, "unknown rate unit 'ms'; expected /s, /m, /min, /h or a bare number per second")]
    public void Rate_metric_accepts_only_rate_units(string expression, int column, string message)
    {
        var error = ErrorOf(expression);

        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("count(ok) == 1.5", 14, "expected a whole number such as 0 but found '1.5'")]
    [InlineData("dropped == 0ms", 13, "a count takes no unit but found 'ms'; write a whole number such as 0")]
    [InlineData("dropped == 5%", 13, "a count takes no unit but found '%'; write a whole number such as 0")]
    public void Count_metric_needs_a_whole_number_without_unit(string expression, int column, string message)
    {
        var error = ErrorOf(expression);

        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("p99 < 50ms foo", 12, "unexpected 'foo' after the value")]
    [InlineData("dropped == 0 foo", 14, "unexpected 'foo' after the value")]
    [InlineData("p99 < 50ms and p95 < 20ms  ", 12, "unexpected 'and p95 < 20ms' after the value")]
    [InlineData("throughput > 10,000/s", 16, "unexpected ',000/s' after the value; group digits with '_', as in 10_000")]
    public void Text_after_the_value_is_rejected_where_it_starts(string expression, int column, string message)
    {
        var error = ErrorOf(expression);

        Assert.Equal(column, error.Column);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("throughput > 10__000", 16)]
    [InlineData("throughput > 10_", 16)]
    [InlineData("throughput > 10_/s", 16)]
    public void Underscore_must_sit_between_digits(string expression, int column)
    {
        var error = ErrorOf(expression);

        Assert.Equal(column, error.Column);
        Assert.StartsWith("'_' separates groups of digits", error.Message);
    }

    [Theory]
    [InlineData("p99 < 99999999999999999999999999999999h")]
    [InlineData("p99 < 99999999999999999999h")]
    public void Value_too_large_is_an_error_not_an_overflow(string expression)
    {
        var error = ErrorOf(expression);

        Assert.Equal(7, error.Column);
        Assert.EndsWith("is too large", error.Message);
    }

    [Fact]
    public void Parse_throws_the_error_with_column_and_message()
    {
        var exception = Assert.Throws<ThresholdParseException>(() => Threshold.Parse("p99 < 50"));

        Assert.Equal(7, exception.Error.Column);
        Assert.Equal("col 7: expected a duration such as 50ms but found '50'", exception.Message);
        Assert.Equal(exception.Message, exception.Error.ToString());
    }

    [Fact]
    public void TryParse_never_throws_and_always_points_inside_the_expression()
    {
        // Random strings over the characters the grammar cares about; a fixed seed keeps failures reproducible.
        const string alphabet = "p9.0_5(c)ount<>=!%/smuµh ,-xe";
        var random = new Random(20260101);
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 16)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            var expression = new string(chars);

            var parsed = Threshold.TryParse(expression, out var threshold, out var error);

            if (parsed)
            {
                Assert.NotNull(threshold);
                Assert.Null(error);
            }
            else
            {
                Assert.Null(threshold);
                Assert.NotNull(error);
                Assert.InRange(error.Column, 1, expression.Length + 1);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
            }
        }
    }
}
