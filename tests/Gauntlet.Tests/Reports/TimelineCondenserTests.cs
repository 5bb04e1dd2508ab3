using Gauntlet.Reports;
using Gauntlet.Results;

namespace Gauntlet.Tests.Reports;

public sealed class TimelineCondenserTests
{
    [Fact]
    public void Thirty_seconds_stay_one_row_each()
    {
        var rows = TimelineCondenser.Condense(ReportSamples.Timeline(30, Steady));

        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.Equal(1, r.Points));
        Assert.Equal(30, rows[^1].To);
    }

    [Fact]
    public void Thirty_one_seconds_are_bucketed()
    {
        var rows = TimelineCondenser.Condense(ReportSamples.Timeline(31, Steady));

        Assert.InRange(rows.Count, 2, TimelineCondenser.TargetBuckets);
        Assert.Equal(31, rows.Sum(r => r.Points));
    }

    [Fact]
    public void A_generator_limited_second_is_noted_and_keeps_its_own_row_in_a_long_run()
    {
        var points = ReportSamples.Timeline(200, second => second == 77
            ? Steady(second) with { GauntletCpu = 0.96, LimitedBy = new GeneratorLimits { Cpu = true } }
            : Steady(second));

        var rows = TimelineCondenser.Condense(points);

        var row = Assert.Single(rows, r => r.Note.Contains(TimelineCondenser.GeneratorLimitedNote, StringComparison.Ordinal));
        Assert.Equal((1, 77.0, "generator-limited"), (row.Points, row.To, row.Note));
        Assert.Equal(200, rows.Sum(r => r.Points));
    }

    [Fact]
    public void Errors_in_every_second_still_fit_the_row_budget_and_lose_nothing()
    {
        var points = ReportSamples.Timeline(200, second => Steady(second) with { Ok = 99, Errors = 1 + second % 3, P99Micros = 2_000 + second * 10 });

        var rows = TimelineCondenser.Condense(points);

        Assert.InRange(rows.Count, 10, TimelineCondenser.MaxRows);
        Assert.Equal(points.Sum(p => p.Errors), rows.Sum(r => r.Errors));
        Assert.Equal(points.Sum(p => p.Started), rows.Sum(r => r.Started));
        Assert.Equal(200, rows.Sum(r => r.Points));
        // The first second with errors keeps its own row, and buckets say what they hide.
        Assert.Contains(rows, r => r.Points == 1 && r.To == 1 && r.Note.Contains("errors"));
        Assert.Contains(rows, r => r.Points > 1 && r.Note.EndsWith("s with errors", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stall_keeps_its_own_row_with_no_latency()
    {
        var points = ReportSamples.Timeline(120, second => second == 77
            ? new TimelinePoint { Second = second, InFlight = 16, Workers = 16 }
            : Steady(second));

        var rows = TimelineCondenser.Condense(points);

        var stall = Assert.Single(rows, r => r.To == 77 && r.Points == 1);
        Assert.Equal("stall", stall.Note);
        Assert.True(double.IsNaN(stall.P99));
        Assert.Equal(0, stall.RatePerSecond);
        Assert.Equal(16, stall.MaxInFlight);
    }

    [Fact]
    public void Bucket_latency_is_the_worst_second_and_rate_is_over_the_bucket_span()
    {
        var points = ReportSamples.Timeline(40, second => Steady(second) with { P50Micros = 1_000 + second, P99Micros = 2_000 + second });

        var first = TimelineCondenser.Condense(points)[0];

        Assert.Equal(1, first.From);
        Assert.Equal(first.Points, first.To);
        Assert.Equal(1_000 + first.To, first.P50);
        Assert.Equal(2_000 + first.To, first.P99);
        Assert.Equal(100, first.RatePerSecond, precision: 6);
    }

    private static TimelinePoint Steady(int second) => new()
    {
        Second = second, Started = 100, Completed = 100, Ok = 100, P50Micros = 1_000, P99Micros = 2_000, InFlight = 8, Workers = 8,
    };
}
