using System.Net;
using System.Net.Sockets;
using Gauntlet.Sockets;

namespace Gauntlet.Targets.Tcp;

/// <summary>One worker's connection, buffers and timer, reused for every operation it runs.</summary>
internal sealed class TcpWorker(byte[] send, byte[] receive, IPEndPoint? source)
{
    private CancellationTokenSource _timer = new();
    private readonly Lock _lock = new();

    public ReactorSocket? Socket;
    public readonly byte[] Send = send;
    public readonly byte[] Receive = receive;

    /// <summary>Binds a new socket to the worker's source address, if it has one.</summary>
    public readonly Action<Socket>? Bind = source is null ? null : socket => SourceAddresses.Bind(socket, source);
    public char[]? Chars;
    public int Received;

    public CancellationToken Token => _timer.Token;

    /// <summary>(Re)starts the timer: the next wait ends after <paramref name="milliseconds"/>.</summary>
    public void Arm(long milliseconds) => _timer.CancelAfter(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Stops the timer; a fired one cannot be reused, so it is replaced (only after a timeout).</summary>
    public void Disarm()
    {
        if (_timer.TryReset()) return;
        lock (_lock)
        {
            _timer.Dispose();
            _timer = new CancellationTokenSource();
        }
    }

    /// <summary>The engine cut the operation off (its timeout, or the end of the scenario).</summary>
    public void Abort()
    {
        lock (_lock) _timer.Cancel();
    }

    public void Close()
    {
        var socket = Interlocked.Exchange(ref Socket, null);
        socket?.Dispose();
    }
}
