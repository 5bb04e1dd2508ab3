using System.Numerics;
using System.Runtime.InteropServices;
using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>
/// The <c>queue</c> verifier's bookkeeping over compact keys: producer p's k-th enqueue is (p, k), k from 0. One bit
/// per enqueue says whether it was dequeued (set with an atomic OR when several consumers share the ledger, so a
/// duplicate is caught exactly); each consumer keeps its own last sequence per producer and its own counters, so the
/// only shared writes on the way of a correct item are the bitmap's. Two front ends feed it: the history verifier
/// (<see cref="QueueVerification"/>), which numbers each worker's enqueues, and the stress kit's channel patterns,
/// whose items carry their producer and sequence already and which feed it straight from their consumers, so a
/// million items cost a million bit sets rather than a million history lines.
/// </summary>
/// <remarks>
/// Order is checked per consumer: with several consumers, two items of one producer taken by different consumers
/// have no observable order, so a swap split across consumers cannot be seen.
/// </remarks>
internal sealed class QueueLedger
{
    private static readonly long[] NoWords = [];

    private readonly bool _concurrent;
    private readonly bool _growing;
    private long[][] _taken;
    private long[] _enqueued;
    private long[]?[] _indeterminate;
    private long[]?[] _withdrawn;
    private Consumer[] _consumers;
    // Extra receipts per key: the failure path, rare, so a lock here costs a correct run nothing.
    private readonly Dictionary<(int Producer, long Sequence), int> _duplicates = [];
    private readonly List<string> _unknownExamples = [];
    private long _unknown;

    private QueueLedger(int producers, long itemsPerProducer, int consumers, bool growing)
    {
        _growing = growing;
        _concurrent = consumers > 1;
        _taken = new long[producers][];
        _enqueued = new long[producers];
        _indeterminate = new long[]?[producers];
        _withdrawn = new long[]?[producers];
        for (var p = 0; p < producers; p++)
        {
            _taken[p] = itemsPerProducer == 0 ? NoWords : new long[(itemsPerProducer + 63) / 64];
            _enqueued[p] = itemsPerProducer;
        }
        _consumers = new Consumer[consumers];
        for (var c = 0; c < consumers; c++) _consumers[c] = new Consumer(producers);
    }

    /// <summary>
    /// A ledger where each of <paramref name="producers"/> enqueued (and had acknowledged) items 0 to
    /// <paramref name="itemsPerProducer"/> - 1, taken by consumers 0 to <paramref name="consumers"/> - 1, each
    /// calling <see cref="Dequeue"/> from its own thread.
    /// </summary>
    public static QueueLedger ForProducers(int producers, long itemsPerProducer, int consumers) => new(producers, itemsPerProducer, consumers, growing: false);

    /// <summary>An empty ledger that grows as <see cref="Enqueue"/> is called; one thread only.</summary>
    public static QueueLedger Growing() => new(0, 0, 0, growing: true);

    /// <summary>Records the next enqueue of <paramref name="producer"/> and returns its sequence. Growing ledgers only.</summary>
    /// <param name="producer">The producer, 0 or more.</param>
    /// <param name="acknowledged">False when the enqueue may or may not have taken effect (indeterminate): it may then be taken or not.</param>
    public long Enqueue(int producer, bool acknowledged)
    {
        if (!_growing) throw new InvalidOperationException("this ledger's enqueues were fixed when it was created");
        ArgumentOutOfRangeException.ThrowIfNegative(producer);
        if (producer >= _enqueued.Length)
        {
            var size = Math.Max(producer + 1, _enqueued.Length * 2);
            Array.Resize(ref _enqueued, size);
            Array.Resize(ref _indeterminate, size);
            Array.Resize(ref _withdrawn, size);
            var old = _taken.Length;
            Array.Resize(ref _taken, size);
            for (var p = old; p < size; p++) _taken[p] = NoWords;
        }
        var sequence = _enqueued[producer]++;
        Grow(ref _taken[producer], sequence);
        if (!acknowledged) SetBit(ref _indeterminate[producer], sequence);
        return sequence;
    }

    /// <summary>The enqueue (producer, sequence) no longer counts: the same value was enqueued again and the other enqueue stands for it.</summary>
    public void Withdraw(int producer, long sequence) => SetBit(ref _withdrawn[producer], sequence);

