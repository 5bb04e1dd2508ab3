using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Segments;

public sealed class SegmentTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Shares_of_random_totals_add_up_and_deal_every_item_to_exactly_one_segment(int seed)
    {
        var random = new Random(seed);
        var total = random.Next(0, 5_000);
        var n = random.Next(1, 9);
        var segments = Enumerable.Range(0, n).Select(i => new Segment(i, n)).ToList();

        Assert.Equal(total, segments.Sum(s => s.ShareOf(total)));
        Assert.Equal((long)total * 7, segments.Sum(s => s.ShareOf((long)total * 7)));
        // Every global item, once, from the segment that owns it; a remainder goes one each to the first segments.
        var dealt = segments.SelectMany(s => Enumerable.Range(0, s.ShareOf(total)).Select(local => (Global: s.GlobalOf(local), s))).ToList();
        Assert.Equal(Enumerable.Range(0, total), dealt.Select(d => d.Global).Order());
        Assert.All(dealt, d => Assert.True(d.s.Owns(d.Global) && d.s.GlobalOf(d.s.LocalOf(d.Global)) == d.Global));
        Assert.True(segments.Max(s => s.ShareOf(total)) - segments.Min(s => s.ShareOf(total)) <= 1);
        Assert.All(segments.Skip(1), s => Assert.True(s.ShareOf(total) <= segments[s.Index - 1].ShareOf(total)));
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("7/8", 7, 8)]
    public void A_segment_is_read_as_i_of_n(string text, int index, int count)
    {
        Assert.True(Segment.TryParse(text, out var segment, out var error), error);
        Assert.Equal((index, count), (segment.Index, segment.Count));
        Assert.Equal(text, segment.ToString());
    }

    [Theory]
    [InlineData("3/2", "numbered 0 to 1")]
    [InlineData("2/2", "numbered 0 to 1")]
    [InlineData("0/0", "splits into 0 segments")]
    [InlineData("-1/2", "is not a segment")]
    [InlineData("1", "is not a segment")]
    [InlineData("1/2/3", "is not a segment")]
    [InlineData("a/b", "is not a segment")]
    [InlineData("", "is not a segment")]
    public void A_segment_outside_0_to_n_minus_1_is_refused_with_the_form(string text, string says)
    {
        Assert.False(Segment.TryParse(text, out _, out var error));
        Assert.Contains(says, error);
        Assert.Contains(Segment.Syntax, error);
    }

    [Fact]
    public void A_scenario_with_fewer_workers_than_segments_is_invalid()
    {
        var scenario = Scenario.CreateSync("few", _ => { }).WithLoad(Gauntlet.Scenarios.LoadProfiles.LoadProfile.Closed(2)).WithDuration(TimeSpan.FromSeconds(1)).WithSegment(0, 3);
        var problem = Assert.Single(scenario.Validate());
        Assert.Equal("segment", problem.Path);
        Assert.Contains("use at most 2 segments", problem.Message);
    }
}
