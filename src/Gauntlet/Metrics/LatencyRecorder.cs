using HdrHistogram;

namespace Gauntlet.Metrics;

/// <summary>
/// Records latencies from many workers without a global lock: each worker writes to its shard's
/// <see cref="Recorder"/> (wait-free for writers), and the collector swaps out interval histograms each
/// second. When there are no more workers than shards each shard has a single writer and uses a plain
/// histogram; otherwise shards use the concurrent variant. Shards, not per-worker histograms, bound the
/// memory: a histogram of this shape is about 190 KB, and a scenario may have 10,000 workers.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly Recorder[] _shards;
    private readonly HistogramBase _scratch;

    public LatencyRecorder(int shardCount, bool singleWriterPerShard)
    {
        _shards = new Recorder[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new Recorder(Histograms.LowestMicros, Histograms.HighestMicros, Histograms.SignificantDigits,
                (id, lowest, highest, digits) => Histograms.Create(id, lowest, highest, digits, concurrent: !singleWriterPerShard));
        }
        _scratch = Histograms.Create();
        Total = Histograms.Create();
        Interval = Histograms.Create();
    }

    /// <summary>Everything recorded up to the last <see cref="CollectInterval"/>.</summary>
    public HistogramBase Total { get; }

    /// <summary>What was recorded between the last two <see cref="CollectInterval"/> calls.</summary>
    public HistogramBase Interval { get; }

    public void Record(int shard, long micros) => _shards[shard].RecordValue(Histograms.Clamp(micros));

    /// <summary>Moves what was recorded since the last call into <see cref="Interval"/> and adds it to <see cref="Total"/>. Collector thread only.</summary>
    public void CollectInterval()
    {
        Interval.Reset();
        foreach (var shard in _shards)
        {
            shard.GetIntervalHistogramInto(_scratch);
            Interval.Add(_scratch);
        }
        Total.Add(Interval);
    }
}
