namespace Gauntlet.Stress.Channels;

/// <summary>
/// Proves, for one round, that every item sent was received exactly once and, per consumer, in each producer's order.
/// One bit per item says whether it was seen (set with an atomic OR when several consumers share the bitmap, so a
/// duplicate is caught exactly); each consumer keeps its own last sequence per producer and its own counters, so the
/// only shared writes are the bitmap's.
/// </summary>
/// <remarks>
/// Order is checked per consumer: with several consumers, two items of one producer taken by different consumers
/// have no observable order, so a swap split across consumers cannot be seen. Use one consumer to check order strictly.
/// </remarks>
internal sealed class DeliveryTracker
{
    private readonly long[][] _seen;
    private readonly Consumer[] _consumers;
    private readonly bool _concurrent;

    public DeliveryTracker(int producers, long itemsPerProducer, int consumers)
    {
        Producers = producers;
        ItemsPerProducer = itemsPerProducer;
        _seen = new long[producers][];
        for (var p = 0; p < producers; p++) _seen[p] = new long[(itemsPerProducer + 63) / 64];
        _consumers = new Consumer[consumers];
        for (var c = 0; c < consumers; c++) _consumers[c] = new Consumer(producers);
        _concurrent = consumers > 1;
    }

    public int Producers { get; }
    public long ItemsPerProducer { get; }

    /// <summary>Records one received item. Called by consumer <paramref name="consumer"/> only.</summary>
    public void Record(int consumer, StressItem item)
    {
        var state = _consumers[consumer];
        state.Received++;
        if ((uint)item.Producer >= (uint)Producers || (ulong)item.Sequence >= (ulong)ItemsPerProducer)
        {
            if (state.Unexpected++ == 0) state.FirstUnexpected = item;
            return;
        }
        var words = _seen[item.Producer];
        var bit = 1L << (int)(item.Sequence & 63);
        long before;
        if (_concurrent) before = Interlocked.Or(ref words[item.Sequence >> 6], bit);
        else
        {
            before = words[item.Sequence >> 6];
            words[item.Sequence >> 6] = before | bit;
        }
        if ((before & bit) != 0)
        {
            if (state.Duplicated++ == 0) state.FirstDuplicate = item;
            return;
        }
        ref var last = ref state.Last[item.Producer];
        if (item.Sequence < last)
        {
            if (state.Reordered++ == 0) state.FirstReordered = (item, last);
            return;
        }
        last = item.Sequence;
    }

    /// <summary>The round's verdict once every consumer has finished; <paramref name="dropped"/> is what the channel discarded by design.</summary>
    public Delivery Summarize(long dropped)
    {
        long received = 0, duplicated = 0, reordered = 0, unexpected = 0;
        StressItem? firstDuplicate = null, firstUnexpected = null;
        (StressItem Item, long After)? firstReordered = null;
        foreach (var c in _consumers)
        {
            received += c.Received;
            duplicated += c.Duplicated;
            reordered += c.Reordered;
            unexpected += c.Unexpected;
            if (c.Duplicated > 0) firstDuplicate ??= c.FirstDuplicate;
            if (c.Unexpected > 0) firstUnexpected ??= c.FirstUnexpected;
            if (c.Reordered > 0) firstReordered ??= c.FirstReordered;
        }
        var sent = Producers * ItemsPerProducer;
        var unique = received - duplicated - unexpected;
        var lost = Math.Max(0, sent - unique - dropped);
        return new Delivery(sent, received, lost, duplicated, reordered, unexpected, dropped,
            lost > 0 && dropped == 0 ? FirstMissing() : null, firstDuplicate, firstReordered, firstUnexpected);
    }

    private StressItem? FirstMissing()
    {
        for (var p = 0; p < Producers; p++)
        {
            var words = _seen[p];
            for (var w = 0; w < words.Length; w++)
            {
                var missing = ~words[w];
                if (missing == 0) continue;
                var sequence = w * 64L + long.TrailingZeroCount(missing);
                if (sequence < ItemsPerProducer) return new StressItem(p, sequence);
            }
        }
        return null;
    }

    /// <summary>One consumer's counters, on its own object so consumers never write the same cache line.</summary>
    private sealed class Consumer(int producers)
    {
        public readonly long[] Last = NewLast(producers);
        public long Received, Duplicated, Reordered, Unexpected;
        public StressItem FirstDuplicate, FirstUnexpected;
        public (StressItem Item, long After) FirstReordered;

        private static long[] NewLast(int producers)
        {
            var last = new long[producers];
            Array.Fill(last, -1);
            return last;
        }
    }
}

/// <summary>What one round delivered, and the first example of each problem.</summary>
internal sealed record Delivery(long Sent, long Received, long Lost, long Duplicated, long Reordered, long Unexpected, long Dropped,
    StressItem? FirstMissing, StressItem? FirstDuplicate, (StressItem Item, long After)? FirstReordered, StressItem? FirstUnexpected)
{
    public bool Intact => Lost == 0 && Duplicated == 0 && Reordered == 0 && Unexpected == 0;

    /// <summary>The outcome kind of the worst problem: lost, then duplicated, reordered, unexpected.</summary>
    public string Kind => Lost > 0 ? "lost" : Duplicated > 0 ? "duplicated" : Reordered > 0 ? "reordered" : "unexpected";

    /// <summary>Every problem with its first example, in a sentence.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Lost > 0) parts.Add($"{Lost} of {Sent} items lost" + (FirstMissing is { } m ? $" (first: producer {m.Producer} item {m.Sequence})" : $" ({Dropped} dropped by design are not counted)"));
        if (Duplicated > 0 && FirstDuplicate is { } d) parts.Add($"{Duplicated} received twice (first: producer {d.Producer} item {d.Sequence})");
        if (Reordered > 0 && FirstReordered is { } r) parts.Add($"{Reordered} out of order (first: producer {r.Item.Producer} item {r.Item.Sequence} after item {r.After})");
        if (Unexpected > 0 && FirstUnexpected is { } u) parts.Add($"{Unexpected} never sent (first: producer {u.Producer} item {u.Sequence})");
        return string.Join("; ", parts);
    }
}
