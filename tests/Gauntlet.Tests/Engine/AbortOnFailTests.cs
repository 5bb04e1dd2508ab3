using Gauntlet.Engine;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Engine;

/// <summary>
/// Thresholds watched live (<see cref="Threshold.AbortOnFail"/>) on simulated time: the collector steps 100 ms at a time,
/// so an operation that waits 100 ms on the scenario's clock takes exactly that, and seconds end where the test says.
/// </summary>
public sealed class AbortOnFailTests
{
    /// <summary>
    /// An operation that waits <paramref name="fast"/> on <paramref name="clock"/>, or <paramref name="slow"/> when
    /// <paramref name="isSlow"/> says so of the time since its first call.
    /// </summary>
    private static Scenario Turning(string name, TimeProvider clock, Func<TimeSpan, bool> isSlow, TimeSpan slow, TimeSpan? fast = null)
    {
        DateTimeOffset? first = null;
        var gate = new object();
        return Scenario.Create(name, async _ =>
            {
                var now = clock.GetUtcNow();
                lock (gate) first ??= now;
                await Task.Delay(isSlow(now - first.Value) ? slow : fast ?? TimeSpan.FromMilliseconds(100), clock);
            })
            .WithLoad(LoadProfile.Closed(2))
            .WithDuration(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_failing_threshold_aborts_at_its_first_evaluation_after_the_delay_not_before()
    {
        // Slow from the start: 1.3 s each, completing at 1.3, 2.6, 3.9, ... so 'max < 1s' fails from second 2 on. Watched
        // from 4 s, it aborts at 4 s; the operations in flight then (started at 3.9) finish within the grace period.
        var clock = new SimulatedClock();
        var scenario = Turning("slow-from-the-start", clock, _ => true, TimeSpan.FromMilliseconds(1300))
            .WithThresholds(Threshold.Parse("max < 1s").AbortOnFail(TimeSpan.FromSeconds(4)), "count(ok) > 0");

        var result = await RunHelpers.RunSimulated(clock, scenario);

        var aborted = Assert.IsType<ScenarioAbort>(result.Aborted);
        Assert.Equal(4, aborted.AtSecond, 3);
        Assert.Equal("max < 1s", aborted.Threshold);
        Assert.StartsWith("1.3", aborted.ActualText, StringComparison.Ordinal);
        Assert.Null(aborted.Window);
        Assert.Equal(4, result.IssuingSeconds, 1);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal(ReasonCode.Aborted, result.Reasons[0].Code);
        Assert.Equal($"aborted at 4s: threshold 'max < 1s' failed with {aborted.ActualText} over the run so far, watched from 4s; issuing stopped there and in-flight operations were given the grace period, so the figures are partial", result.Reasons[0].Message);
        // Every started operation ended: the two in flight at the abort finished in the grace period, none was cut off.
        Assert.Equal(0, result.Counts.CutOff);
        Assert.Equal(result.Counts.Started, result.Counts.Ok);
        Assert.Equal(8, result.Counts.Ok);
        Assert.Equal(ExitCodes.Failed, ExitCodes.For(result.Reasons[0].Code));
    }

    [Fact]
    public async Task A_windowed_threshold_aborts_on_its_latest_complete_window()
    {
        // Fast (100 ms) until 4.5 s, then 2 s: the first slow operations complete in (6, 7]. The 2 s window (4, 6] holds
        // only fast ones; (5, 7] only slow ones, so the watch aborts at 7 s and names that window.
        var clock = new SimulatedClock();
        var scenario = Turning("turns-slow", clock, elapsed => elapsed >= TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(2))
            .WithThresholds(Threshold.Parse("p99 < 1s over 2s").AbortOnFail(TimeSpan.FromSeconds(3)));

        var result = await RunHelpers.RunSimulated(clock, scenario);

        var aborted = Assert.IsType<ScenarioAbort>(result.Aborted);
        Assert.Equal(7, aborted.AtSecond, 3);
        Assert.Equal(new WorstWindow(5, 7, 1, 1), aborted.Window);
        Assert.Contains("in the window 5s-7s", result.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(ReasonCode.Aborted, result.Reasons[0].Code);
        // The final judgement of the same threshold sees the same window fail.
        var judged = Assert.Single(result.Thresholds);
        Assert.False(judged.Passed);
        Assert.True(judged.Window!.Failed >= 1);
        Assert.Equal(0, result.Counts.CutOff);
    }

    [Fact]
    public async Task A_threshold_that_fails_only_before_its_delay_does_not_abort()
    {
        // Slow (1.3 s) for the first 3 s, fast afterwards; watched from 8 s, its windows are fast by then. The run goes
        // its whole 10 s, and the final judgement still fails the early windows.
        var clock = new SimulatedClock();
        var scenario = Turning("slow-start", clock, elapsed => elapsed < TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1300))
            .WithDuration(TimeSpan.FromSeconds(10))
            .WithThresholds(Threshold.Parse("max < 1s over 2s").AbortOnFail(TimeSpan.FromSeconds(8)));

        var result = await RunHelpers.RunSimulated(clock, scenario);

        Assert.Null(result.Aborted);
        Assert.DoesNotContain(result.Reasons, r => r.Code == ReasonCode.Aborted);
        Assert.Equal(10, result.IssuingSeconds, 1);
        var judged = Assert.Single(result.Thresholds);
        Assert.False(judged.Passed);
        Assert.Equal(0, judged.Window!.FromSecond);
    }

    [Fact]
    public void An_abort_on_a_metric_known_only_at_the_end_is_a_validation_problem()
    {
        var scenario = Scenario.Create("x", _ => Task.CompletedTask).WithDuration(TimeSpan.FromSeconds(1))
            .WithThresholds(Threshold.Parse("cv(throughput) < 5%").AbortOnFail(), Threshold.Parse("p99 < 1s").AbortOnFail(TimeSpan.FromSeconds(-1)));

        var problems = scenario.Validate();

        Assert.Contains(problems, p => p.Path == "thresholds[0]" && p.Message.Contains("'cv(throughput)' cannot abort a run", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "thresholds[1]" && p.Message.Contains("abort.after cannot be negative", StringComparison.Ordinal));
    }
}
