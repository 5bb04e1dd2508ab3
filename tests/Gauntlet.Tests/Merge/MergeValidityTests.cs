using Gauntlet.Merging;
using Gauntlet.Pipeline;
using Gauntlet.Results;

namespace Gauntlet.Tests.Merge;

/// <summary>A merged run is judged valid or INVALID by the same rules as one machine's, on the whole run's figures.</summary>
public sealed class MergeValidityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-merge-validity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Folder(string name) => Path.Combine(_folder, name);

    /// <summary>
    /// An open-model segment of 3 s, 100 operations a second, 500 arrivals scheduled, <paramref name="dropped"/> of them
    /// dropped in its second 2: passed, as a segment leaves judging to the merge.
    /// </summary>
    private static RunResult OpenSegment(int index, long dropped, ValidityConfig? validity = null)
    {
        var segment = SegmentSamples.Segment(index, 2, [.. Enumerable.Range(0, 300).Select(i => new Op(i / 100.0 + 0.005, 1000))]);
        var s = segment.Scenarios[0];
        return segment with
        {
            Scenarios =
            [
                s with
                {
                    Config = s.Config with { Model = "open", Validity = validity },
                    Counts = s.Counts with { Dropped = dropped },
                    Arrivals = new ArrivalStats { Scheduled = 500, RequestedRate = 500 / 3.0, AchievedRate = 500 / 3.0 },
                    Timeline = [.. s.Timeline.Select(p => p.Second == 2 ? p with { Dropped = dropped } : p)],
                },
            ],
        };
    }

    [Fact]
    public async Task Merged_segments_are_judged_on_every_segments_drops_against_every_segments_arrivals()
    {
        // Seconds 2 and 3 (the first is start-up): 400 operations started and 10 arrivals dropped, 2.4%, over 1%.
        await SegmentSamples.WriteAsync(Folder("s0"), OpenSegment(0, dropped: 0));
        await SegmentSamples.WriteAsync(Folder("s1"), OpenSegment(1, dropped: 10));

        var result = await SegmentMerge.MergeAsync([Folder("s0"), Folder("s1")]);

        var merged = Assert.Single(result.Scenarios);
        Assert.Equal(Verdict.Invalid, merged.Verdict);
        var reason = Assert.Single(merged.Reasons);
        Assert.Equal(ReasonCode.GeneratorLimited, reason.Code);
        Assert.StartsWith("the load asked for was not delivered: 10 of 410 arrivals (2.4", reason.Message, StringComparison.Ordinal);
        Assert.Contains("were dropped in second 2 (10 of 1000 scheduled in all)", reason.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, ExitCodes.Of(result));
    }

    [Fact]
    public async Task The_tolerances_the_segments_ran_with_judge_the_merge()
    {
        var accept = new ValidityConfig { Dropped = 0.01, LateP99Micros = 10_000, Accept = true };
        await SegmentSamples.WriteAsync(Folder("s0"), OpenSegment(0, dropped: 50, accept));
        await SegmentSamples.WriteAsync(Folder("s1"), OpenSegment(1, dropped: 50, accept));

        var result = await SegmentMerge.MergeAsync([Folder("s0"), Folder("s1")]);

        var merged = Assert.Single(result.Scenarios);
        Assert.Equal(Verdict.Passed, merged.Verdict);
        Assert.Contains(merged.Warnings, w => w.Code == WarningCode.InvalidAccepted && w.Message.Contains("100 of 500 arrivals", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Passed, ExitCodes.Of(result));
    }
}
