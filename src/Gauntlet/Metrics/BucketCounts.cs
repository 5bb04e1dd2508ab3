using System.Numerics;
using HdrHistogram;

namespace Gauntlet.Metrics;

/// <summary>
/// The write side of a latency histogram, built for the hot path: HdrHistogram's exact bucket layout for
/// 1 us .. 1 h at 3 significant digits, as a plain array of cumulative counts. A single writer records with
/// one array increment (no interlocked operation, no phaser); several writers use one interlocked increment.
/// The collector reads the counts while they are written and turns the difference since its last read into
/// an HdrHistogram interval. Counts only grow and each is read atomically, so a read may miss a value still
/// being recorded, never lose it: the next read (and the final one, after every worker is sealed) sees it.
/// </summary>
internal sealed class BucketCounts
{
    // HdrHistogram's layout for lowest 1, highest 3,600,000,000, 3 significant digits: unit magnitude 0,
    // sub-bucket count 2048 (half 1024, magnitude 10), 22 buckets.
    private const int SubBucketHalfCountMagnitude = 10;
    private const int SubBucketHalfCount = 1 << SubBucketHalfCountMagnitude;
    private const long SubBucketMask = (SubBucketHalfCount * 2) - 1;
    private const int LeadingZeroCountBase = 64 - SubBucketHalfCountMagnitude - 1;
    private const int BucketCount = 22;

    /// <summary>Number of counters: (buckets + 1) × half a sub-bucket, as HdrHistogram sizes its array.</summary>
    public const int Length = (BucketCount + 1) * SubBucketHalfCount;

    private readonly long[] _counts = new long[Length];
    private readonly long[] _collected = new long[Length];

    /// <summary>Records one value (already clamped to the range). Only for a single writer.</summary>
    public void Record(long micros) => _counts[IndexOf(micros)]++;

    /// <summary>Records one value when several threads may record into this instance at once.</summary>
    public void RecordConcurrent(long micros) => Interlocked.Increment(ref _counts[IndexOf(micros)]);

    /// <summary>Adds everything recorded since the previous call to <paramref name="target"/>. One collector thread only.</summary>
    public void CollectInto(HistogramBase target)
    {
        for (var i = 0; i < Length; i++)
        {
            var current = Volatile.Read(ref _counts[i]);
            var delta = current - _collected[i];
            if (delta == 0) continue;
            target.RecordValueWithCount(ValueAt(i), delta);
            _collected[i] = current;
        }
    }

    internal static int IndexOf(long value)
    {
        var bucket = LeadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | SubBucketMask));
        var subBucket = (int)(value >> bucket);
        return ((bucket + 1) << SubBucketHalfCountMagnitude) + (subBucket - SubBucketHalfCount);
    }

    /// <summary>The lowest value that lands in counter <paramref name="index"/>.</summary>
    internal static long ValueAt(int index)
    {
        var bucket = (index >> SubBucketHalfCountMagnitude) - 1;
        var subBucket = (index & (SubBucketHalfCount - 1)) + SubBucketHalfCount;
        if (bucket < 0)
        {
            subBucket -= SubBucketHalfCount;
            bucket = 0;
        }
        return (long)subBucket << bucket;
    }
}
