using Gauntlet.Merging;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Merge;

/// <summary>A merged run judges windowed thresholds on the merged seconds, from the segments' per-second histograms.</summary>
public sealed class WindowedMergeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-windowed-merge-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Folder(string name) => Path.Combine(_folder, name);

    [Fact]
    public async Task A_spike_in_one_segment_fails_the_merged_windows_that_hold_it_while_the_whole_run_passes()
    {
        // Each segment completes 100 operations of 10 ms a second for 20 s; segment 1 adds 30 of 200 ms in its second 10.
        // Whole run: 30 of 4,030 (0.7%) are slow, so p99 is 10 ms. A merged 5 s window holding second 10: 30 of 1,030 (2.9%).
        static IEnumerable<Op> Steady() => Enumerable.Range(0, 20).SelectMany(s => Enumerable.Repeat(new Op(s + 0.5, 10_000), 100));
        await SegmentSamples.WriteAsync(Folder("a"), SegmentSamples.Segment(0, 2, [.. Steady()], durationSeconds: 20));
        await SegmentSamples.WriteAsync(Folder("b"), SegmentSamples.Segment(1, 2, [.. Steady(), .. Enumerable.Repeat(new Op(9.5, 200_000), 30)], durationSeconds: 20));
        var scenario = new Scenario(SegmentSamples.ScenarioName, _ => ValueTask.FromResult(Outcome.Ok)) { Thresholds = ["p99 < 50ms", "p99 < 50ms over 5s", "p99 < 50ms over 30s"] };

        var merged = Assert.Single((await SegmentMerge.MergeAsync([Folder("a"), Folder("b")], new MergeOptions { Scenarios = [scenario] })).Scenarios);

        var (whole, windowed, tooLong) = (merged.Thresholds[0], merged.Thresholds[1], merged.Thresholds[2]);
        Assert.True(whole.Passed, whole.ActualText);
        Assert.False(windowed.Passed);
        // The five windows starting at 5 .. 9 s hold merged second 10, (9, 10]; the worst is the first of them.
        Assert.Equal(new WorstWindow(5, 10, Judged: 16, Failed: 5), windowed.Window);
        Assert.True(windowed.Actual > 150_000, windowed.ActualText);
        Assert.Null(tooLong.Actual);
        Assert.Contains("shorter than the 30s window", tooLong.Note, StringComparison.Ordinal);
        Assert.Equal(Verdict.Failed, merged.Verdict);
        Assert.Contains(merged.Reasons, r => r.Code == ReasonCode.ThresholdMissed && r.Message.Contains("worst window 5s-10s", StringComparison.Ordinal));
        Assert.Contains(merged.Reasons, r => r.Code == ReasonCode.ThresholdNotJudged);
    }
}
