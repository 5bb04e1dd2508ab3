using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// What gRPC operations count beyond their outcome: calls by final status, messages received, and for server
/// streaming the time to the first message and the gaps between messages. The counters are
/// <see cref="StripedCounters"/>, summed when the scenario ends.
/// </summary>
internal sealed class GrpcStatistics
{
    private const int Other = GrpcStatuses.Count;
    private const int Messages = Other + 1, Streams = Other + 2, MaxPerCall = Other + 3;

    private readonly StripedCounters _counts = new(MaxPerCall + 1);
    private readonly LatencyRecorder _first = new(StripedCounters.Stripes, singleWriterPerShard: false);
    private readonly LatencyRecorder _gap = new(StripedCounters.Stripes, singleWriterPerShard: false);

    public void Status(int worker, int code) => _counts.Increment(worker, (uint)code < GrpcStatuses.Count ? code : Other);

    /// <summary>A unary call's reply.</summary>
    public void Message(int worker) => _counts.Increment(worker, Messages);

    /// <summary>A streamed message: <paramref name="micros"/> since the call started (the first) or since the previous one.</summary>
    public void Streamed(int worker, bool first, long micros)
    {
        _counts.Increment(worker, Messages);
        (first ? _first : _gap).Record(StripedCounters.Stripe(worker), micros);
    }

    /// <summary>A server-streaming call ended after <paramref name="messages"/> messages.</summary>
    public void StreamEnded(int worker, long messages)
    {
        _counts.Increment(worker, Streams);
        _counts.Max(worker, MaxPerCall, messages);
    }

    public void Reset()
    {
        _counts.Clear();
        _first.Clear();
        _gap.Clear();
    }

    public GrpcFigures Figures(string method, string shape, int channels, bool streaming)
    {
        var statuses = new List<GrpcStatusCount>();
        for (var code = 0; code <= Other; code++)
        {
            var count = _counts.Sum(code);
            if (count > 0) statuses.Add(new GrpcStatusCount(code == Other ? "OTHER" : GrpcStatuses.Name((global::Grpc.Core.StatusCode)code), code, count));
        }
        var messages = _counts.Sum(Messages);
        var streams = _counts.Sum(Streams);
        var max = _counts.MaxOf(MaxPerCall);
        if (streaming)
        {
            _first.CollectInterval();
            _gap.CollectInterval();
        }
        return new GrpcFigures
        {
            Method = method,
            Shape = shape,
            Channels = channels,
            Statuses = statuses,
            MessagesReceived = messages,
            StreamsEnded = streaming ? streams : 0,
            MessagesPerCall = streaming && streams > 0 ? Math.Round((double)messages / streams, 2) : 0,
            MaxMessagesPerCall = streaming ? max : 0,
            FirstMessage = streaming ? Histograms.Summarize(_first.Total) : null,
            MessageGap = streaming ? Histograms.Summarize(_gap.Total) : null,
        };
    }
}