    /// <summary>
    /// Records that <paramref name="consumer"/> took (producer, sequence). Called by that consumer only; a key that was
    /// never enqueued is unexpected. This is the hot path of the channel patterns: no allocation, no lock, no clock.
    /// </summary>
    public void Dequeue(int consumer, int producer, long sequence)
    {
        var state = _consumers[consumer];
        state.Dequeued++;
        if ((uint)producer >= (uint)_enqueued.Length || (ulong)sequence >= (ulong)_enqueued[producer])
        {
            if (state.Unexpected++ < VerificationResult.MaxExamples) state.UnexpectedExamples.Add((producer, sequence));
            return;
        }
        var words = _taken[producer];
        var bit = 1L << (int)(sequence & 63);
        long before;
        if (_concurrent) before = Interlocked.Or(ref words[sequence >> 6], bit);
        else
        {
            before = words[sequence >> 6];
            words[sequence >> 6] = before | bit;
        }
        if ((before & bit) != 0)
        {
            lock (_duplicates) CollectionsMarshal.GetValueRefOrAddDefault(_duplicates, (producer, sequence), out _)++;
            return;
        }
        ref var last = ref state.Last[producer];
        if (sequence < last)
        {
            if (state.Reordered++ < VerificationResult.MaxExamples) state.ReorderedExamples.Add((consumer, producer, sequence, last));
            return;
        }
        last = sequence;
    }

    /// <summary><see cref="Dequeue"/> for a growing ledger, whose consumers appear as they are first seen.</summary>
    public void DequeueObserved(int consumer, int producer, long sequence)
    {
        ConsumerFor(consumer);
        Dequeue(consumer, producer, sequence);
    }

    /// <summary>Records that <paramref name="consumer"/> took a value no producer enqueued, named <paramref name="value"/>. Growing ledgers only.</summary>
    public void DequeueUnknown(int consumer, string value)
    {
        ConsumerFor(consumer).Dequeued++;
        if (_unknown++ < VerificationResult.MaxExamples) _unknownExamples.Add(value);
    }

    /// <summary>
    /// What the ledger shows once every consumer has finished. An acknowledged enqueue never taken is lost when the
    /// queue was <paramref name="drained"/> (still queued otherwise), except for the <paramref name="dropped"/> the
    /// queue itself says it discarded by design; examples are named by <paramref name="name"/>.
    /// </summary>
    public QueueFindings Summarize(bool drained, long dropped, Func<int, long, string> name)
    {
        var findings = new QueueFindings { Dropped = dropped };
        var missing = new Verification.ExampleList("lost");
        for (var p = 0; p < _enqueued.Length; p++)
        {
            var count = _enqueued[p];
            var taken = _taken[p];
            var indeterminate = _indeterminate[p];
            var withdrawn = _withdrawn[p];
            for (long w = 0; w * 64 < count; w++)
            {
                var exists = count - w * 64 >= 64 ? -1L : (1L << (int)(count - w * 64)) - 1;
                var unknown = Word(indeterminate, w);
                var counted = exists & ~Word(withdrawn, w);
                var acknowledged = counted & ~unknown;
                findings.Acknowledged += BitOperations.PopCount((ulong)acknowledged);
                Collect(acknowledged & ~taken[w], p, w, missing, name);
                Collect(counted & unknown & taken[w], p, w, findings.RecoveredExamples, name);
            }
        }
        if (!drained) findings.Remaining = missing.Count;
        else if (dropped == 0) findings.LostExamples.AddFrom(missing);
        else findings.LostExamples.AddCount(Math.Max(0, missing.Count - dropped));

        foreach (var consumer in _consumers)
        {
            if (consumer is null) continue;
            findings.Dequeued += consumer.Dequeued;
            foreach (var (c, p, s, after) in consumer.ReorderedExamples)
                findings.ReorderedExamples.Add($"{name(p, s)} taken by consumer {c} after {name(p, after)}");
            findings.ReorderedExamples.AddCount(consumer.Reordered - consumer.ReorderedExamples.Count);
            foreach (var (p, s) in consumer.UnexpectedExamples) findings.UnexpectedExamples.Add(name(p, s));
            findings.UnexpectedExamples.AddCount(consumer.Unexpected - consumer.UnexpectedExamples.Count);
        }
        foreach (var value in _unknownExamples) findings.UnexpectedExamples.Add(value);
        findings.UnexpectedExamples.AddCount(_unknown - _unknownExamples.Count);
        foreach (var ((p, s), extra) in _duplicates) findings.DuplicatedExamples.Add($"{name(p, s)} (×{extra + 1})");
        return findings;
    }

    private static void Collect(long bits, int producer, long word, Verification.ExampleList into, Func<int, long, string> name)
    {
        while (bits != 0)
        {
            var sequence = word * 64 + BitOperations.TrailingZeroCount(bits);
            if (into.Count < VerificationResult.MaxExamples) into.Add(name(producer, sequence));
            else into.AddCount(1);
            bits &= bits - 1;
        }
    }

    private static long Word(long[]? words, long index) => words is not null && index < words.Length ? words[index] : 0;

