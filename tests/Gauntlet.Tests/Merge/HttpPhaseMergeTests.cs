using Gauntlet.Merging;
using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Tests.Merge;

/// <summary>Segments' HTTP phases and stream figures merged exactly: histograms added, counts summed.</summary>
public sealed class HttpPhaseMergeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-merge-phases-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Merged_phases_and_events_are_those_of_one_histogram_of_every_value()
    {
        var random = new Random(7);
        var ttfb = new[] { Values(random, 300), Values(random, 500) };
        var connect = new[] { Values(random, 2), Values(random, 3) };
        var gaps = new[] { Values(random, 1000), Values(random, 40) };
        for (var i = 0; i < 2; i++)
        {
            var segment = SegmentSamples.Segment(i, 2, [new(0.5, 100)]);
            var scenario = segment.Scenarios[0] with
            {
                Http = new HttpFigures
                {
                    Engine = "httpclient",
                    Version = "1.1",
                    ConnectionsOpened = connect[i].Count,
                    Phases = new HttpPhases { Connect = Summary(connect[i]), Ttfb = Summary(ttfb[i]), Transfer = Summary(ttfb[i]) },
                    Sse = new SseFigures
                    {
                        Streams = 10 + i, Events = 100 * (i + 1), Cut = i,
                        FirstEvent = Summary(ttfb[i]), Gap = Summary(gaps[i]), EventsPerStream = Summary([10, 20 + i]),
                    },
                },
            };
            await SegmentSamples.WriteAsync(Path.Combine(_folder, $"s{i}"), segment with { Scenarios = [scenario] });
        }

        var merged = Assert.Single((await SegmentMerge.MergeAsync([_folder])).Scenarios).Http!;

        Assert.Equal(5, merged.ConnectionsOpened);
        Assert.Equal(Whole([.. connect[0], .. connect[1]]), merged.Phases!.Connect! with { Histogram = null });
        Assert.Equal(Whole([.. ttfb[0], .. ttfb[1]]), merged.Phases.Ttfb! with { Histogram = null });
        Assert.Null(merged.Phases.Tls);
        var sse = merged.Sse!;
        Assert.Equal((21, 300, 1), (sse.Streams, sse.Events, sse.Cut));
        Assert.Equal(Whole([.. gaps[0], .. gaps[1]]), sse.Gap with { Histogram = null });
        Assert.Equal((4, 10, 21), (sse.EventsPerStream.Count, sse.EventsPerStream.MinMicros, sse.EventsPerStream.MaxMicros));
    }

    private static List<long> Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (long)Math.Pow(10, 1 + random.NextDouble() * 5))];

    private static LatencySummary Summary(List<long> values)
    {
        var histogram = Histograms.Create();
        foreach (var value in values) histogram.RecordValue(value);
        return Histograms.Summarize(histogram);
    }

    private static LatencySummary Whole(List<long> values) => Summary(values) with { Histogram = null };
}
