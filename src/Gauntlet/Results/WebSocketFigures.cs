namespace Gauntlet.Results;

/// <summary>
/// What WebSocket operations saw: connections and how long opening them took, messages sent, answered and lost, and
/// bytes. The accounting balances: <see cref="MessagesSent"/> = <see cref="MessagesReceived"/> + <see cref="MessagesLost"/>
/// when replies are expected (with <c>expect: none</c> nothing is read, and both are 0).
/// </summary>
public sealed record WebSocketFigures
{
    /// <summary>Connections opened (the TCP connect and the upgrade both succeeded).</summary>
    public long ConnectionsOpened { get; init; }
    /// <summary>Connections the server closed (a close frame) or dropped (no close frame) while they were in use.</summary>
    public long ServerCloses { get; init; }
    /// <summary>How long opening a connection took (TCP connect and the HTTP upgrade), microseconds, with its histogram so results merge exactly; null when none was opened.</summary>
    public LatencySummary? ConnectTime { get; init; }
    /// <summary>Messages sent in full.</summary>
    public long MessagesSent { get; init; }
    /// <summary>Replies received in full (right or wrong).</summary>
    public long MessagesReceived { get; init; }
    /// <summary>Messages sent whose reply never came: the read timeout, the operation's timeout, the end of the run, or the connection closing first.</summary>
    public long MessagesLost { get; init; }
    /// <summary>Payload bytes sent (the messages, without frame headers).</summary>
    public long BytesOut { get; init; }
    /// <summary>Payload bytes received (the replies, without frame headers).</summary>
    public long BytesIn { get; init; }
    /// <summary>Payload bytes received per second over the scenario's duration.</summary>
    public double BytesInPerSecond { get; init; }
    /// <summary>Payload bytes sent per second over the scenario's duration.</summary>
    public double BytesOutPerSecond { get; init; }
}
