using Gauntlet.Results;

namespace Gauntlet.Tests.Results;

/// <summary>
/// Which seconds are generator-limited, judged from figures built by hand, and the warning that names them: the same
/// data a run, a merge and every report read.
/// </summary>
public sealed class GeneratorSaturationTests
{
    private static TimelinePoint Point(double second, double? cpu = null, double? lag = null, double p99 = 5_000) => new()
    {
        Second = second, Started = 100, Completed = 100, Ok = 100, P50Micros = 2_000, P99Micros = p99,
        InFlight = 4, Workers = 4, GauntletCpu = cpu, LagP99Micros = lag, ThreadPoolQueue = 0,
    };

    [Theory]
    [InlineData(0.89, null, 5_000.0, "")]
    [InlineData(0.9, null, 5_000.0, "Cpu")]
    [InlineData(1.02, null, 5_000.0, "Cpu")]
    [InlineData(null, 1_000.0, 5_000.0, "")] // at the tolerance, not beyond it
    [InlineData(null, 1_001.0, 5_000.0, "SchedulingLag")]
    [InlineData(null, 1_500.0, 20_000.0, "")] // beyond 1 ms but under 10% of the second's p99: small next to what was measured
    [InlineData(null, 2_500.0, 20_000.0, "SchedulingLag")]
    [InlineData(0.95, 14_000.0, 30_000.0, "Cpu,SchedulingLag")]
    [InlineData(null, null, 5_000.0, "")] // nothing measured: nothing judged
    public void A_second_is_limited_by_cpu_at_90_percent_of_the_cores_and_by_lag_beyond_the_lag_warnings_tolerance(double? cpu, double? lag, double p99, string expected)
    {
        var limits = GeneratorSaturation.Judge(Point(1, cpu, lag, p99));

        Assert.Equal(expected, limits is null ? "" : string.Join(",", ((string[])["Cpu", "SchedulingLag"]).Where(r => r == "Cpu" ? limits.Cpu : limits.SchedulingLag)));
    }

    [Fact]
    public void Only_the_seconds_of_the_issuing_window_are_marked()
    {
        // Issuing stopped at 3 s; the drain's second (3, 3.4] had Gauntlet just as busy, but no rate was being issued to limit.
        var timeline = new[] { Point(1, cpu: 0.5), Point(2, cpu: 0.97), Point(3, cpu: 0.3, lag: 4_000), Point(3.4, cpu: 0.99) };

        var marked = GeneratorSaturation.Mark(timeline, issuingSeconds: 3);

        Assert.Equal([null, new GeneratorLimits { Cpu = true }, new GeneratorLimits { SchedulingLag = true }, null], marked.Select(p => p.LimitedBy));
        // Marking changes nothing else.
        Assert.Equal(timeline, marked.Select(p => p with { LimitedBy = null }));
    }

    [Fact]
    public void The_warning_names_the_limited_seconds_and_the_figure_of_each()
    {
        // The example of docs/concepts.md ("Generator-limited seconds"), word for word.
        var timeline = GeneratorSaturation.Mark(
        [
            Point(1, cpu: 0.96), Point(2, cpu: 0.98), Point(3, cpu: 0.95), Point(4, cpu: 0.4), Point(5, cpu: 0.4),
            Point(6, cpu: 0.4), Point(7, cpu: 0.5, lag: 14_000, p99: 30_000), Point(8, cpu: 0.4), Point(9, cpu: 0.4), Point(10, cpu: 0.4),
        ], issuingSeconds: 10);

        var warning = GeneratorSaturation.Warning(timeline, cores: 2, inProcessTarget: false);

        Assert.NotNull(warning);
        Assert.Equal(WarningCode.GeneratorLimited, warning.Code);
        Assert.Equal(
            "the load generator, not the target, limited the rate in 4 of 10 seconds (seconds 1-3 and 7): Gauntlet used 1.92 of 2 cores (second 1), "
            + "Gauntlet used 1.96 of 2 cores (second 2), Gauntlet used 1.9 of 2 cores (second 3), p99 scheduling lag 14ms (second 7); "
            + "in those seconds the target got the load Gauntlet could issue, not the load asked for: give Gauntlet more cores or a lower rate, "
            + "or split the run into segments (--segment)", warning.Message);
        Assert.Equal(Squash(DocsExample()), warning.Message);
        Assert.Equal("1-3 and 7", GeneratorSaturation.Seconds(timeline));
    }

