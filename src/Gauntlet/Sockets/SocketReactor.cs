using System.Diagnostics;
using System.Runtime.InteropServices;
using Gauntlet.Native;

namespace Gauntlet.Sockets;

/// <summary>
/// A thread with an epoll set that tells <see cref="ReactorSocket"/>s when they may read or write, as wrk's event
/// loop does; the raw HTTP engine's and the TCP target's connections use it. Written for the load generator's hot path: .NET's socket engine tries every receive once before
/// waiting (a failed recv per request), queues each operation behind a lock and captures an execution context; here a
/// socket is registered once, edge-triggered, and a readiness event costs an atomic increment and, when a worker
/// waits, the worker's continuation, which runs on this thread. The operations of every connection of a reactor
/// therefore run one after another on one core, as in wrk; a machine with more cores gets more reactors.
/// </summary>
/// <remarks>
/// An event only says "look again": a socket that wakes and finds nothing waits again, so a stale or spurious event
/// costs a failed recv and nothing else. Cancellation is noticed by a sweep every <see cref="SweepMs"/> ms rather
/// than by a registration per wait, which would cost more than the rest of the wait.
/// </remarks>
internal sealed unsafe class SocketReactor
{
    /// <summary>How often waiting sockets are checked for a cancelled token (ms): the lag of a timeout.</summary>
    public const int SweepMs = 10;

    /// <summary>Events taken per epoll_wait.</summary>
    private const int EventsPerWait = 256;

    /// <summary>Bits of the epoll data that hold the slot; the rest is the slot's generation.</summary>
    private const int SlotBits = 32;

    private const uint EPOLLRDHUP = 0x2000;
    private const uint EPOLLET = 0x80000000;

    private static readonly Lazy<SocketReactor[]> Reactors = new(() =>
    {
        var reactors = new SocketReactor[Count];
        for (var i = 0; i < reactors.Length; i++) reactors[i] = new SocketReactor(i);
        return reactors;
    });

    private static int _nextReactor = -1;

    /// <summary>
    /// How many reactors the process runs: one per two cores, because a load generator on the same machine as its
    /// target leaves the other half to the target. <c>GAUNTLET_SOCKET_THREADS</c> sets another number.
    /// </summary>
    public static int Count { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("GAUNTLET_SOCKET_THREADS"), out var threads) && threads is > 0 and <= 256
            ? threads
            : Math.Max(1, (Environment.ProcessorCount + 1) / 2);

    /// <summary>Whether this platform has the reactor (epoll: Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The next reactor, round robin, so that connections spread over them.</summary>
    public static SocketReactor Next()
    {
        var reactors = Reactors.Value;
        return reactors[(int)((uint)Interlocked.Increment(ref _nextReactor) % (uint)reactors.Length)];
    }

    private readonly int _epoll;
    private readonly Lock _slotsLock = new();
    private readonly Stack<int> _freeSlots = new();
    private ReactorSocket?[] _slots = new ReactorSocket?[64];
    private int _nextSlot;
    private uint _registrations;

    private SocketReactor(int index)
    {
        _epoll = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (_epoll < 0) throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        new Thread(Run, maxStackSize: 1024 * 1024) { IsBackground = true, Name = $"gauntlet-sockets-{index}" }.Start();
    }

    /// <summary>Adds <paramref name="socket"/>'s descriptor to the epoll set, edge-triggered for reading and writing.</summary>
    public void Register(ReactorSocket socket, nint fd)
    {
        int slot;
        uint generation;
        lock (_slotsLock)
        {
            if (_freeSlots.Count > 0) slot = _freeSlots.Pop();
            else
            {
                if (_nextSlot == _slots.Length)
                {
                    // Copied, not resized in place: the reactor may be reading the old array, which stays valid.
                    var slots = new ReactorSocket?[_slots.Length * 2];
                    Array.Copy(_slots, slots, _slots.Length);
                    Volatile.Write(ref _slots, slots);
                }
                slot = _nextSlot++;
            }
            generation = ++_registrations;
            socket.Slot = slot;
            socket.Generation = generation;
            _slots[slot] = socket;
        }
        var ev = stackalloc byte[16];
        *(uint*)ev = Libc.EPOLLIN | Libc.EPOLLOUT | EPOLLRDHUP | EPOLLET;
        *(ulong*)(ev + Libc.EpollDataOffset) = (ulong)generation << SlotBits | (uint)slot;
        if (Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_ADD, (int)fd, ev) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Release(slot);
            throw new IOException($"epoll_ctl(ADD) failed: errno {errno}");
        }
    }

    /// <summary>Takes the descriptor out of the epoll set (before it is closed); events already taken become no-ops.</summary>
    public void Unregister(ReactorSocket socket, nint fd)
    {
        var ev = stackalloc byte[16];
        Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_DEL, (int)fd, ev);
        Release(socket.Slot);
    }

    private void Release(int slot)
    {
        lock (_slotsLock)
        {
            _slots[slot] = null;
            _freeSlots.Push(slot);
        }
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(EventsPerWait * Libc.EpollEventSize));
        var nextSweep = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                Turn(events, ref nextSweep);
            }
            catch (Exception e)
            {
                // The reactor must outlive any failure: every connection on it would otherwise wait forever.
                Trace.TraceError($"gauntlet: the socket reactor failed and goes on: {e}");
                Thread.Sleep(SweepMs);
            }
        }
    }

    /// <summary>One wait for events, their dispatch, and the cancellation sweep when it is due.</summary>
    private void Turn(byte* events, ref long nextSweep)
    {
        var ready = Libc.EpollWait(_epoll, events, EventsPerWait, SweepMs);
        if (ready < 0 && Marshal.GetLastPInvokeError() != Libc.EINTR) Thread.Sleep(SweepMs); // cannot happen with a valid set; never spin
        for (var i = 0; i < ready; i++)
        {
            var at = events + i * Libc.EpollEventSize;
            var flags = *(uint*)at;
            var data = *(ulong*)(at + Libc.EpollDataOffset);
            var slot = (int)(uint)data;
            var slots = Volatile.Read(ref _slots);
            // A socket closed (and its slot reused) after epoll_wait returned: the event is not the new socket's.
            if (slot >= slots.Length || slots[slot] is not { } socket || socket.Generation != (uint)(data >> SlotBits)) continue;
            Dispatch(socket, flags);
        }
        var now = Stopwatch.GetTimestamp();
        if (now < nextSweep) return;
        // A pending connect (a full accept queue drops its SYN) has no event at all: only the sweep ends its wait,
        // so the reactor never sleeps longer than this, even with nothing to do.
        nextSweep = now + Stopwatch.Frequency * SweepMs / 1000;
        var all = Volatile.Read(ref _slots);
        for (var slot = 0; slot < all.Length; slot++) all[slot]?.WakeIfCancelled();
    }

    private static void Dispatch(ReactorSocket socket, uint flags)
    {
        try
        {
            socket.OnReady(
                readable: (flags & (Libc.EPOLLIN | EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0,
                writable: (flags & (Libc.EPOLLOUT | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0,
                hungUp: (flags & (EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0);
        }
        catch (Exception e)
        {
            // A continuation that throws past its own async method would take the reactor and every connection
            // on it down with it; it belongs to the worker, which the engine accounts for.
            Trace.TraceError($"gauntlet: a socket continuation failed on the reactor: {e}");
        }
    }
}
