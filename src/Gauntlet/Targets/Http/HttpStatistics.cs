using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Targets.Http;

/// <summary>
/// What HTTP operations count beyond their outcome: status codes, bytes in and out, connections, and per request
/// kind its counts and service time. Written on every operation, so the counters are <see cref="StripedCounters"/>,
/// summed only when the scenario ends. The phases of a request (<see cref="HttpPhase"/>) and the events of a stream go
/// into sharded histograms the same way.
/// </summary>
internal sealed class HttpStatistics
{
    private const int Stripes = StripedCounters.Stripes;
    private const int StatusSlots = 600;
    private const int BytesIn = StatusSlots, BytesOut = StatusSlots + 1, Opened = StatusSlots + 2, ServerCloses = StatusSlots + 3;
    private const int SseStreams = StatusSlots + 4, SseEvents = StatusSlots + 5, SseCut = StatusSlots + 6;
    private const int KindBase = StatusSlots + 7;
    // Connections open rarely, so their phases need few shards; every response records a first byte and a transfer.
    private const int ConnectionShards = 2;
    private const int PhaseCount = (int)HttpPhase.Transfer + 1;
    private const int PerKind = 2; // ok, not ok

    private readonly StripedCounters _counts;
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
        _counts = new StripedCounters(KindBase + kinds * PerKind);
        _kindLatency = new LatencyRecorder[kinds];
        for (var k = 0; k < kinds; k++) _kindLatency[k] = new LatencyRecorder(Stripes, singleWriterPerShard: false);
    }

    /// <summary>One response's status code (codes outside 100-599 are counted as 0).</summary>
    public void Status(int worker, int code) => _counts.Increment(worker, (uint)code < StatusSlots ? code : 0);

    public void Bytes(int worker, long bytesOut, long bytesIn)
    {
        if (bytesOut != 0) _counts.Add(worker, BytesOut, bytesOut);
        if (bytesIn != 0) _counts.Add(worker, BytesIn, bytesIn);
    }

    public void ConnectionOpened(int worker) => _counts.Increment(worker, Opened);

    public void ServerClosed(int worker) => _counts.Increment(worker, ServerCloses);

    public void Kind(int worker, int kind, bool ok, long micros)
    {
        _counts.Increment(worker, KindBase + kind * PerKind + (ok ? 0 : 1));
        _kindLatency[kind].Record(StripedCounters.Stripe(worker), micros);
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
        (first ? _firstEvent : _gap)?.Record(StripedCounters.Stripe(worker), micros);
        _counts.Increment(worker, SseEvents);
    }

    /// <summary>One stream read to its end or cut (<paramref name="cut"/>), with how many events it carried.</summary>
    public void Stream(int worker, long events, bool cut)
    {
        _counts.Increment(worker, SseStreams);
        if (cut) _counts.Increment(worker, SseCut);
        _eventsPerStream?.Record(StripedCounters.Stripe(worker), events);
    }

    public void Reset()
    {
        _counts.Clear();
        foreach (var recorder in (LatencyRecorder?[])[.. _phases, _firstEvent, _gap, _eventsPerStream, .. _kindLatency]) recorder?.Clear();
    }

    public HttpFigures Figures(string engine, string version, double seconds)
    {
        var codes = new List<StatusCodeCount>();
        for (var code = 0; code < StatusSlots; code++)
        {
            var count = _counts.Sum(code);
            if (count > 0) codes.Add(new StatusCodeCount(code, count));
        }
        var bytesIn = _counts.Sum(BytesIn);
        var bytesOut = _counts.Sum(BytesOut);
        return new HttpFigures
        {
            Engine = engine,
            Version = version,
            StatusCodes = codes,
            BytesIn = bytesIn,
            BytesOut = bytesOut,
            BytesInPerSecond = seconds > 0 ? Math.Round(bytesIn / seconds, 1) : 0,
            BytesOutPerSecond = seconds > 0 ? Math.Round(bytesOut / seconds, 1) : 0,
            ConnectionsOpened = _counts.Sum(Opened),
            ServerCloses = _counts.Sum(ServerCloses),
            Phases = new HttpPhases
            {
                Connect = PhaseSummary(HttpPhase.Connect),
                Tls = PhaseSummary(HttpPhase.Tls),
                Ttfb = PhaseSummary(HttpPhase.Ttfb),
                Transfer = PhaseSummary(HttpPhase.Transfer),
            },
            Sse = _eventsPerStream is null ? null : new SseFigures
            {
                Streams = _counts.Sum(SseStreams),
                Events = _counts.Sum(SseEvents),
                Cut = _counts.Sum(SseCut),
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
            var ok = _counts.Sum(KindBase + k * PerKind);
            var notOk = _counts.Sum(KindBase + k * PerKind + 1);
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
