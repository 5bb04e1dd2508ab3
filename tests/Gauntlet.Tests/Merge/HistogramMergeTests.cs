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

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_sum_read_from_the_encodings_counts_every_value_where_the_librarys_decoder_does(int seed)
    {
        var random = new Random(seed);
        var parts = Enumerable.Range(0, random.Next(1, 9)).Select(_ => Histograms.Create()).ToList();
        foreach (var part in parts)
            for (var i = random.Next(0, 3_000); i > 0; i--) part.RecordValue(Histograms.Clamp((long)Math.Pow(10, random.NextDouble() * 9.6)));
        var library = Histograms.Create();
        foreach (var part in parts) library.Add(Histograms.Decode(Histograms.Encode(part)));

        var sum = new HistogramSum();
        foreach (var part in parts) sum.Add(Histograms.Encode(part));
        var read = sum.ToHistogram();

        Assert.Equal(library.TotalCount, read.TotalCount);
        Assert.Equal(library.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)),
            read.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }

    [Fact]
    public void An_encoding_of_another_shape_is_added_through_the_librarys_decoder()
    {
        var other = new HdrHistogram.LongHistogram(1, 10_000, 2);
        other.RecordValueWithCount(500, 7);
        var standard = Histograms.Create();
        standard.RecordValueWithCount(500, 3);

        var sum = new HistogramSum();
        sum.Add(Histograms.Encode(other));
        sum.Add(Histograms.Encode(standard));
        var read = sum.ToHistogram();

        Assert.Equal(10, read.TotalCount);
        Assert.Equal(2, sum.Added);
    }

    [Fact]
    public void Every_index_of_the_standard_shape_maps_to_a_value_that_records_at_that_index()
    {
        var histogram = Histograms.Create();
        var previous = -1L;
        for (var index = 0; HistogramSum.ValueAt(index) <= Histograms.HighestMicros; index++)
        {
            var value = HistogramSum.ValueAt(index);
            Assert.True(value > previous || index == 0, $"index {index}: {value} after {previous}");
            Assert.Equal(value, histogram.LowestEquivalentValue(value));
            previous = value;
        }
    }
}