    private static void Grow(ref long[] words, long sequence)
    {
        var needed = (sequence >> 6) + 1;
        if (needed > words.Length) Array.Resize(ref words, (int)Math.Max(needed, words.Length * 2L));
    }

    private static void SetBit(ref long[]? words, long sequence)
    {
        words ??= NoWords;
        Grow(ref words, sequence);
        words[sequence >> 6] |= 1L << (int)(sequence & 63);
    }

    private Consumer ConsumerFor(int consumer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(consumer);
        if (consumer >= _consumers.Length) Array.Resize(ref _consumers, Math.Max(consumer + 1, _consumers.Length * 2));
        var state = _consumers[consumer] ??= new Consumer(_enqueued.Length);
        if (state.Last.Length < _enqueued.Length)
        {
            var old = state.Last.Length;
            Array.Resize(ref state.Last, _enqueued.Length);
            Array.Fill(state.Last, -1, old, _enqueued.Length - old);
        }
        return state;
    }

    /// <summary>One consumer's counters, on its own object so consumers never write the same cache line.</summary>
    private sealed class Consumer
    {
        public long[] Last;
        public long Dequeued, Reordered, Unexpected;
        public readonly List<(int Consumer, int Producer, long Sequence, long After)> ReorderedExamples = [];
        public readonly List<(int Producer, long Sequence)> UnexpectedExamples = [];

        public Consumer(int producers)
        {
            Last = new long[producers];
            Array.Fill(Last, -1);
        }
    }
}

/// <summary>
/// What the <c>queue</c> verifier found, with examples: from one ledger, or summed over many (the channel patterns
/// run one ledger per round). <see cref="ToResult"/> is the one place its <see cref="VerificationResult"/> is written.
/// </summary>
internal sealed class QueueFindings
{
    public long Acknowledged, Dequeued, Remaining, Dropped;
    public readonly Verification.ExampleList LostExamples = new("lost");
    public readonly Verification.ExampleList DuplicatedExamples = new("duplicated");
    public readonly Verification.ExampleList UnexpectedExamples = new("unexpected");
    public readonly Verification.ExampleList ReorderedExamples = new("reordered");
    public readonly Verification.ExampleList RecoveredExamples = new("recovered");

    public bool Passed => LostExamples.Count == 0 && DuplicatedExamples.Count == 0 && UnexpectedExamples.Count == 0 && ReorderedExamples.Count == 0;

    /// <summary>Adds <paramref name="other"/>'s counts and as many of its examples as still fit.</summary>
    public void Add(QueueFindings other)
    {
        Acknowledged += other.Acknowledged;
        Dequeued += other.Dequeued;
        Remaining += other.Remaining;
        Dropped += other.Dropped;
        LostExamples.AddFrom(other.LostExamples);
        DuplicatedExamples.AddFrom(other.DuplicatedExamples);
        UnexpectedExamples.AddFrom(other.UnexpectedExamples);
        ReorderedExamples.AddFrom(other.ReorderedExamples);
        RecoveredExamples.AddFrom(other.RecoveredExamples);
    }

    public VerificationResult ToResult(string name, string kind, bool drained) => new()
    {
        Name = name,
        Kind = kind,
        Passed = Passed,
        Summary = $"{Format.Count(Acknowledged)} acknowledged enqueues, {Format.Count(Dequeued)} dequeues; {Format.Count(LostExamples.Count)} lost, "
            + $"{Format.Count(DuplicatedExamples.Count)} duplicated, {Format.Count(UnexpectedExamples.Count)} unexpected, {Format.Count(ReorderedExamples.Count)} reordered, "
            + $"{Format.Count(RecoveredExamples.Count)} recovered" + (drained ? "" : $", {Format.Count(Remaining)} still queued")
            + (Dropped > 0 ? $", {Format.Count(Dropped)} dropped by the queue by design" : ""),
        Counts =
        [
            new("acknowledged", Acknowledged),
            new("dequeued", Dequeued),
            new("lost", LostExamples.Count),
            new("duplicated", DuplicatedExamples.Count),
            new("unexpected", UnexpectedExamples.Count),
            new("reordered", ReorderedExamples.Count),
            new("recovered", RecoveredExamples.Count),
            new("dropped", Dropped),
        ],
        Examples = Verification.Examples(LostExamples, DuplicatedExamples, UnexpectedExamples, ReorderedExamples, RecoveredExamples),
    };
}

/// <summary>Queue findings a scenario's operations produce themselves, without a history: the stress kit's channel patterns.</summary>
internal interface IQueueFindingsSource
{
    /// <summary>The findings of the scenario's run, once every operation has ended.</summary>
    QueueFindings Findings();
}
