using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Gauntlet.Sockets;

/// <summary>
/// A non-blocking TCP client socket whose readiness a <see cref="SocketReactor"/> reports, used by the load
/// generators' connections (raw HTTP/1.1, TCP): sends and receives are plain calls that never block, and a caller
/// that finds nothing to read (or no room to write) awaits the next readiness event. One caller at a time; the
/// reactor's thread runs its continuation.
/// </summary>
/// <remarks>
/// Waiting is race-free without a lock: the caller reads <see cref="ReadSequence"/> before it tries, the reactor
/// bumps it on every event, and a wait for a sequence that has already moved completes at once. Both sides publish
/// with an interlocked operation (a full fence), so either the waiter sees the new sequence or the reactor sees the
/// waiter; exactly one of them completes the wait.
/// </remarks>
internal sealed class ReactorSocket : IValueTaskSource, IDisposable
{
    private const int NotWaiting = 0;
    private const int WaitingToRead = 1;
    private const int WaitingToWrite = 2;

    private readonly Socket _socket;
    private readonly SocketReactor _reactor;
    private readonly nint _fd;
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _reads;
    private int _writes;
    private int _waiting;
    private int _seen;
    private CancellationToken _token;
    private int _disposed;

    // The read sequence before the last receive, when that receive left the socket empty (it returned less than it
    // could take, or nothing yet): while the sequence has not moved since, a receive would find nothing.
    private bool _drained;
    private int _drainedAt;

    // The peer ended its side or the connection failed (RDHUP, HUP, ERR): set before the event is counted. A short
    // receive proves no bytes are left, not that no end of stream is: data and FIN often come in one event.
    private volatile bool _hungUp;

    private ReactorSocket(Socket socket, SocketReactor reactor)
    {
        _socket = socket;
        _reactor = reactor;
        _fd = socket.Handle;
        // The continuation runs on the reactor's thread: that is the point (no thread hop per response).
        _core.RunContinuationsAsynchronously = false;
        reactor.Register(this, _fd);
    }

    /// <summary>The reactor's slot for this socket, and which registration of that slot it is.</summary>
    internal int Slot { get; set; }

    internal uint Generation { get; set; }

    /// <summary>Readiness events for reading so far; read it before a receive, and wait for it to move.</summary>
    public int ReadSequence => Volatile.Read(ref _reads);

    /// <summary>Readiness events for writing so far; read it before a send, and wait for it to move.</summary>
    public int WriteSequence => Volatile.Read(ref _writes);

