using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// Gauntlet's built-in TCP echo server: every byte received is sent back on the same connection. It holds no buffer
/// while a connection is idle (it waits with a zero-byte read and rents a buffer only to copy what arrived), so ten
/// thousand idle connections cost little more than their sockets. Used by <c>gauntlet serve echo</c>, by
/// <c>target: builtin:echo</c> and by the demo.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    /// <summary>Listen backlog asked for; the kernel caps it at net.core.somaxconn.</summary>
    public const int Backlog = 8192;

    /// <summary>How long <see cref="DisposeAsync"/> waits for connection loops to end after closing their sockets.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private const int ChunkBytes = 16 * 1024;
    private const int AcceptLoops = 2;

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task[] _acceptLoops;
    private long _accepted;
    private long _bytes;

    private EchoServer(Socket listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoops = new Task[AcceptLoops];
        for (var i = 0; i < AcceptLoops; i++) _acceptLoops[i] = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The address it listens on (the actual port when started on port 0).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Connections accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections open now.</summary>
    public int Open => _connections.Count;

    /// <summary>Bytes echoed so far.</summary>
    public long BytesEchoed => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Starts listening on <paramref name="endpoint"/>; throws <see cref="SocketException"/> when it cannot bind, with
    /// the message "127.0.0.1:7000 is already in use" (<see cref="SocketError.AddressAlreadyInUse"/>) when another
    /// socket listens there: the port is never shared.
    /// </summary>
    public static EchoServer Start(IPEndPoint endpoint) => new(Sockets.ListeningSocket.Open(endpoint, Backlog));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a connection reset before it was accepted, or descriptors ran out: keep serving the others
            }
            Interlocked.Increment(ref _accepted);
            connection.NoDelay = true;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[connection] = gate.Task;
            // Started even when stopping: its token is then cancelled, so it closes the socket at once.
            _ = EchoAsync(connection, gate);
        }
    }

    private async Task EchoAsync(Socket connection, TaskCompletionSource done)
    {
        try
        {
            while (true)
            {
                // Wait without a buffer; the data then sits in the kernel until there is one.
                await connection.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                try
                {
                    var n = await connection.ReceiveAsync(chunk.AsMemory(), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    await connection.SendAsync(chunk.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    Interlocked.Add(ref _bytes, n);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client reset or the server is stopping: either way this connection is over.
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
            done.TrySetResult();
        }
    }

    /// <summary>Stops accepting, closes every connection and waits (bounded by <see cref="StopTimeout"/>) for their loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Dispose();
        var pending = new List<Task>(_acceptLoops);
        foreach (var (socket, loop) in _connections)
        {
            socket.Dispose();
            pending.Add(loop);
        }
        try
        {
            await Task.WhenAll(pending).WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Every socket is already closed; a loop that has not noticed yet holds nothing.
        }
    }
}
