namespace Gauntlet.Metrics;

/// <summary>
/// Counters that many workers write on every operation and that are read once the scenario ends (the targets'
/// statistics: HTTP, gRPC, WebSocket). Each worker writes the block of its stripe (its id masked), and each block starts
/// on its own 64-byte line with a line of padding, so an increment is an uncontended interlocked add on a line no other
/// stripe shares; reading sums the stripes.
/// </summary>
internal sealed class StripedCounters
{
    /// <summary>How many stripes; a power of two, so a worker's stripe is its id masked (see <see cref="Stripe"/>).</summary>
    public const int Stripes = 16;

    private readonly int _stride;
    private readonly long[] _counts;

    /// <param name="slots">The counters each stripe holds, numbered from 0.</param>
    public StripedCounters(int slots)
    {
        _stride = (slots + 15) / 8 * 8;
        _counts = new long[_stride * Stripes + 8];
    }

    /// <summary>The stripe <paramref name="worker"/> writes; also the shard of a <see cref="LatencyRecorder"/> with <see cref="Stripes"/> shards.</summary>
    public static int Stripe(int worker) => worker & (Stripes - 1);

    public void Increment(int worker, int slot) => Interlocked.Increment(ref _counts[Stripe(worker) * _stride + slot]);

    public void Add(int worker, int slot, long value) => Interlocked.Add(ref _counts[Stripe(worker) * _stride + slot], value);

    /// <summary>Raises the stripe's counter <paramref name="slot"/> to <paramref name="value"/> when it is below it.</summary>
    public void Max(int worker, int slot, long value)
    {
        ref var max = ref _counts[Stripe(worker) * _stride + slot];
        long seen;
        while (value > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, value, seen) != seen)
        {
        }
    }

    /// <summary>Counter <paramref name="slot"/> summed over the stripes.</summary>
    public long Sum(int slot)
    {
        long total = 0;
        for (var s = 0; s < Stripes; s++) total += Volatile.Read(ref _counts[s * _stride + slot]);
        return total;
    }

    /// <summary>The largest of the stripes' counters <paramref name="slot"/> (those written with <see cref="Max"/>).</summary>
    public long MaxOf(int slot)
    {
        long max = 0;
        for (var s = 0; s < Stripes; s++) max = Math.Max(max, Volatile.Read(ref _counts[s * _stride + slot]));
        return max;
    }

    public void Clear() => Array.Clear(_counts);
}
