using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// What gRPC operations count beyond their outcome: calls by final status, messages received, and for server
/// streaming the time to the first message and the gaps between messages. Striped by worker like HttpStatistics
/// (an uncontended interlocked add on a line of its own), summed when the scenario ends.
/// </summary>
internal sealed class GrpcStatistics
{
    private const int Stripes = 16;
    private const int Other = GrpcStatuses.Count;
    private const int Messages = Other + 1, Streams = Other + 2;
    // Each stripe on its own 64-byte lines, with padding.
    private const int Stride = 24;

    private readonly long[] _counts = new long[Stride * Stripes + 8];
    private readonly long[] _maxPerCall = new long[Stripes * 8];
    private readonly LatencyRecorder _first = new(Stripes, singleWriterPerShard: false);
    private readonly LatencyRecorder _gap = new(Stripes, singleWriterPerShard: false);

    private static int Base(int worker) => (worker & (Stripes - 1)) * Stride;

    public void Status(int worker, int code) => Interlocked.Increment(ref _counts[Base(worker) + ((uint)code < GrpcStatuses.Count ? code : Other)]);

    /// <summary>A unary call's reply.</summary>
    public void Message(int worker) => Interlocked.Increment(ref _counts[Base(worker) + Messages]);

    /// <summary>A streamed message: <paramref name="micros"/> since the call started (the first) or since the previous one.</summary>
    public void Streamed(int worker, bool first, long micros)
    {
        Interlocked.Increment(ref _counts[Base(worker) + Messages]);
        (first ? _first : _gap).Record(worker & (Stripes - 1), micros);
    }

    /// <summary>A server-streaming call ended after <paramref name="messages"/> messages.</summary>
    public void StreamEnded(int worker, long messages)
    {
        Interlocked.Increment(ref _counts[Base(worker) + Streams]);
        ref var max = ref _maxPerCall[(worker & (Stripes - 1)) * 8];
        long seen;
        while (messages > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, messages, seen) != seen)
        {
        }
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Array.Clear(_maxPerCall);
        foreach (var recorder in new[] { _first, _gap })
        {
            recorder.CollectInterval();
            recorder.Total.Reset();
        }
    }

    private long Sum(int slot)
    {
        long total = 0;
        for (var s = 0; s < Stripes; s++) total += Volatile.Read(ref _counts[s * Stride + slot]);
        return total;
    }

    public GrpcFigures Figures(string method, string shape, int channels, bool streaming)
    {
        var statuses = new List<GrpcStatusCount>();
        for (var code = 0; code <= Other; code++)
        {
            var count = Sum(code);
            if (count > 0) statuses.Add(new GrpcStatusCount(code == Other ? "OTHER" : GrpcStatuses.Name((global::Grpc.Core.StatusCode)code), code, count));
        }
        var messages = Sum(Messages);
        var streams = Sum(Streams);
        long max = 0;
        for (var s = 0; s < Stripes; s++) max = Math.Max(max, Volatile.Read(ref _maxPerCall[s * 8]));
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
