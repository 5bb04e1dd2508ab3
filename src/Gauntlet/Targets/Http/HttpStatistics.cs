using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Targets.Http;

/// <summary>
/// What HTTP operations count beyond their outcome: status codes, bytes in and out, connections, and per request
/// kind its counts and service time. Written on every operation, so the counters are striped by worker (a stripe
/// per cache-line-aligned block, an uncontended interlocked add) and summed only when the scenario ends. The phases of
/// a request (<see cref="HttpPhase"/>) and the events of a stream go into sharded histograms the same way.
/// </summary>
internal sealed class HttpStatistics
{
    private const int Stripes = 16;
    private const int StatusSlots = 600;
    private const int BytesIn = StatusSlots, BytesOut = StatusSlots + 1, Opened = StatusSlots + 2, ServerCloses = StatusSlots + 3;
    private const int SseStreams = StatusSlots + 4, SseEvents = StatusSlots + 5, SseCut = StatusSlots + 6;
    private const int KindBase = StatusSlots + 7;
    // Connections open rarely, so their phases need few shards; every response records a first byte and a transfer.
    private const int ConnectionShards = 2;
    private const int PhaseCount = (int)HttpPhase.Transfer + 1;
    private const int PerKind = 2; // ok, not ok

    private readonly int _stride;
    private readonly long[] _counts;
    private readonly LatencyRecorder[] _kindLatency;
    private readonly LatencyRecorder[] _phases;
    private readonly bool[] _phaseSeen = new bool[PhaseCount];
    private readonly LatencyRecorder? _firstEvent, _gap, _eventsPerStream;

    public HttpStatistics(int kinds, bool streams = false)
    {
        _phases = new LatencyRecorder[PhaseCount];
        for (var p = 0; p < _phases.Length; p++)
            _phases[p] = new LatencyRecorder(p is (int)HttpPhase.Connect or (int)HttpPhase.Tls ? ConnectionShards : Stripes, singleWriterPerShard: false);
        if (streams)
        {
            _firstEvent = new LatencyRecorder(Stripes, singleWriterPerShard: false);
            _gap = new LatencyRecorder(Stripes, singleWriterPerShard: false);
            _eventsPerStream = new LatencyRecorder(Stripes, singleWriterPerShard: false);
        }
        // Each stripe starts on its own 64-byte line, with a line of padding, so two workers' stripes never share one.
        _stride = (KindBase + kinds * PerKind + 15) / 8 * 8;
        _counts = new long[_stride * Stripes + 8];
        _kindLatency = new LatencyRecorder[kinds];
        for (var k = 0; k < kinds; k++) _kindLatency[k] = new LatencyRecorder(Stripes, singleWriterPerShard: false);
    }

    private int Base(int worker) => (worker & (Stripes - 1)) * _stride;

    /// <summary>One response's status code (codes outside 100-599 are counted as 0).</summary>
    public void Status(int worker, int code) => Interlocked.Increment(ref _counts[Base(worker) + ((uint)code < StatusSlots ? code : 0)]);

    public void Bytes(int worker, long bytesOut, long bytesIn)
    {
        var b = Base(worker);
        if (bytesOut != 0) Interlocked.Add(ref _counts[b + BytesOut], bytesOut);
        if (bytesIn != 0) Interlocked.Add(ref _counts[b + BytesIn], bytesIn);
    }

    public void ConnectionOpened(int worker) => Interlocked.Increment(ref _counts[Base(worker) + Opened]);

    public void ServerClosed(int worker) => Interlocked.Increment(ref _counts[Base(worker) + ServerCloses]);

    public void Kind(int worker, int kind, bool ok, long micros)
    {
        Interlocked.Increment(ref _counts[Base(worker) + KindBase + kind * PerKind + (ok ? 0 : 1)]);
        _kindLatency[kind].Record(worker & (Stripes - 1), micros);
    }

    /// <summary>One phase of one request, in microseconds; <paramref name="worker"/> picks the shard (any number for connect and TLS).</summary>
    public void Phase(int worker, HttpPhase phase, long micros)
    {
        var recorder = _phases[(int)phase];
        recorder.Record(worker & (phase is HttpPhase.Connect or HttpPhase.Tls ? ConnectionShards - 1 : Stripes - 1), micros);
    }

