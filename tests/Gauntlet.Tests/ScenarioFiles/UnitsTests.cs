using Gauntlet.ScenarioFiles;

namespace Gauntlet.Tests.ScenarioFiles;

public sealed class UnitsTests
{
    [Theory]
    [InlineData("250ms", 250_000)]
    [InlineData("10s", 10_000_000)]
    [InlineData("2m", 120_000_000)]
    [InlineData("1h", 3_600_000_000)]
    [InlineData("1m30s", 90_000_000)]
    [InlineData("500us", 500)]
    [InlineData("500µs", 500)]
    [InlineData("500μs", 500)]
    [InlineData("1.5s", 1_500_000)]
    [InlineData("0.25ms", 250)]
    [InlineData("1h2m3s4ms5us", 3_723_004_005)]
    [InlineData("1m 30s", 90_000_000)]
    [InlineData("10 s", 10_000_000)]
    [InlineData("1_000ms", 1_000_000)]
    [InlineData(" 5s ", 5_000_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void Duration_reads_every_unit_and_compound(string text, long micros)
    {
        Assert.True(Units.TryParseDuration(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromMicroseconds(micros), value);
    }

    [Theory]
    [InlineData("fast", "expected a duration such as 250ms, 10s or 1m30s, found 'fast'")]
    [InlineData("", "expected a duration such as 250ms, 10s or 1m30s, found nothing")]
    [InlineData("250", "'250' has no unit; write 250ms or 250s")]
    [InlineData("-1s", "a duration cannot be negative, found '-1s'")]
    [InlineData("10sec", "unknown duration unit 'sec' in '10sec'; did you mean 's'?")]
    [InlineData("2 minutes", "unknown duration unit 'minutes' in '2 minutes'; did you mean 'm'?")]
    [InlineData("5MS", "unknown duration unit 'MS' in '5MS'; did you mean 'ms'?")]
    [InlineData("5d", "unknown duration unit 'd' in '5d'; use h, m, s, ms or us")]
    [InlineData("30s1m", "'30s1m' repeats a unit or puts a smaller one first; write the largest unit first, as in 1m30s")]
    [InlineData("1s1s", "'1s1s' repeats a unit or puts a smaller one first; write the largest unit first, as in 1m30s")]
    [InlineData("1m30", "'1m30' ends in a number without a unit; write 1m30s or 1m30ms")]
    [InlineData("1.s", "expected a duration such as 250ms, 10s or 1m30s, found '1.s'")]
    [InlineData("1__0s", "'_' separates groups of digits and must sit between two digits, as in 10_000; found '1__0s'")]
    [InlineData("99999999999h", "the duration '99999999999h' is too large")]
    public void Duration_rejects_with_what_was_expected(string text, string message)
    {
        Assert.False(Units.TryParseDuration(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("1000/s", 1000)]
    [InlineData("60/m", 1)]
    [InlineData("3600/h", 1)]
    [InlineData("0.5/s", 0.5)]
    [InlineData("1000", 1000)]
    [InlineData("0/s", 0)]
    [InlineData("10_000/s", 10_000)]
    [InlineData("100 /s", 100)]
    public void Rate_reads_per_second_minute_and_hour(string text, double perSecond)
    {
        Assert.True(Units.TryParseRate(text, out var value, out var error), error);
        Assert.Equal(perSecond, value, 9);
    }

    [Theory]
    [InlineData("fast", "expected a rate such as 1000/s or 60/m, found 'fast'")]
    [InlineData("10/sec", "unknown rate unit '/sec' in '10/sec'; did you mean '/s'?")]
    [InlineData("10 per minute", "unknown rate unit 'per minute' in '10 per minute'; did you mean '/m'?")]
    [InlineData("10/d", "unknown rate unit '/d' in '10/d'; use /s, /m or /h")]
    [InlineData("-5/s", "a rate cannot be negative, found '-5/s'")]
    public void Rate_rejects_with_what_was_expected(string text, string message)
    {
        Assert.False(Units.TryParseRate(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("64B", 64)]
    [InlineData("1KB", 1_000)]
    [InlineData("1kB", 1_000)]
    [InlineData("1MB", 1_000_000)]
    [InlineData("2GB", 2_000_000_000)]
    [InlineData("1TB", 1_000_000_000_000)]
    [InlineData("1KiB", 1_024)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("1GiB", 1_073_741_824)]
    [InlineData("1TiB", 1_099_511_627_776)]
    [InlineData("1.5KiB", 1_536)]
    [InlineData("10 MB", 10_000_000)]
    [InlineData("512", 512)]
    [InlineData("0B", 0)]
    public void Size_reads_decimal_and_binary_units(string text, long bytes)
    {
        Assert.True(Units.TryParseSize(text, out var value, out var error), error);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("big", "expected a size such as 64B, 1KB or 1MiB, found 'big'")]
    [InlineData("1kb", "unknown size unit 'kb' in '1kb'; did you mean 'KB'?")]
    [InlineData("1mib", "unknown size unit 'mib' in '1mib'; did you mean 'MiB'?")]
    [InlineData("1M", "unknown size unit 'M' in '1M'; did you mean 'MB'?")]
    [InlineData("1XB", "unknown size unit 'XB' in '1XB'; use B, KB, MB, GB, KiB, MiB or GiB")]
    [InlineData("1.5B", "'1.5B' is not a whole number of bytes")]
    [InlineData("-1KB", "a size cannot be negative, found '-1KB'")]
    [InlineData("99999999999TiB", "the size '99999999999TiB' is too large")]
    public void Size_rejects_with_what_was_expected(string text, string message)
    {
        Assert.False(Units.TryParseSize(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("0.1%", 0.001)]
    [InlineData("99.9%", 0.999)]
    [InlineData("100%", 1)]
    [InlineData("0.001", 0.001)]
    [InlineData("1", 1)]
    [InlineData("0", 0)]
    public void Ratio_reads_percentages_and_fractions(string text, double fraction)
    {
        Assert.True(Units.TryParseRatio(text, out var value, out var error), error);
        Assert.Equal(fraction, value, 12);
    }

    [Theory]
    [InlineData("5", "a ratio without % is a fraction from 0 to 1, found '5'; did you mean '5%'?")]
    [InlineData("150%", "a percentage is at most 100%, found '150%'")]
    [InlineData("-1%", "a ratio cannot be negative, found '-1%'")]
    [InlineData("half", "expected a ratio such as 0.1% or 0.001, found 'half'")]
    [InlineData("5 percent", "expected a ratio such as 0.1% or 0.001, found '5 percent'")]
    public void Ratio_rejects_with_what_was_expected(string text, string message)
    {
        Assert.False(Units.TryParseRatio(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("32", 32)]
    [InlineData("10_000", 10_000)]
    [InlineData("-5", -5)]
    [InlineData("0", 0)]
    public void Integer_reads_whole_numbers(string text, long expected)
    {
        Assert.True(Units.TryParseInteger(text, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.5", "expected a whole number such as 32, found '1.5'")]
    [InlineData("many", "expected a whole number such as 32, found 'many'")]
    [InlineData("1,000", "expected a whole number such as 32, found '1,000'; group digits with '_', as in 10_000")]
    [InlineData("1e3", "expected a whole number such as 32, found '1e3'")]
    [InlineData("99999999999999999999", "the number '99999999999999999999' is too large")]
    public void Integer_rejects_with_what_was_expected(string text, string message)
    {
        Assert.False(Units.TryParseInteger(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Null_text_is_reported_as_nothing_not_thrown()
    {
        Assert.False(Units.TryParseDuration(null, out _, out var error));
        Assert.Equal("expected a duration such as 250ms, 10s or 1m30s, found nothing", error);
    }
}
