using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Targets.WebSocket;

/// <summary>
/// What WebSocket operations count beyond their outcome. Written on every message, so the counters are striped by
/// worker (each stripe on its own cache lines, an uncontended interlocked add) and summed only when the scenario ends,
/// as <see cref="Http.HttpStatistics"/> does.
/// </summary>
internal sealed class WebSocketStatistics
{
    private const int Stripes = 16;
    private const int Stride = 16; // 8 counters, padded to two 64-byte lines
    private const int Opened = 0, ServerCloses = 1, Sent = 2, Received = 3, Lost = 4, BytesOut = 5, BytesIn = 6;

    private readonly long[] _counts = new long[Stripes * Stride + 8];
    private readonly LatencyRecorder _connect = new(Stripes, singleWriterPerShard: false);

    private static int Base(int worker) => (worker & (Stripes - 1)) * Stride;

    public void ConnectionOpened(int worker, long micros)
    {
        Interlocked.Increment(ref _counts[Base(worker) + Opened]);
        _connect.Record(worker & (Stripes - 1), micros);
    }

    public void ServerClosed(int worker) => Interlocked.Increment(ref _counts[Base(worker) + ServerCloses]);

    public void MessageSent(int worker, int bytes)
    {
        var b = Base(worker);
        Interlocked.Increment(ref _counts[b + Sent]);
        Interlocked.Add(ref _counts[b + BytesOut], bytes);
    }

    public void ReplyReceived(int worker, int bytes)
    {
        var b = Base(worker);
        Interlocked.Increment(ref _counts[b + Received]);
        Interlocked.Add(ref _counts[b + BytesIn], bytes);
    }

    public void MessageLost(int worker) => Interlocked.Increment(ref _counts[Base(worker) + Lost]);

    public void Reset()
    {
        Array.Clear(_counts);
        _connect.CollectInterval();
        _connect.Total.Reset();
    }

    private long Sum(int slot)
    {
        long total = 0;
        for (var s = 0; s < Stripes; s++) total += Volatile.Read(ref _counts[s * Stride + slot]);
        return total;
    }

    public WebSocketFigures Figures(double seconds)
    {
        _connect.CollectInterval();
        var bytesIn = Sum(BytesIn);
        var bytesOut = Sum(BytesOut);
        return new WebSocketFigures
        {
            ConnectionsOpened = Sum(Opened),
            ServerCloses = Sum(ServerCloses),
            ConnectTime = _connect.Total.TotalCount == 0 ? null : Histograms.Summarize(_connect.Total),
            MessagesSent = Sum(Sent),
            MessagesReceived = Sum(Received),
            MessagesLost = Sum(Lost),
            BytesOut = bytesOut,
            BytesIn = bytesIn,
            BytesInPerSecond = seconds > 0 ? Math.Round(bytesIn / seconds, 1) : 0,
            BytesOutPerSecond = seconds > 0 ? Math.Round(bytesOut / seconds, 1) : 0,
        };
    }
}
