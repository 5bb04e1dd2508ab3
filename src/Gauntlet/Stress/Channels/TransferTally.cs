using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Verification;

namespace Gauntlet.Stress.Channels;

/// <summary>
/// The channel patterns' figures over a whole scenario run, summed over its rounds, and the queue verifier's findings
/// for the same rounds. Rounds may run on several Gauntlet workers at once, so every update is atomic; there are a
/// handful per round, never per item.
/// </summary>
internal sealed class TransferTally : IFigureSource, IQueueFindingsSource
{
    private readonly Lock _findingsLock = new();
    private QueueFindings _findings = new();
    private long _started, _lastEnd;
    private long _sent, _received, _dropped;
    private long _producerBlocked, _consumerBlocked, _producerBlockedMax, _rounds, _roundsStarted;

    public void Reset()
    {
        Volatile.Write(ref _started, Clock.Now);
        _lastEnd = _sent = _received = _dropped = 0;
        _producerBlocked = _consumerBlocked = _producerBlockedMax = _rounds = _roundsStarted = 0;
        lock (_findingsLock) _findings = new QueueFindings();
    }

    /// <summary>The number of a round about to start, from 1: names it in the verifier's examples.</summary>
    public long NextRound() => Interlocked.Increment(ref _roundsStarted);

    /// <summary>Adds a completed round: what its ledger found, and how long each side was blocked.</summary>
    public void Add(QueueFindings round, long sent, long[] producerBlocked, long[] consumerBlocked)
    {
        lock (_findingsLock) _findings.Add(round);
        Interlocked.Add(ref _sent, sent);
        Interlocked.Add(ref _received, round.Dequeued);
        Interlocked.Add(ref _dropped, round.Dropped);
        Interlocked.Increment(ref _rounds);
        AddBlocked(producerBlocked, consumerBlocked);
    }

    public void AddBlocked(long[] producerBlocked, long[] consumerBlocked)
    {
        foreach (var ticks in producerBlocked)
        {
            Interlocked.Add(ref _producerBlocked, ticks);
            long max;
            while (ticks > (max = Volatile.Read(ref _producerBlockedMax)) && Interlocked.CompareExchange(ref _producerBlockedMax, ticks, max) != max) { }
        }
        foreach (var ticks in consumerBlocked) Interlocked.Add(ref _consumerBlocked, ticks);
        var now = Clock.Now;
        long last;
        while (now > (last = Volatile.Read(ref _lastEnd)) && Interlocked.CompareExchange(ref _lastEnd, now, last) != last) { }
    }

    public QueueFindings Findings()
    {
        lock (_findingsLock) return _findings;
    }

    public IReadOnlyList<Figure> Collect()
    {
        var seconds = _lastEnd > _started ? Clock.ToSeconds(_lastEnd - _started) : 0;
        return
        [
            new("item_rate", seconds > 0 ? Math.Round(_received / seconds, 1) : 0, Figure.RateUnit, "items received per second, from the scenario's start to the end of its last round"),
            new("rounds", _rounds, Figure.CountUnit, "rounds completed (each is one operation: a fresh channel, every producer's items sent and drained)"),
            new("items_sent", _sent, Figure.CountUnit, "items the producers sent in completed rounds"),
            new("items_received", _received, Figure.CountUnit, "items the consumers received, duplicates included"),
            new("items_dropped", _dropped, Figure.CountUnit, "items the channel discarded by design (a dropping mode)"),
            new("producer_blocked", Clock.ToMicros(_producerBlocked), Figure.MicrosUnit, "time producers spent waiting in sends that did not complete at once, summed over producers"),
            new("producer_blocked_max", Clock.ToMicros(_producerBlockedMax), Figure.MicrosUnit, "the longest any one producer spent blocked in one round"),
            new("consumer_blocked", Clock.ToMicros(_consumerBlocked), Figure.MicrosUnit, "time consumers spent waiting for an item, summed over consumers"),
        ];
    }
}
