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

    /// <summary>An open-model segment with 500 arrivals scheduled, <paramref name="dropped"/> of them dropped: passed, as a segment leaves judging to the merge.</summary>
    private static RunResult OpenSegment(int index, long dropped, ValidityConfig? validity = null)
    {
        var segment = SegmentSamples.Segment(index, 2, [new(0.5, 1000), new(1.5, 2000), new(2.5, 1500)]);
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
                },
            ],
        };
    }

    [Fact]
    public async Task Segments_that_each_dropped_under_the_tolerance_alone_but_over_it_together_merge_invalid()
    {
        // 0 and 2 of 500 each: the merge judges 2 of 1000 (0.2%), over the 0.1% tolerance, as one machine would.
        await SegmentSamples.WriteAsync(Folder("s0"), OpenSegment(0, dropped: 0));
        await SegmentSamples.WriteAsync(Folder("s1"), OpenSegment(1, dropped: 2));

        var result = await SegmentMerge.MergeAsync([Folder("s0"), Folder("s1")]);

        var merged = Assert.Single(result.Scenarios);
        Assert.Equal(Verdict.Invalid, merged.Verdict);
        var reason = Assert.Single(merged.Reasons);
        Assert.Equal(ReasonCode.GeneratorLimited, reason.Code);
        Assert.Contains("2 of 1000 scheduled arrivals (0.2%) were dropped", reason.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, ExitCodes.Of(result));
    }

    [Fact]
    public async Task The_tolerances_the_segments_ran_with_judge_the_merge()
    {
        var accept = new ValidityConfig { Dropped = 0.001, LateP99Micros = 10_000, Accept = true };
        await SegmentSamples.WriteAsync(Folder("s0"), OpenSegment(0, dropped: 50, accept));
        await SegmentSamples.WriteAsync(Folder("s1"), OpenSegment(1, dropped: 50, accept));

        var result = await SegmentMerge.MergeAsync([Folder("s0"), Folder("s1")]);

        var merged = Assert.Single(result.Scenarios);
        Assert.Equal(Verdict.Passed, merged.Verdict);
        Assert.Contains(merged.Warnings, w => w.Code == WarningCode.InvalidAccepted && w.Message.Contains("100 of 1000", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Passed, ExitCodes.Of(result));
    }
}
