using Gauntlet.Metrics;

namespace Gauntlet.Tests.Metrics;

public sealed class BucketCountsTests
{
    [Fact]
    public void Layout_matches_HdrHistogram_exactly()
    {
        var reference = Histograms.Create();
        var counts = new BucketCounts();
        var random = new Random(42);
        var values = new List<long> { 0, 1, 2, 1023, 1024, 2047, 2048, 2049, 4095, 4096, 1_000_000, Histograms.HighestMicros };
        for (var i = 0; i < 20_000; i++) values.Add((long)Math.Exp(random.NextDouble() * Math.Log(Histograms.HighestMicros)));
        foreach (var v in values)
        {
            reference.RecordValue(v);
            counts.Record(v);
        }
        var collected = Histograms.Create();
        counts.CollectInto(collected);

        Assert.Equal(reference.TotalCount, collected.TotalCount);
        foreach (var p in new[] { 0.0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100 })
            Assert.Equal(reference.GetValueAtPercentile(p), collected.GetValueAtPercentile(p));
        foreach (var v in values)
            Assert.Equal(reference.GetCountAtValue(v), collected.GetCountAtValue(v));
    }

    [Fact]
    public void Collecting_twice_adds_only_what_was_recorded_in_between()
    {
        var counts = new BucketCounts();
        counts.Record(100);
        counts.Record(100);
        var first = Histograms.Create();
        counts.CollectInto(first);
        counts.Record(5000);
        var second = Histograms.Create();
        counts.CollectInto(second);

        Assert.Equal(2, first.TotalCount);
        Assert.Equal(1, second.TotalCount);
        Assert.Equal(1, second.GetCountAtValue(5000));
        Assert.Equal(0, second.GetCountAtValue(100));
    }

    [Fact]
    public async Task Concurrent_recording_loses_nothing()
    {
        var counts = new BucketCounts();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++) counts.RecordConcurrent(i % 3000);
        })));
        var collected = Histograms.Create();
        counts.CollectInto(collected);
        Assert.Equal(400_000, collected.TotalCount);
    }
}