    [Fact]
    public void Past_six_seconds_the_warning_gives_the_worst_figure_of_each_reason()
    {
        var timeline = GeneratorSaturation.Mark(
            [.. Enumerable.Range(1, 20).Select(s => s <= 8 ? Point(s, cpu: 0.9 + s / 100.0) : s == 15 ? Point(s, cpu: 0.2, lag: 40_000, p99: 60_000) : Point(s, cpu: 0.2))],
            issuingSeconds: 20);

        var warning = GeneratorSaturation.Warning(timeline, cores: null, inProcessTarget: true)!;

        Assert.Contains("limited the rate in 9 of 20 seconds (seconds 1-8 and 15): at worst Gauntlet used 98% of its cores (second 8), "
            + "p99 scheduling lag 40ms (second 15); every second's figures are in the timeline; a target that runs inside Gauntlet counts in its CPU;",
            warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_in_the_first_second_only_is_the_run_starting()
    {
        var timeline = GeneratorSaturation.Mark([Point(1, lag: 8_000, p99: 20_000), Point(2, lag: 100), Point(3, lag: 120)], issuingSeconds: 3);

        var warning = GeneratorSaturation.Warning(timeline, cores: 2, inProcessTarget: true)!;

        Assert.Equal("the load generator limited the rate in the first second only, while the run was starting (code compiling, threads starting): "
            + "p99 scheduling lag 8ms (second 1); the later seconds were not limited, so judge the target from them", warning.Message);
    }

    [Fact]
    public void No_limited_second_no_warning()
    {
        var timeline = GeneratorSaturation.Mark([Point(1, cpu: 0.5, lag: 200), Point(2, cpu: 0.89, lag: 900)], issuingSeconds: 2);

        Assert.All(timeline, p => Assert.Null(p.LimitedBy));
        Assert.Null(GeneratorSaturation.Warning(timeline, cores: 2, inProcessTarget: false));
    }

    [Fact]
    public void The_per_second_figures_and_marks_are_written_to_result_json_and_read_back()
    {
        // SampleResults.Full()'s second point was generator-limited by both reasons; its first was not.
        var json = ResultFile.Serialize(SampleResults.Full());
        var timeline = ResultFile.Deserialize(json).Scenarios[0].Timeline;

        Assert.Contains("\"gauntletCpu\": 0.9712,", json, StringComparison.Ordinal);
        Assert.Contains("\"lagP99\": 14000,", json, StringComparison.Ordinal);
        Assert.Contains("\"threadPoolQueue\": 37,", json, StringComparison.Ordinal);
        Assert.Contains("\"limitedBy\": {\n            \"cpu\": true,\n            \"schedulingLag\": true\n          }", json, StringComparison.Ordinal);
        Assert.Equal((0.9712, 14_000.0, 37L), (timeline[1].GauntletCpu, timeline[1].LagP99Micros, timeline[1].ThreadPoolQueue));
        Assert.Equal(new GeneratorLimits { Cpu = true, SchedulingLag = true }, timeline[1].LimitedBy);
        // A second that was not limited, or a result written before these figures existed, leaves them out.
        Assert.Null(timeline[0].LimitedBy);
        Assert.Equal(1, json.Split("\"limitedBy\"").Length - 1);
        Assert.DoesNotContain("gauntletCpu", ResultFile.Serialize(SampleResults.Minimal()), StringComparison.Ordinal);
    }

    /// <summary>The warning quoted in docs/concepts.md, its lines joined.</summary>
    private static string DocsExample()
    {
        var doc = File.ReadAllText(ResultFileTests.FindRepoFile("docs", "concepts.md"));
        var start = doc.IndexOf("```\nthe load generator, not the target", StringComparison.Ordinal) + 4;
        Assert.True(start > 4, "docs/concepts.md no longer quotes the generator-limited warning");
        return doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    private static string Squash(string text) => text.ReplaceLineEndings(" ");
}
