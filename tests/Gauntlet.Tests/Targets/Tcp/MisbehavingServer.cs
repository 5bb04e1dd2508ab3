using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gauntlet.Tests.Targets.Tcp;

/// <summary>How <see cref="MisbehavingServer"/> treats each connection.</summary>
public enum Misbehaviour
{
    /// <summary>Ends its side of each connection as soon as it is accepted (closed_early).</summary>
    CloseAtOnce,
    /// <summary>Reads the request, sends back half of it, closes (short_read).</summary>
    HalfReply,
    /// <summary>Reads the request, then resets the connection (reset).</summary>
    Reset,
    /// <summary>Reads the request and never answers (read_timeout).</summary>
    Silent,
    /// <summary>Answers each request with the same bytes, each one plus 1 (wrong_reply against echo).</summary>
    Garble,
    /// <summary>Answers each request with <see cref="MisbehavingServer.FixedReply"/>.</summary>
    Fixed,
}

/// <summary>
/// A loopback TCP server that gets replies wrong on purpose, one way per instance, to provoke each error class of
/// the TCP operation. It also records the address every connection came from. Disposing it closes every socket.
/// </summary>
internal sealed class MisbehavingServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Misbehaviour _mode;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _accepting;

    public MisbehavingServer(Misbehaviour mode, byte[]? fixedReply = null)
    {
        _mode = mode;
        FixedReply = fixedReply ?? "+PONG\r\n"u8.ToArray();
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1024);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _accepting = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint { get; }
    public byte[] FixedReply { get; }
    public ConcurrentBag<IPAddress> Peers { get; } = [];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Peers.Add(((IPEndPoint)socket.RemoteEndPoint!).Address);
            _open[socket] = 0;
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            if (_mode == Misbehaviour.CloseAtOnce)
            {
                // A FIN, then drain what the client sends, so it reads an orderly end rather than a reset.
                socket.Shutdown(SocketShutdown.Send);
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0) { }
                return;
            }
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0) return;
                switch (_mode)
                {
                    case Misbehaviour.HalfReply:
                        await socket.SendAsync(buffer.AsMemory(0, Math.Max(1, n / 2)), SocketFlags.None, _stop.Token);
                        return;
                    case Misbehaviour.Reset:
                        socket.LingerState = new LingerOption(true, 0);
                        return;
                    case Misbehaviour.Silent:
                        continue;
                    case Misbehaviour.Garble:
                        for (var i = 0; i < n; i++) buffer[i]++;
                        await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                        break;
                    case Misbehaviour.Fixed:
                        await socket.SendAsync(FixedReply, SocketFlags.None, _stop.Token);
                        break;
                    case Misbehaviour.CloseAtOnce:
                        return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _open.TryRemove(socket, out _);
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var socket in _open.Keys) socket.Dispose();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
