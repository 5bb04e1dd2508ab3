namespace Gauntlet.Results;

/// <summary>What gRPC operations saw: the method, calls by final status, and for server streaming the messages.</summary>
public sealed record GrpcFigures
{
    /// <summary>The method called: <c>package.Service/Method</c>.</summary>
    public required string Method { get; init; }

    /// <summary><c>unary</c> or <c>server streaming</c>.</summary>
    public required string Shape { get; init; }

    /// <summary>HTTP/2 channels the workers shared (each may open more connections when its streams run out).</summary>
    public int Channels { get; init; }

    /// <summary>Calls by the status they ended with, lowest code first (calls cut off before a status are not here).</summary>
    public IReadOnlyList<GrpcStatusCount> Statuses { get; init; } = [];

    /// <summary>Response messages received, over all calls.</summary>
    public long MessagesReceived { get; init; }

    /// <summary>Server streaming: calls that ended (with any status), whose messages <see cref="MessagesPerCall"/> averages.</summary>
    public long StreamsEnded { get; init; }

    /// <summary>Server streaming: messages per ended call, on average.</summary>
    public double MessagesPerCall { get; init; }

    /// <summary>Server streaming: the most messages one call received.</summary>
    public long MaxMessagesPerCall { get; init; }

    /// <summary>Server streaming: from the call's start to its first message (microseconds); null for unary methods.</summary>
    public LatencySummary? FirstMessage { get; init; }

    /// <summary>Server streaming: between one message and the next of the same call (microseconds); null for unary methods.</summary>
    public LatencySummary? MessageGap { get; init; }
}

/// <summary>How many calls ended with one gRPC status.</summary>
/// <param name="Status">Its name: <c>OK</c>, <c>DEADLINE_EXCEEDED</c>, ...</param>
/// <param name="Code">Its number, 0 to 16.</param>
/// <param name="Count">Calls.</param>
public sealed record GrpcStatusCount(string Status, int Code, long Count);
