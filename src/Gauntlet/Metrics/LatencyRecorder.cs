using HdrHistogram;

namespace Gauntlet.Metrics;

/// <summary>
/// Records latencies from many workers without a lock: each worker writes to its shard's
/// <see cref="BucketCounts"/>, and the collector folds what changed into HdrHistograms once a second.
/// When there are no more workers than shards each shard has a single writer and recording is a plain
/// increment; otherwise shards take an interlocked increment. Shards, not per-worker arrays, bound the
/// memory: the counts for this range are about 190 KB, and a scenario may have 10,000 workers.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly BucketCounts[] _shards;
    private readonly bool _singleWriter;

    public LatencyRecorder(int shardCount, bool singleWriterPerShard)
    {
        _shards = new BucketCounts[shardCount];
        for (var i = 0; i < shardCount; i++) _shards[i] = new BucketCounts();
        _singleWriter = singleWriterPerShard;
        Total = Histograms.Create();
        Interval = Histograms.Create();
    }

    /// <summary>Everything recorded up to the last <see cref="CollectInterval"/>.</summary>
    public HistogramBase Total { get; }

    /// <summary>What was recorded between the last two <see cref="CollectInterval"/> calls.</summary>
    public HistogramBase Interval { get; }

    public void Record(int shard, long micros)
    {
        var clamped = Histograms.Clamp(micros);
        if (_singleWriter) _shards[shard].Record(clamped);
        else _shards[shard].RecordConcurrent(clamped);
    }

    /// <summary>Moves what was recorded since the last call into <see cref="Interval"/> and adds it to <see cref="Total"/>. Collector thread only.</summary>
    public void CollectInterval()
    {
        Interval.Reset();
        foreach (var shard in _shards) shard.CollectInto(Interval);
        Total.Add(Interval);
    }

    /// <summary>Forgets everything recorded so far (a warm-up's): what the shards hold is collected and dropped with <see cref="Total"/>.</summary>
    public void Clear()
    {
        CollectInterval();
        Total.Reset();
    }
}