    /// <summary>Says that the engine measures <paramref name="phase"/>, so the result shows it even empty (no connection opened in the measured run) rather than leave it out.</summary>
    public void Measures(HttpPhase phase) => _phaseSeen[(int)phase] = true;

    /// <summary>One event of a stream: the first one's time from the request sent, or the gap since the one before (microseconds).</summary>
    public void Event(int worker, bool first, long micros)
    {
        (first ? _firstEvent : _gap)?.Record(worker & (Stripes - 1), micros);
        Interlocked.Increment(ref _counts[Base(worker) + SseEvents]);
    }

    /// <summary>One stream read to its end or cut (<paramref name="cut"/>), with how many events it carried.</summary>
    public void Stream(int worker, long events, bool cut)
    {
        var b = Base(worker);
        Interlocked.Increment(ref _counts[b + SseStreams]);
        if (cut) Interlocked.Increment(ref _counts[b + SseCut]);
        _eventsPerStream?.Record(worker & (Stripes - 1), events);
    }

    public void Reset()
    {
        Array.Clear(_counts);
        foreach (var recorder in (LatencyRecorder?[])[.. _phases, _firstEvent, _gap, _eventsPerStream])
        {
            if (recorder is null) continue;
            recorder.CollectInterval();
            recorder.Total.Reset();
        }
        foreach (var recorder in _kindLatency)
        {
            recorder.CollectInterval();
            recorder.Total.Reset();
        }
    }

    private long Sum(int slot)
    {
        long total = 0;
        for (var s = 0; s < Stripes; s++) total += Volatile.Read(ref _counts[s * _stride + slot]);
        return total;
    }

    public HttpFigures Figures(string engine, string version, double seconds)
    {
        var codes = new List<StatusCodeCount>();
        for (var code = 0; code < StatusSlots; code++)
        {
            var count = Sum(code);
            if (count > 0) codes.Add(new StatusCodeCount(code, count));
        }
        var bytesIn = Sum(BytesIn);
        var bytesOut = Sum(BytesOut);
        return new HttpFigures
        {
            Engine = engine,
            Version = version,
            StatusCodes = codes,
            BytesIn = bytesIn,
            BytesOut = bytesOut,
            BytesInPerSecond = seconds > 0 ? Math.Round(bytesIn / seconds, 1) : 0,
            BytesOutPerSecond = seconds > 0 ? Math.Round(bytesOut / seconds, 1) : 0,
            ConnectionsOpened = Sum(Opened),
            ServerCloses = Sum(ServerCloses),
            Phases = new HttpPhases
            {
                Connect = PhaseSummary(HttpPhase.Connect),
                Tls = PhaseSummary(HttpPhase.Tls),
                Ttfb = PhaseSummary(HttpPhase.Ttfb),
                Transfer = PhaseSummary(HttpPhase.Transfer),
            },
            Sse = _eventsPerStream is null ? null : new SseFigures
            {
                Streams = Sum(SseStreams),
                Events = Sum(SseEvents),
                Cut = Sum(SseCut),
                FirstEvent = Collected(_firstEvent!),
                Gap = Collected(_gap!),
                EventsPerStream = Collected(_eventsPerStream),
            },
        };
    }

    private LatencySummary? PhaseSummary(HttpPhase phase)
    {
        var summary = Collected(_phases[(int)phase]);
        return summary.Count > 0 || _phaseSeen[(int)phase] ? summary : null;
    }

    private static LatencySummary Collected(LatencyRecorder recorder)
    {
        recorder.CollectInterval();
        return Histograms.Summarize(recorder.Total);
    }

    public List<OperationKindFigures> Kinds(IReadOnlyList<HttpRequestKind> requests)
    {
        var kinds = new List<OperationKindFigures>();
        for (var k = 0; k < requests.Count; k++)
        {
            _kindLatency[k].CollectInterval();
            var ok = Sum(KindBase + k * PerKind);
            var notOk = Sum(KindBase + k * PerKind + 1);
            kinds.Add(new OperationKindFigures
            {
                Name = requests[k].Name,
                Weight = requests[k].Weight,
                ExpectsRejection = requests[k].ExpectsRejection,
                Count = ok + notOk,
                Ok = ok,
                NotOk = notOk,
                // With its histogram, so a threshold can ask any percentile of one kind (p75(valid)) and results merge exactly.
                Latency = Histograms.Summarize(_kindLatency[k].Total),
            });
        }
        return kinds;
    }
}
