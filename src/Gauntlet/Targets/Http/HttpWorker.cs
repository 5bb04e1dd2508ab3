using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>One worker's state, kept in <see cref="OperationContext.WorkerState"/>: its connection and buffers.</summary>
internal sealed class HttpWorker(int feeders, long maxCheckedBody, RawHttpConnection? connection)
{
    public int[] Rows { get; } = new int[feeders];
    public RawHttpConnection? Connection { get; } = connection;
    public BodyBuffer Send { get; } = new(long.MaxValue);
    public BodyBuffer Body { get; } = new(long.MaxValue);
    public BodyBuffer Received { get; } = new(maxCheckedBody);
    public byte[] Scratch => _scratch ??= new byte[16 * 1024];

    /// <summary>The event-stream parser of a worker whose responses are read as Server-Sent Events.</summary>
    public SseParser Sse => _sse ??= new SseParser();

    private byte[]? _scratch;
    private SseParser? _sse;
}
