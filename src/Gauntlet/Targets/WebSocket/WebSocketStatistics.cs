using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Targets.WebSocket;

/// <summary>
/// What WebSocket operations count beyond their outcome. Written on every message, so the counters are
/// <see cref="StripedCounters"/>, summed only when the scenario ends.
/// </summary>
internal sealed class WebSocketStatistics
{
    private const int Opened = 0, ServerCloses = 1, Sent = 2, Received = 3, Lost = 4, BytesOut = 5, BytesIn = 6;

    private readonly StripedCounters _counts = new(BytesIn + 1);
    private readonly LatencyRecorder _connect = new(StripedCounters.Stripes, singleWriterPerShard: false);

    public void ConnectionOpened(int worker, long micros)
    {
        _counts.Increment(worker, Opened);
        _connect.Record(StripedCounters.Stripe(worker), micros);
    }

    public void ServerClosed(int worker) => _counts.Increment(worker, ServerCloses);

    public void MessageSent(int worker, int bytes)
    {
        _counts.Increment(worker, Sent);
        _counts.Add(worker, BytesOut, bytes);
    }

    public void ReplyReceived(int worker, int bytes)
    {
        _counts.Increment(worker, Received);
        _counts.Add(worker, BytesIn, bytes);
    }

    public void MessageLost(int worker) => _counts.Increment(worker, Lost);

    public void Reset()
    {
        _counts.Clear();
        _connect.Clear();
    }

    public WebSocketFigures Figures(double seconds)
    {
        _connect.CollectInterval();
        var bytesIn = _counts.Sum(BytesIn);
        var bytesOut = _counts.Sum(BytesOut);
        return new WebSocketFigures
        {
            ConnectionsOpened = _counts.Sum(Opened),
            ServerCloses = _counts.Sum(ServerCloses),
            ConnectTime = _connect.Total.TotalCount == 0 ? null : Histograms.Summarize(_connect.Total),
            MessagesSent = _counts.Sum(Sent),
            MessagesReceived = _counts.Sum(Received),
            MessagesLost = _counts.Sum(Lost),
            BytesOut = bytesOut,
            BytesIn = bytesIn,
            BytesInPerSecond = seconds > 0 ? Math.Round(bytesIn / seconds, 1) : 0,
            BytesOutPerSecond = seconds > 0 ? Math.Round(bytesOut / seconds, 1) : 0,
        };
    }
}
