using System.Net;
using System.Net.Sockets;
using Gauntlet.Sockets;

namespace Gauntlet.Targets.Tcp;

/// <summary>One worker's connection, buffers and timer, reused for every operation it runs.</summary>
internal sealed class TcpWorker(byte[] send, byte[] receive, IPEndPoint? source)
{
    /// <summary>The timer of every wait of this worker's operations.</summary>
    public readonly OperationTimer Timer = new();

    public ReactorSocket? Socket;
    public readonly byte[] Send = send;
    public readonly byte[] Receive = receive;

    /// <summary>Binds a new socket to the worker's source address, if it has one.</summary>
    public readonly Action<Socket>? Bind = source is null ? null : socket => SourceAddresses.Bind(socket, source);
    public char[]? Chars;
    public int Received;

    public void Close()
    {
        var socket = Interlocked.Exchange(ref Socket, null);
        socket?.Dispose();
    }
}
