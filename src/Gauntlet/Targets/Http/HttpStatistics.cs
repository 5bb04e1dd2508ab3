using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Targets.Http;

/// <summary>
/// What HTTP operations count beyond their outcome: status codes, bytes in and out, connections, and per request
/// kind its counts and service time. Written on every operation, so the counters are striped by worker (a stripe
/// per cache-line-aligned block, an uncontended interlocked add) and summed only when the scenario ends.
/// </summary>
internal sealed class HttpStatistics
{
    private const int Stripes = 16;
    private const int StatusSlots = 600;
    private const int BytesIn = StatusSlots, BytesOut = StatusSlots + 1, Opened = StatusSlots + 2, ServerCloses = StatusSlots + 3;
    private const int KindBase = StatusSlots + 4;
    private const int PerKind = 2; // ok, not ok

    private readonly int _stride;
    private readonly long[] _counts;
    private readonly LatencyRecorder[] _kindLatency;

    public HttpStatistics(int kinds)
    {
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

    public void Reset()
    {
        Array.Clear(_counts);
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
        };
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
