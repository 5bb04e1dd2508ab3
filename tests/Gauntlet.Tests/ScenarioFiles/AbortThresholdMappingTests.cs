using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>Thresholds written as a mapping with <c>abort:</c>, and windowed thresholds, in a scenario file.</summary>
public sealed class AbortThresholdMappingTests
{
    private const string Head = "name: s\noperation: { synthetic: { latency: 1ms } }\nduration: 2s\n";

    [Fact]
    public void A_mapping_threshold_with_abort_after_is_watched_from_that_delay()
    {
        var scenario = LoadsOne(Head + """
            thresholds:
              - "error_rate < 1%"
              - { threshold: "p99 < 50ms over 10s", abort: { after: 30s } }
              - { threshold: "max < 1s", abort: true }
              - { threshold: "count(ok) > 0", abort: false }
              - threshold: "throughput >= 10/s over 5s"
                abort: {}
            """);

        Assert.Equal(["error_rate < 1%", "p99 < 50ms over 10s", "max < 1s", "count(ok) > 0", "throughput >= 10/s over 5s"], scenario.Thresholds.Select(t => t.Expression));
        Assert.Equal([null, TimeSpan.FromSeconds(30), TimeSpan.Zero, null, TimeSpan.Zero], scenario.Thresholds.Select(t => t.AbortAfter));
        Assert.Equal(TimeSpan.FromSeconds(10), scenario.Thresholds[1].Window);
    }

    [Fact]
    public void Over_without_a_duration_is_reported_at_its_line_and_column()
    {
        var errors = Errors(Head + "thresholds: [\"p99 < 50ms over\"]\n");

        // Line 4; the expression starts at column 15 (after the quote), 'over' 11 characters in.
        Assert.Equal(["4:26: thresholds[0]: expected a window length after 'over', such as 'over 10s' or 'over 1m'"], errors);
    }

    [Fact]
    public void A_bad_window_inside_a_mapping_is_reported_at_its_column()
    {
        var errors = Errors(Head + "thresholds:\n  - { threshold: \"p99 < 50ms over 1500ms\", abort: true }\n");

        // Line 5: the expression starts at column 19; its length at 16 characters in.
        var error = Assert.Single(errors);
        Assert.StartsWith("5:35: thresholds[0].threshold: a window slides one second at a time", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Abort_on_a_mapping_without_a_threshold_is_an_error_at_the_mapping()
    {
        var errors = Errors(Head + "thresholds:\n  - { abort: { after: 30s } }\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("5:5: thresholds[0]: names no threshold; write the expression under 'threshold:'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_of_the_mapping_and_of_abort_are_errors_with_a_did_you_mean()
    {
        var errors = Errors(Head + "thresholds:\n  - { threshold: \"p99 < 50ms\", abrot: true }\n  - { threshold: \"p99 < 50ms\", abort: { afer: 30s } }\n");

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("5:32: thresholds[0]: unknown key 'abrot'", errors[0], StringComparison.Ordinal);
        Assert.Contains("abort", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("6:41: thresholds[1].abort: unknown key 'afer'", errors[1], StringComparison.Ordinal);
        Assert.Contains("after", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Abort_must_be_true_false_or_a_mapping_and_after_a_duration()
    {
        var errors = Errors(Head + "thresholds:\n  - { threshold: \"p99 < 50ms\", abort: soon }\n  - { threshold: \"p99 < 50ms\", abort: { after: -3s } }\n");

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("5:39: thresholds[0].abort: expected true, false or a mapping such as { after: 30s }", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("6:48: thresholds[1].abort.after: a duration cannot be negative", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_abort_on_a_metric_known_only_at_the_end_is_an_error_at_the_threshold()
    {
        var errors = Errors(Head + "thresholds:\n  - { threshold: \"cv(throughput) < 5%\", abort: true }\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("5:19: thresholds[0].threshold: 'cv(throughput)' cannot abort a run", error, StringComparison.Ordinal);
    }
}
