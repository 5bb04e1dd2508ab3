using System.Net.WebSockets;

namespace Gauntlet.Targets.WebSocket;

/// <summary>One worker's connection, buffers, feeder rows and timer, reused for every message it sends.</summary>
internal sealed class WebSocketWorker(int feeders, int receiveBuffer)
{
    /// <summary>The timer of every wait of this worker's operations.</summary>
    public readonly OperationTimer Timer = new();

    public ClientWebSocket? Socket;

    /// <summary>A text message rendered from its template (a binary message is sent from its own bytes).</summary>
    public byte[] Send = new byte[256];

    /// <summary>The reply; grown up to the longest reply allowed when one does not fit.</summary>
    public byte[] Receive = new byte[receiveBuffer];

    /// <summary>The exact reply expected, rendered from its template.</summary>
    public byte[] Expected = new byte[256];

    /// <summary>The row drawn from each feeder for the current operation.</summary>
    public readonly int[] Rows = new int[feeders];

    /// <summary>Bytes of the current reply received so far.</summary>
    public int Received;

    /// <summary>Drops the connection without a closing handshake (after an error, or when the load ends).</summary>
    public void Close()
    {
        var socket = Interlocked.Exchange(ref Socket, null);
        if (socket is null) return;
        socket.Abort();
        socket.Dispose();
    }
}