    /// <summary>
    /// Opens a connection to <paramref name="endpoint"/>; <paramref name="token"/> bounds the wait (a connect timeout is
    /// a token cancelled after it, and it is noticed within <see cref="SocketReactor.SweepMs"/> ms).
    /// <paramref name="prepare"/> sees the socket before it connects (to bind a source address).
    /// </summary>
    public static async ValueTask<ReactorSocket> ConnectAsync(IPEndPoint endpoint, CancellationToken token, Action<Socket>? prepare = null)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var pending = false;
        try
        {
            prepare?.Invoke(socket);
            socket.Blocking = false;
            socket.Connect(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            pending = true;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        // Registered after connect() so that the first writable event is the connection's, not an unconnected socket's.
        ReactorSocket connection;
        try
        {
            connection = new ReactorSocket(socket, SocketReactor.Next());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        try
        {
            if (pending) await connection.WaitWritableAsync(0, token).ConfigureAwait(false);
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success) throw new SocketException((int)error);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sends what the kernel takes now: bytes sent, 0 when its buffer is full (wait to write).</summary>
    public int Send(ReadOnlySpan<byte> data)
    {
        var sent = _socket.Send(data, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => throw new SocketException((int)error),
        };
    }

    /// <summary>
    /// Receives what has arrived: bytes read, 0 when the peer closed the connection, -1 when nothing is there yet
    /// (wait to read). A socket known to be empty (<see cref="WasDrainedAt"/> the current sequence) answers -1
    /// without a system call: after a request on a quiet connection the reply can only come with a new event, and a
    /// receive before it is a wasted call per request.
    /// </summary>
    public int Receive(Span<byte> into)
    {
        var before = Volatile.Read(ref _reads);
        if (WasDrainedAt(before)) return -1;
        var read = _socket.Receive(into, SocketFlags.None, out var error);
        switch (error)
        {
            case SocketError.Success:
                // The end of the stream is sticky (a receive returns 0 again at once), so it never counts as drained.
                _drained = read > 0 && read < into.Length;
                _drainedAt = before;
                return read;
            case SocketError.WouldBlock:
                _drained = true;
                _drainedAt = before;
                return -1;
            default:
                _drained = false;
                throw new SocketException((int)error);
        }
    }

    /// <summary>
    /// True when a receive would find nothing as of <paramref name="seen"/> (a <see cref="ReadSequence"/>): the last
    /// receive emptied the socket and no event has come since. Bytes or the end of the stream that arrive, even while
    /// the connection is idle, come with an event that moves the sequence, so this never hides them.
    /// </summary>
    public bool WasDrainedAt(int seen) => _drained && _drainedAt == seen && !_hungUp;

    /// <summary>Sends all of <paramref name="data"/>, waiting for room when the kernel's buffer is full.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            var seen = WriteSequence;
            var sent = Send(data.Span);
            if (sent == 0) await WaitWritableAsync(seen, token).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Receives what has arrived, waiting for it when nothing has: bytes read, 0 when the peer closed the connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> into, CancellationToken token)
    {
        while (true)
        {
            var seen = ReadSequence;
            var read = Receive(into.Span);
            if (read >= 0) return read;
            await WaitReadableAsync(seen, token).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when <see cref="ReadSequence"/> has moved past <paramref name="seen"/>.</summary>
    public ValueTask WaitReadableAsync(int seen, CancellationToken token) => Wait(WaitingToRead, ref _reads, seen, token);

    /// <summary>Completes when <see cref="WriteSequence"/> has moved past <paramref name="seen"/>.</summary>
    public ValueTask WaitWritableAsync(int seen, CancellationToken token) => Wait(WaitingToWrite, ref _writes, seen, token);

    private ValueTask Wait(int kind, ref int sequence, int seen, CancellationToken token)
    {
        if (Volatile.Read(ref sequence) != seen) return default;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        token.ThrowIfCancellationRequested();
        _core.Reset();
        _token = token;
        _seen = seen;
        Interlocked.Exchange(ref _waiting, kind);
        // The event may have come between the first look and the exchange: take the wait back if nobody completed it.
        if (Volatile.Read(ref sequence) != seen && Interlocked.CompareExchange(ref _waiting, NotWaiting, kind) == kind) return default;
        // So may a close on another thread, which no longer sweeps or wakes this socket once it has looked at _waiting.
        if (Volatile.Read(ref _disposed) != 0 && Interlocked.CompareExchange(ref _waiting, NotWaiting, kind) == kind)
            throw new ObjectDisposedException(nameof(ReactorSocket), "the connection was closed while waiting for it");
        return new ValueTask(this, _core.Version);
    }

    /// <summary>The reactor's call for an event: bump the sequences, and wake the waiter whose sequence moved.</summary>
    internal void OnReady(bool readable, bool writable, bool hungUp)
    {
        if (hungUp) _hungUp = true;
        if (readable) Interlocked.Increment(ref _reads);
        if (writable) Interlocked.Increment(ref _writes);
        var waiting = Volatile.Read(ref _waiting);
        if (waiting == NotWaiting) return;
        var moved = waiting == WaitingToRead ? Volatile.Read(ref _reads) != _seen : Volatile.Read(ref _writes) != _seen;
        if (moved && Interlocked.CompareExchange(ref _waiting, NotWaiting, waiting) == waiting) _core.SetResult(true);
    }

    /// <summary>The reactor's sweep: ends a wait whose token was cancelled.</summary>
    internal void WakeIfCancelled()
    {
        var waiting = Volatile.Read(ref _waiting);
        if (waiting == NotWaiting || !_token.IsCancellationRequested) return;
        if (Interlocked.CompareExchange(ref _waiting, NotWaiting, waiting) == waiting) _core.SetException(new OperationCanceledException(_token));
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Takes the socket out of the reactor and closes it; a waiter gets <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _reactor.Unregister(this, _fd);
        var waiting = Volatile.Read(ref _waiting);
        if (waiting != NotWaiting && Interlocked.CompareExchange(ref _waiting, NotWaiting, waiting) == waiting)
        {
            // On the pool: the waiter's continuation is a worker's loop, which must not run on whoever closes.
            ThreadPool.UnsafeQueueUserWorkItem(static self => self._core.SetException(
                new ObjectDisposedException(nameof(ReactorSocket), "the connection was closed while waiting for it")), this, preferLocal: false);
        }
        _socket.Dispose();
    }
}
