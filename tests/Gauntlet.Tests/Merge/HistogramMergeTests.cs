using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Tests.Merge;

/// <summary>Encoded histograms add without loss: merged parts give exactly the figures of one histogram of every value.</summary>
public sealed class HistogramMergeTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Merging_the_parts_encoded_histograms_gives_the_percentiles_of_one_histogram_of_all_values(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, random.Next(1, 5_000)).Select(_ => (long)Math.Pow(10, random.NextDouble() * 9.5)).ToList();
        var parts = random.Next(1, 9);
        var whole = Histograms.Create();
        var split = Enumerable.Range(0, parts).Select(_ => Histograms.Create()).ToList();
        foreach (var value in values)
        {
            whole.RecordValue(Histograms.Clamp(value));
            split[random.Next(parts)].RecordValue(Histograms.Clamp(value));
        }

        var merged = Histograms.Sum(split.Select(h => Histograms.Summarize(h)))!;

        var expected = Histograms.Summarize(whole, includeEncoding: false);
        var actual = Histograms.Summarize(merged, includeEncoding: false);
        Assert.Equal(values.Count, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_summary_with_values_but_no_histogram_cannot_be_added()
    {
        var withValues = new LatencySummary { Count = 3, P50Micros = 10 };
        var empty = new LatencySummary();

        Assert.Null(Histograms.Sum([withValues]));
        Assert.Equal(0, Histograms.Sum([empty])!.TotalCount);
    }
}
