using Gauntlet.Merging;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Merge;

/// <summary>The target's own metrics in a split run: segment 0 reads them, the merge keeps its series on the merged clock and judges thresholds on them.</summary>
public sealed class TargetMetricsMergeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-merge-target-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_merge_keeps_segment_0s_series_on_the_merged_clock_and_judges_thresholds_on_them()
    {
        // Segment 1 starts first, so segment 0's seconds move 0.5 s later on the merged clock.
        var zero = SegmentSamples.Segment(0, 2, [new Op(0.5, 10)], startOffsetSeconds: 0.5);
        var series = new TargetMetricSeries
        {
            Name = "queue_depth",
            Source = "http://127.0.0.1:9100/metrics",
            Points = [new TargetMetricPoint(0, 4), new TargetMetricPoint(1, 9), new TargetMetricPoint(2.25, 0)],
        };
        zero = zero with { Scenarios = [zero.Scenarios[0] with { TargetMetrics = [series] }] };
        await SegmentSamples.WriteAsync(Path.Combine(_folder, "s0"), zero);
        await SegmentSamples.WriteAsync(Path.Combine(_folder, "s1"), SegmentSamples.Segment(1, 2, [new Op(0.5, 10)]));
        var scenario = new Scenario(SegmentSamples.ScenarioName, _ => ValueTask.FromResult(Outcome.Ok))
        {
            Monitor = new MonitorOptions { Prometheus = [new PrometheusMonitorOptions { Url = "http://127.0.0.1:9100/metrics", Metrics = ["queue_depth"] }] },
            Thresholds = ["last(queue_depth) == 0", "max(queue_depth) < 5"],
        };

        var result = await SegmentMerge.MergeAsync([_folder], new MergeOptions { Scenarios = [scenario] });

        var merged = Assert.Single(result.Scenarios);
        var kept = Assert.Single(merged.TargetMetrics!);
        Assert.Equal([0.5, 1.5, 2.75], kept.Points.Select(p => p.Second));
        Assert.True(merged.Thresholds[0].Passed);
        Assert.False(merged.Thresholds[1].Passed);
        Assert.Equal("9", merged.Thresholds[1].ActualText);
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
    }
}
