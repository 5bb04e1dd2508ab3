using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Monitoring.Prometheus;

public sealed class SeriesSelectorTests
{
    [Theory]
    [InlineData("queue_depth", "queue_depth")]
    [InlineData("queue_depth{}", "queue_depth")]
    [InlineData("q{b = \"2\", a=\"1\"}", "q{a=\"1\",b=\"2\"}")]
    [InlineData("q{a=\"x\\\"y\\\\z\\n\"}", "q{a=\"x\\\"y\\\\z\\n\"}")]
    [InlineData("job:rate:5m", "job:rate:5m")]
    public void Selectors_read_to_one_canonical_text(string text, string canonical)
    {
        Assert.True(SeriesSelector.TryParse(text, out var selector, out var error), error);
        Assert.Equal(canonical, selector.Text);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("9lives", "col 1: expected a metric name")]
    [InlineData("q{a!=\"1\"}", "only equality matchers")]
    [InlineData("q{a=~\"1\"}", "only equality matchers")]
    [InlineData("q{a=\"1\",a=\"2\"}", "matched twice")]
    [InlineData("q{a=\"1\"", "expected ',' or '}'")]
    [InlineData("q{a=\"1\"} x", "unexpected 'x'")]
    [InlineData("q-1", "expected '{'")]
    public void A_wrong_selector_says_where(string text, string message)
    {
        Assert.False(SeriesSelector.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_selector_takes_samples_with_its_labels_whatever_their_others()
    {
        Assert.True(SeriesSelector.TryParse("q{queue=\"orders\"}", out var selector, out _));
        Assert.True(selector.Selects("q", [new("host", "a"), new("queue", "orders")]));
        Assert.False(selector.Selects("q", [new("queue", "payments")]));
        Assert.False(selector.Selects("q", []));
        Assert.False(selector.Selects("q_total", [new("queue", "orders")]));
    }

    [Theory]
    [InlineData("process_resident_memory_bytes", "bytes")]
    [InlineData("process_cpu_seconds_total", "seconds")]
    [InlineData("http_request_duration_seconds_sum", "seconds")]
    [InlineData("http_request_duration_seconds_count", null)]
    [InlineData("http_request_duration_seconds_bucket", null)]
    [InlineData("cache_hit_ratio", "ratio")]
    [InlineData("queue_depth", null)]
    public void The_unit_follows_prometheus_naming(string name, string? unit) =>
        Assert.Equal(unit, SeriesSelector.UnitOfName(name));
}
