using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gauntlet.Targets.Http;
using Gauntlet.Sockets;

namespace Gauntlet.Tests.Sockets;

/// <summary>
/// The raw engine's socket: readiness waits that neither miss an event nor hang, cancellation noticed by the
/// reactor's sweep, a close that wakes the waiter, refused connections, and slots reused by many sockets.
/// </summary>
public sealed class ReactorSocketTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_wait_before_the_peer_writes_wakes_when_it_does()
    {
        using var listener = Listen(out var endpoint);
        using var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
        using var peer = await listener.AcceptAsync();

        var buffer = new byte[16];
        var seen = socket.ReadSequence;
        Assert.Equal(-1, socket.Receive(buffer)); // nothing there yet: the caller is told to wait
        var wait = socket.WaitReadableAsync(seen, CancellationToken.None).AsTask();
        // Not a wait for an event: a window in which a spurious wake-up would show (a correct wait never completes here).
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);

        peer.Send("hello"u8);
        await wait.WaitAsync(Bound);
        Assert.Equal(5, socket.Receive(buffer));
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);
    }

    [Fact]
    public async Task Many_short_exchanges_never_miss_an_event()
    {
        using var listener = Listen(out var endpoint);
        var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
        using var peer = await listener.AcceptAsync();
        var echo = Task.Run(() =>
        {
            var buffer = new byte[64];
            int read;
            while ((read = peer.Receive(buffer)) > 0) peer.Send(buffer.AsSpan(0, read));
        });

        var received = new byte[64];
        for (var i = 0; i < 2_000; i++)
        {
            var seen = socket.ReadSequence;
            Assert.Equal(4, socket.Send(BitConverter.GetBytes(i)));
            var got = 0;
            while (got < 4)
            {
                await socket.WaitReadableAsync(seen, CancellationToken.None).AsTask().WaitAsync(Bound);
                seen = socket.ReadSequence;
                var read = socket.Receive(received.AsSpan(got));
                Assert.NotEqual(0, read);
                if (read > 0) got += read;
            }
            Assert.Equal(i, BitConverter.ToInt32(received));
        }
        socket.Dispose(); // the echo loop reads the end of the stream and returns
        await echo.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_cancelled_wait_ends_within_the_sweep()
    {
        using var listener = Listen(out var endpoint);
        using var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
        using var peer = await listener.AcceptAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.WaitReadableAsync(socket.ReadSequence, cancel.Token).AsTask().WaitAsync(Bound));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(90), $"ended after {clock.Elapsed.TotalMilliseconds:F0} ms, before its token was cancelled");

        // The socket is still usable after a cancelled wait.
        peer.Send("x"u8);
        await WaitForBytes(socket, 1);
    }

    [Fact]
    public async Task Closing_the_socket_wakes_its_waiter()
    {
        using var listener = Listen(out var endpoint);
        var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
        using var peer = await listener.AcceptAsync();

        var wait = socket.WaitReadableAsync(socket.ReadSequence, CancellationToken.None).AsTask();
        socket.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(Bound));
        Assert.Throws<ObjectDisposedException>(() => { _ = socket.WaitReadableAsync(socket.ReadSequence, CancellationToken.None); });
    }

    [Fact]
    public async Task A_close_racing_a_new_wait_never_leaves_the_waiter_hanging()
    {
        using var listener = Listen(out var endpoint);
        for (var i = 0; i < 200; i++)
        {
            var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
            using var peer = await listener.AcceptAsync();
            using var start = new Barrier(2);
            var wait = Task.Run(async () =>
            {
                start.SignalAndWait();
                await socket.WaitReadableAsync(socket.ReadSequence, CancellationToken.None);
            });
            var close = Task.Run(() =>
            {
                start.SignalAndWait();
                socket.Dispose();
            });
            await close.WaitAsync(Bound);
            // Either the wait saw the close before it began, or the close woke it: it ends, and says why.
            await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(Bound));
        }
    }

    [Fact]
    public async Task A_peer_that_closes_wakes_the_reader_with_end_of_stream()
    {
        using var listener = Listen(out var endpoint);
        using var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
        var peer = await listener.AcceptAsync();

        var seen = socket.ReadSequence;
        var wait = socket.WaitReadableAsync(seen, CancellationToken.None).AsTask();
        peer.Dispose();
        await wait.WaitAsync(Bound);
        Assert.Equal(0, socket.Receive(new byte[8]));
    }

    [Fact]
    public async Task A_socket_is_known_empty_only_between_a_receive_that_emptied_it_and_the_next_event()
    {
        using var listener = Listen(out var endpoint);
        using var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
        using var peer = await listener.AcceptAsync();
        Assert.False(socket.WasDrainedAt(socket.ReadSequence)); // nothing read yet: a server may have spoken first

        var seen = socket.ReadSequence;
        peer.Send("ab"u8);
        await socket.WaitReadableAsync(seen, CancellationToken.None).AsTask().WaitAsync(Bound);
        Assert.Equal(2, socket.Receive(new byte[64]));
        Assert.True(socket.WasDrainedAt(socket.ReadSequence)); // the receive took less than it could: empty now

        // The peer ends its side while the connection is idle: its event moves the sequence, so the next exchange
        // must receive first (and find the end of the stream) rather than wait for an event that will not come.
        var idle = socket.ReadSequence;
        peer.Shutdown(SocketShutdown.Send);
        await socket.WaitReadableAsync(idle, CancellationToken.None).AsTask().WaitAsync(Bound);
        Assert.NotEqual(idle, socket.ReadSequence);
        Assert.False(socket.WasDrainedAt(socket.ReadSequence));
        Assert.Equal(0, socket.Receive(new byte[8]));
    }

    [Fact]
    public async Task The_end_of_stream_behind_the_last_bytes_is_not_taken_for_an_empty_socket()
    {
        using var listener = Listen(out var endpoint);
        using var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
        using var peer = await listener.AcceptAsync();
        var seen = socket.ReadSequence;

        // A short reply and the peer's end of stream, both there before the first receive (a half reply, a close).
        peer.Send("ab"u8);
        peer.Shutdown(SocketShutdown.Send);
        await socket.WaitReadableAsync(seen, CancellationToken.None).AsTask().WaitAsync(Bound);
        // The event may have announced the bytes alone: wait until the kernel has the end of stream too.
        await WaitForPeerEnd((IPEndPoint)peer.RemoteEndPoint!);

        Assert.Equal(2, socket.Receive(new byte[64]));
        // The receive took less than it could, yet the socket is not empty: its end of stream no new event will announce.
        Assert.False(socket.WasDrainedAt(socket.ReadSequence));
        Assert.Equal(0, await socket.ReceiveAsync(new byte[64], CancellationToken.None).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task Connecting_where_nothing_listens_is_refused()
    {
        int port;
        using (var probe = Listen(out var closed)) port = closed.Port;
        var error = await Assert.ThrowsAsync<SocketException>(() => ReactorSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None).AsTask().WaitAsync(Bound));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal("refused", HttpErrors.Classify(error).Kind);
    }

    [Fact]
    public async Task Slots_reused_by_many_sockets_deliver_each_socket_its_own_events()
    {
        using var listener = Listen(out var endpoint);
        // More sockets than the reactors' first slot tables hold, opened and closed in waves so that slots are reused.
        for (var wave = 0; wave < 3; wave++)
        {
            var pairs = new List<(ReactorSocket Socket, Socket Peer)>();
            for (var i = 0; i < 100; i++)
            {
                var socket = await ReactorSocket.ConnectAsync(endpoint, CancellationToken.None);
                pairs.Add((socket, await listener.AcceptAsync()));
            }
            var waits = pairs.Select(p => p.Socket.WaitReadableAsync(p.Socket.ReadSequence, CancellationToken.None).AsTask()).ToList();
            for (var i = 0; i < pairs.Count; i += 2) pairs[i].Peer.Send([(byte)i]);
            await Task.WhenAll(waits.Where((_, i) => i % 2 == 0)).WaitAsync(Bound);
            // A window for a misrouted event to show, not a wait: a correct reactor never wakes the odd ones.
            await Task.Delay(50);
            // Nobody wrote to the odd ones: an event of another socket (or of a closed one in the same slot) would have woken them.
            Assert.All(waits.Where((_, i) => i % 2 == 1), wait => Assert.False(wait.IsCompleted));
            foreach (var (socket, peer) in pairs)
            {
                socket.Dispose();
                peer.Dispose();
            }
            await Task.WhenAll(waits.Select(w => w.ContinueWith(_ => { }))).WaitAsync(Bound);
        }
    }

    private static async Task WaitForBytes(ReactorSocket socket, int count)
    {
        var buffer = new byte[count];
        var got = 0;
        while (got < count)
        {
            var seen = socket.ReadSequence;
            var read = socket.Receive(buffer.AsSpan(got));
            Assert.NotEqual(0, read);
            if (read > 0) got += read;
            else await socket.WaitReadableAsync(seen, CancellationToken.None).AsTask().WaitAsync(Bound);
        }
    }

    /// <summary>
    /// Waits (bounded) until the kernel has received the peer's end of stream on the connection whose local end is
    /// <paramref name="local"/>: its state in <c>/proc/net/tcp</c> turns CLOSE_WAIT (08).
    /// </summary>
    private static async Task WaitForPeerEnd(IPEndPoint local)
    {
        var key = $"{BitConverter.ToUInt32(local.Address.GetAddressBytes()):X8}:{local.Port:X4}";
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Bound)
        {
            foreach (var line in File.ReadLines("/proc/net/tcp"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[1] == key && fields[3] == "08") return;
            }
            await Task.Delay(1);
        }
        Assert.Fail($"the peer's end of stream did not reach {local} within {Bound}");
    }

    private static Socket Listen(out IPEndPoint endpoint)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        endpoint = (IPEndPoint)listener.LocalEndPoint!;
        return listener;
    }
}
