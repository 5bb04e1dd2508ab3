using Gauntlet.Monitoring.Prometheus;

namespace Gauntlet.Tests.Monitoring.Prometheus;

public sealed class ExpositionParserTests
{
    /// <summary>Every feature of format 0.0.4 the parser reads: comments, escapes, special values, timestamps, a histogram and a summary.</summary>
    internal const string Valid = """
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # Escaping in label values:
        msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

        # Minimalistic line:
        metric_without_timestamp_and_labels 12.47

        # A weird metric from before the epoch:
        something_weird{problem="division by zero"} +Inf -3982045
        nan_metric NaN
        negative_metric{a="b",} -Inf

        # A histogram, which has a pretty complex representation in the text format:
        # HELP http_request_duration_seconds A histogram of the request duration.
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_bucket{le="0.05"} 24054
        http_request_duration_seconds_bucket{le="0.1"} 33444
        http_request_duration_seconds_bucket{le="+Inf"} 144320
        http_request_duration_seconds_sum 53423
        http_request_duration_seconds_count 144320

        # Finally a summary, which has a complex representation, too:
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.5"} 4773
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693
        job:queue_depth:sum 7
        """;

    [Fact]
    public void Reads_every_sample_of_the_format_with_labels_escapes_and_special_values()
    {
        var samples = ExpositionParser.Parse(Valid);

        Assert.Equal(16, samples.Count);
        var first = samples[0];
        Assert.Equal("http_requests_total", first.Name);
        Assert.Equal([new("method", "post"), new("code", "200")], first.Labels);
        Assert.Equal(1027, first.Value);
        var escaped = samples.Single(s => s.Name == "msdos_file_access_time_seconds");
        Assert.Equal("C:\\DIR\\FILE.TXT", escaped.Labels[0].Value);
        Assert.Equal("Cannot find file:\n\"FILE.TXT\"", escaped.Labels[1].Value);
        Assert.Equal(1.458255915e9, escaped.Value);
        Assert.Equal(double.PositiveInfinity, samples.Single(s => s.Name == "something_weird").Value);
        Assert.True(double.IsNaN(samples.Single(s => s.Name == "nan_metric").Value));
        Assert.Equal(double.NegativeInfinity, samples.Single(s => s.Name == "negative_metric").Value);
        Assert.Equal(3, samples.Count(s => s.Name == "http_request_duration_seconds_bucket"));
        Assert.Equal(17560473, samples.Single(s => s.Name == "rpc_duration_seconds_sum").Value);
        Assert.Equal(7, samples.Single(s => s.Name == "job:queue_depth:sum").Value);
    }

    [Fact]
    public void Windows_line_breaks_and_a_missing_last_line_break_are_read()
    {
        var samples = ExpositionParser.Parse("# TYPE a gauge\r\na 1\r\nb{x=\"y\"} 2");
        Assert.Equal([1.0, 2.0], samples.Select(s => s.Value));
    }

    [Theory]
    [InlineData("ok 1\nbad line here\n", 2, "expected a number")]
    [InlineData("a 1\n\n{x=\"y\"} 3\n", 3, "expected a metric name")]
    [InlineData("a{x=\"y} 1\n", 1, "not closed")]
    [InlineData("a{x=\"\\t\"} 1\n", 1, "unknown escape")]
    [InlineData("a{x=y} 1\n", 1, "expected a double-quoted value")]
    [InlineData("a{x=\"1\",x=\"2\"} 1\n", 1, "appears twice")]
    [InlineData("a{1x=\"1\"} 1\n", 1, "expected a label name")]
    [InlineData("a\n", 1, "expected a space and a value after 'a': 'a'")]
    [InlineData("a   \n", 1, "expected a value after 'a'")]
    [InlineData("a 1 12.5\n", 1, "timestamp")]
    [InlineData("a 1 12 extra\n", 1, "after the timestamp")]
    [InlineData("a 0x1p3\n", 1, "expected a number")]
    [InlineData("a Infinity\n", 1, "expected a number")]
    [InlineData("a 1,5\n", 1, "expected a number")]
    [InlineData("# TYPE a gauge\n# TYPE a counter\na 1\n", 2, "second TYPE")]
    [InlineData("# TYPE a gauges\n", 1, "expected a type")]
    [InlineData("# HELP\n", 1, "expected a metric name")]
    [InlineData("a{x=\"1\"}1\n", 1, "expected a space and a value")]
    public void A_malformed_line_is_named_by_its_number(string text, int line, string message)
    {
        var error = Assert.Throws<ExpositionFormatException>(() => ExpositionParser.Parse(text));
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_comments_are_ignored_like_prometheus_does()
    {
        var samples = ExpositionParser.Parse("#no space\n# EOF\n# anything at all {\na 1\n");
        Assert.Single(samples);
    }

    /// <summary>
    /// Fuzz: random mutations of a valid exposition (characters replaced, inserted, deleted, lines swapped and cut)
    /// either parse or fail with the parser's own error, naming a line that exists; nothing else is ever thrown.
    /// </summary>
    [Fact]
    public void Mutated_expositions_parse_or_fail_with_a_line_number_and_never_throw_anything_else()
    {
        var random = new Random(20261205);
        const string alphabet = "{}=\",\\ \n\t#+-.eE0123456789azAZ_:\r\u00e9\0";
        var failures = 0;
        for (var round = 0; round < 5000; round++)
        {
            var text = new System.Text.StringBuilder(Valid);
            var edits = 1 + random.Next(6);
            for (var e = 0; e < edits && text.Length > 0; e++)
            {
                var at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 2: text.Remove(at, Math.Min(1 + random.Next(8), text.Length - at)); break;
                    default: text.Length = at; break;
                }
            }
            var mutated = text.ToString();
            try
            {
                ExpositionParser.Parse(mutated);
            }
            catch (ExpositionFormatException error)
            {
                failures++;
                var lines = mutated.Split('\n').Length;
                Assert.InRange(error.Line, 1, lines);
                Assert.StartsWith($"line {error.Line}: ", error.Message, StringComparison.Ordinal);
            }
        }
        // The mutations are not all harmless: the parser rejected a good share of them.
        Assert.InRange(failures, 1000, 5000);
    }
}
