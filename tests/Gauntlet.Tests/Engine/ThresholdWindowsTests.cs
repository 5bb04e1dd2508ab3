using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Engine;

/// <summary>Thresholds with <c>over</c> judged on constructed per-second data: every window, the worst one named.</summary>
public sealed class ThresholdWindowsTests
{
    /// <summary>One second: <paramref name="fast"/> operations of 10 ms and <paramref name="slow"/> of 200 ms, <paramref name="errors"/> of them failed.</summary>
    private sealed record Sec(long Fast, long Slow = 0, long Errors = 0);

    private static SecondSeries Series(IReadOnlyList<Sec> seconds, double? issuing = null)
    {
        var timeline = new List<TimelinePoint>();
        var latency = new List<LatencyCounts?>();
        for (var i = 0; i < seconds.Count; i++)
        {
            var (fast, slow, errors) = seconds[i];
            var histogram = Histograms.Create();
            if (fast > 0) histogram.RecordValueWithCount(10_000, fast);
            if (slow > 0) histogram.RecordValueWithCount(200_000, slow);
            var completed = fast + slow;
            timeline.Add(new TimelinePoint { Second = i + 1, Started = completed, Completed = completed, Ok = completed - errors, Errors = errors });
            latency.Add(LatencyCounts.Of(histogram));
        }
        return new SecondSeries(timeline, latency, issuing ?? seconds.Count);
    }

    /// <summary>60 seconds of 1,000 operations of 10 ms; in second 30 ((29, 30]), 150 more take 200 ms.</summary>
    private static List<Sec> Spike() => [.. Enumerable.Range(1, 60).Select(s => s == 30 ? new Sec(1000, 150) : new Sec(1000))];

    [Fact]
    public void A_spike_in_one_second_fails_every_10s_window_holding_it_while_the_whole_run_p99_passes()
    {
        var series = Series(Spike());

        var windowed = ThresholdWindows.Judge(Threshold.Parse("p99 < 50ms over 10s"), series);
        // One window the length of the run is the whole run: 150 slow of 60,150 is 0.25%, below the 1% a p99 sees.
        var whole = ThresholdWindows.Judge(Threshold.Parse("p99 < 50ms over 60s"), series);

        Assert.False(windowed.Passed);
        // The ten windows that start at 20 .. 29 s hold second 30: 150 of 10,150 operations (1.5%) took 200 ms.
        Assert.Equal(new WorstWindow(20, 30, Judged: 51, Failed: 10), windowed.Window);
        Assert.Equal(200_000, windowed.Actual!.Value, 0.001 * 200_000);
        Assert.StartsWith("worst window 20s-30s; 10 of 51 windows failed", windowed.Note, StringComparison.Ordinal);
        Assert.True(whole.Passed, whole.Note);
        Assert.Equal(10_000, whole.Actual!.Value, 0.001 * 10_000);
        Assert.Equal(new WorstWindow(0, 60, 1, 0), whole.Window);
    }

    [Fact]
    public void Window_percentiles_come_from_the_merged_histograms_not_from_averaging_each_seconds_p99()
    {
        // Each second's p99: 200 ms in second 30, 10 ms elsewhere; their mean over a 10 s window is 29 ms, under 50 ms.
        // The window's own operations say otherwise.
        var result = ThresholdWindows.Judge(Threshold.Parse("p99 < 50ms over 10s"), Series(Spike()));

        Assert.True(result.Actual > 150_000, $"p99 of the worst window: {result.ActualText}");
    }

    [Fact]
    public void A_passing_windowed_threshold_still_names_its_worst_window()
    {
        var result = ThresholdWindows.Judge(Threshold.Parse("p99 < 500ms over 10s"), Series(Spike()));

        Assert.True(result.Passed);
        Assert.Equal(new WorstWindow(20, 30, 51, 0), result.Window);
        Assert.StartsWith("worst window 20s-30s; all 51 windows passed", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Throughput_and_error_rate_are_judged_per_window()
    {
        // 100 per second, but seconds 11 to 13 complete nothing, and seconds 16 and 17 fail half of theirs.
        List<Sec> seconds = [.. Enumerable.Range(1, 20).Select(s => s is >= 11 and <= 13 ? new Sec(0) : s is 16 or 17 ? new Sec(100, 0, 50) : new Sec(100))];

        var throughput = ThresholdWindows.Judge(Threshold.Parse("throughput >= 50/s over 5s"), Series(seconds));
        var errors = ThresholdWindows.Judge(Threshold.Parse("error_rate < 10% over 4s"), Series(seconds));

        // Of the 16 windows of 5 s, the three holding all three empty seconds completed 200 (40/s); the worst is the
        // first of them, (8, 13]. Two empty seconds leave 300 (60/s), which passes.
        Assert.False(throughput.Passed);
        Assert.Equal(40, throughput.Actual);
        Assert.Equal(new WorstWindow(8, 13, Judged: 16, Failed: 3), throughput.Window);
        // The windows holding both failing seconds, (13, 17] first, failed 100 of 400.
        Assert.False(errors.Passed);
        Assert.Equal(0.25, errors.Actual!.Value, 9);
        Assert.Equal(13, errors.Window!.FromSecond);
        Assert.Equal(17, errors.Window.ToSecond);
    }

    [Fact]
    public void A_run_shorter_than_its_window_is_not_judged_and_says_why()
    {
        var result = ThresholdWindows.Judge(Threshold.Parse("p99 < 50ms over 10s"), Series([.. Enumerable.Range(1, 6).Select(_ => new Sec(100))], issuing: 6.4));

        Assert.False(result.Passed);
        Assert.Null(result.Actual);
        Assert.Null(result.Window);
        Assert.Equal(Threshold.CannotBeJudgedNote + "the scenario issued for 6.4s, shorter than the 10s window; no window of that length fits in it", result.Note);
    }

    [Fact]
    public void A_run_not_judged_for_its_window_fails_as_not_judged_not_as_missed()
    {
        var result = ThresholdWindows.Judge(Threshold.Parse("p99 < 50ms over 10s"), Series([new Sec(100)]));
        var draft = new ScenarioResult
        {
            Name = "short",
            Config = new ScenarioConfig { Model = "closed", Load = "1 worker", Bounds = "1s" },
            Counts = new Counts { Started = 100, Ok = 100 },
            AccountingBalanced = true,
            Latency = new LatencySummary(),
            Throughput = new ThroughputStats(),
            Thresholds = [result],
        };

        var judged = ScenarioVerdict.Judge(draft, new ScenarioVerdict.Ending(false, null, 1));

        Assert.Equal(Verdict.Failed, judged.Verdict);
        Assert.Equal(ReasonCode.ThresholdNotJudged, Assert.Single(judged.Reasons).Code);
        Assert.Equal(1, Gauntlet.Pipeline.ExitCodes.For(judged.Reasons[0].Code));
    }

    [Fact]
    public void Windows_lie_inside_the_issuing_period()
    {
        // The drain's seconds after issuing stopped at 8 s: slow, but outside every window.
        var seconds = Enumerable.Range(1, 8).Select(_ => new Sec(100)).Concat([new Sec(0, 100), new Sec(0, 100)]).ToList();

        var result = ThresholdWindows.Judge(Threshold.Parse("max < 50ms over 4s"), Series(seconds, issuing: 8));

        Assert.True(result.Passed, result.Note);
        Assert.Equal(5, result.Window!.Judged);
        Assert.Equal(10_000, result.Actual!.Value, 0.001 * 10_000);
    }
}
