using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Engine;

/// <summary>
/// The figures the collector records each second about Gauntlet itself (its CPU, the open model's scheduling lag, the
/// thread-pool queue), and that the marks and the warning the result carries follow from them. Which seconds a busy
/// machine marks is not asserted: only that the marks are exactly what the recorded figures say.
/// </summary>
public sealed class GeneratorFiguresTests
{
    [Fact]
    public async Task An_open_run_records_each_seconds_scheduling_lag_and_thread_pool_queue_and_no_cpu_on_a_simulated_clock()
    {
        // On a simulated clock a second passes in milliseconds of real time, so Gauntlet's CPU in it means nothing.
        var clock = new SimulatedClock();
        var scenario = Scenario.CreateSync("open", _ => { }).WithLoad(LoadProfile.Open(200, maxInFlight: 200, duration: S(2)));

        var result = await RunSimulated(clock, scenario);

        Assert.True(result.Timeline.Count >= 2);
        Assert.All(result.Timeline, p => Assert.Null(p.GauntletCpu));
        Assert.All(result.Timeline, p => Assert.True(p.ThreadPoolQueue >= 0, $"thread-pool queue {p.ThreadPoolQueue} at {p.Second}s"));
        // Each second's lag p99 is read from that second's lag histogram: none is above the whole run's largest lag, and
        // the whole run's p99 is at most the largest per-second p99 (1% of the union cannot exceed 1% of every part).
        var lags = result.Timeline.Where(p => p.LagP99Micros is not null).Select(p => p.LagP99Micros!.Value).ToList();
        Assert.NotEmpty(lags);
        Assert.All(lags, lag => Assert.InRange(lag, 0, result.SchedulingLag!.MaxMicros));
        Assert.True(result.SchedulingLag!.P99Micros <= lags.Max(), $"run p99 lag {result.SchedulingLag.P99Micros}us, per-second {string.Join(", ", lags)}");
        AssertMarksFollowTheFigures(result);
    }

    [Fact]
    public async Task A_closed_run_on_the_real_clock_records_gauntlets_cpu_each_second_and_no_lag()
    {
        var scenario = Scenario.CreateSync("closed", _ => Thread.SpinWait(50)).WithLoad(LoadProfile.Closed(1)).WithDuration(S(1.5));

        var result = await RunOne(scenario);

        // A whole real second passed before the first point: its CPU is read (a share of the cores, whatever the machine's
        // load). Only the last sliver, shorter than 0.2 s, may go without.
        Assert.True(result.Timeline[0].GauntletCpu >= 0, $"Gauntlet's CPU in the first second: {result.Timeline[0].GauntletCpu}");
        Assert.All(Enumerable.Range(0, result.Timeline.Count - 1), i => Assert.NotNull(result.Timeline[i].GauntletCpu));
        Assert.All(result.Timeline, p => Assert.Null(p.LagP99Micros));
        Assert.All(result.Timeline, p => Assert.NotNull(p.ThreadPoolQueue));
        AssertMarksFollowTheFigures(result);
    }

    /// <summary>Each second of the issuing window is marked exactly as its figures say, and the warning is there exactly when one is.</summary>
    private static void AssertMarksFollowTheFigures(ScenarioResult result)
    {
        var previous = 0.0;
        foreach (var point in result.Timeline)
        {
            var expected = previous < result.IssuingSeconds ? GeneratorSaturation.Judge(point) : null;
            Assert.Equal(expected, point.LimitedBy);
            previous = point.Second;
        }
        var limited = result.Timeline.Any(GeneratorSaturation.IsLimited);
        var warnings = result.Warnings.Where(w => w.Code == WarningCode.GeneratorLimited).ToList();
        Assert.Equal(limited ? 1 : 0, warnings.Count);
        if (limited) Assert.Contains(GeneratorSaturation.Seconds(result.Timeline), warnings[0].Message, StringComparison.Ordinal);
    }
}
