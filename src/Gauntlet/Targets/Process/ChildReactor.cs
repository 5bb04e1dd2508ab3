using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Gauntlet.Native;

namespace Gauntlet.Targets.Process;

/// <summary>
/// The one thread that watches every running child of the process: an epoll set holding each child's stdout, stderr,
/// stdin and pidfd, a wake-up eventfd, and a slot table from epoll data to <see cref="ChildRun"/>. Written for
/// spawn-heavy loads: a thread of its own per child (the earlier design) cost a thread creation, its stack's page
/// faults and a poll loop per child, which on a virtual machine with slow page-table updates was most of a spawn's
/// cost in the parent. Here a child costs its descriptors' epoll registrations and nothing else. Nothing the caller
/// supplies runs on this thread (the runs' tasks continue asynchronously), so no caller can stall the others.
/// </summary>
internal sealed unsafe class ChildReactor
{
    private static readonly Lazy<ChildReactor> Instance = new(() => new ChildReactor());

    /// <summary>The process's reactor, started at first use.</summary>
    public static ChildReactor Shared => Instance.Value;

    /// <summary>The reactor never sleeps longer than this, so a missed wake-up costs at most this much.</summary>
    private const int MaxWaitMs = 250;

    /// <summary>Events taken per epoll_wait.</summary>
    private const int EventsPerWait = 64;

    /// <summary>Bytes read from a pipe at once.</summary>
    private const int ReadChunk = 64 * 1024;

    /// <summary>Slot 0 is the wake-up eventfd's, so no run has it.</summary>
    private const int WakeData = 0;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly ConcurrentQueue<ChildRun> _inbox = new();
    private readonly List<ChildRun> _due = [];
    private readonly Stack<int> _freeSlots = new();
    private ChildRun?[] _slots = new ChildRun?[64];
    private int _nextSlot = 1;
    private int _live;

    /// <summary>1 while the reactor is (about to be) blocked in epoll_wait: a submitter then writes the eventfd.</summary>
    private int _sleeping;

    /// <summary>When some run must be advanced at the latest (Stopwatch ticks); may be early, never late.</summary>
    private long _scanAt = long.MaxValue;

    private ChildReactor()
    {
        _epoll = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (_epoll < 0) throw new InvalidOperationException($"epoll_create1 failed: {SignalNames.OfErrno(Marshal.GetLastPInvokeError())}");
        _wake = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wake < 0) throw new InvalidOperationException($"eventfd failed: {SignalNames.OfErrno(Marshal.GetLastPInvokeError())}");
        var ev = stackalloc byte[16];
        *(uint*)ev = Libc.EPOLLIN;
        *(ulong*)(ev + Libc.EpollDataOffset) = WakeData;
        if (Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_ADD, _wake, ev) != 0)
            throw new InvalidOperationException($"epoll_ctl failed: {SignalNames.OfErrno(Marshal.GetLastPInvokeError())}");
        new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "gauntlet-children" }.Start();
    }

    /// <summary>
    /// Hands a started run to the reactor, or tells it to look at one again (its cancellation was requested). Any
    /// thread; an eventfd write only when the reactor is asleep.
    /// </summary>
    public void Submit(ChildRun run)
    {
        _inbox.Enqueue(run);
        // The enqueue is a full fence, and so is the reactor's exchange before it looks at the inbox a last time:
        // either it sees this run, or this sees it asleep and wakes it.
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            long one = 1;
            Libc.Write(_wake, (byte*)&one, sizeof(long));
        }
    }

    private void Run()
    {
        var events = stackalloc byte[EventsPerWait * Libc.EpollEventSize];
        var buffer = (byte*)NativeMemory.Alloc(ReadChunk);
        while (true)
        {
            try
            {
                Turn(events, buffer);
            }
            catch (Exception e)
            {
                // Only epoll itself failing gets here: every run still alive ends with the error rather than hanging.
                FailAll(e);
                Thread.Sleep(10);
            }
        }
    }

    private void Turn(byte* events, byte* buffer)
    {
        while (_inbox.TryDequeue(out var run))
        {
            if (run.Finished) continue;
            if (run.Slot < 0) Attach(run);
            MarkDue(run);
        }
        var now = Stopwatch.GetTimestamp();
        if (now >= _scanAt)
        {
            // A deadline has come: look at every run, and learn the next deadline exactly.
            _scanAt = long.MaxValue;
            for (var slot = 1; slot < _nextSlot; slot++)
                if (_slots[slot] is { } live) MarkDue(live);
        }
        foreach (var run in _due)
        {
            run.Due = false;
            if (run.Finished) continue;
            bool finished;
            try
            {
                finished = run.Advance(now);
            }
            catch (Exception e)
            {
                run.Fail(e);
                finished = true;
            }
            if (finished) Detach(run);
            else _scanAt = Math.Min(_scanAt, run.NextWake);
        }
        _due.Clear();

        // Idle (no child at all) it sleeps until a submission wakes it.
        var waitMs = _live == 0 ? -1 : _scanAt == long.MaxValue ? MaxWaitMs : (int)Math.Clamp((_scanAt - now) * 1000 / Stopwatch.Frequency + 1, 0, MaxWaitMs);
        Interlocked.Exchange(ref _sleeping, 1);
        if (!_inbox.IsEmpty) waitMs = 0;
        var ready = Libc.EpollWait(_epoll, events, EventsPerWait, waitMs);
        Volatile.Write(ref _sleeping, 0);
        if (ready < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EINTR) return;
            throw new InvalidOperationException($"epoll_wait failed: {SignalNames.OfErrno(errno)}");
        }
        for (var i = 0; i < ready; i++)
        {
            var at = events + i * Libc.EpollEventSize;
            var flags = *(uint*)at;
            var data = *(ulong*)(at + Libc.EpollDataOffset);
            if (data == WakeData)
            {
                long value;
                Libc.Read(_wake, (byte*)&value, sizeof(long));
                continue;
            }
            var slot = (int)(data >> ChildRun.KindBits);
            if (slot >= _nextSlot || _slots[slot] is not { } run) continue;
            try
            {
                run.OnReady((int)(data & ((1 << ChildRun.KindBits) - 1)), flags, buffer, ReadChunk);
            }
            catch (Exception e)
            {
                run.Fail(e);
                Detach(run);
                continue;
            }
            MarkDue(run);
        }
    }

    private void MarkDue(ChildRun run)
    {
        if (run.Due) return;
        run.Due = true;
        _due.Add(run);
    }

    private void Attach(ChildRun run)
    {
        int slot;
        if (_freeSlots.Count > 0) slot = _freeSlots.Pop();
        else
        {
            if (_nextSlot == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
            slot = _nextSlot++;
        }
        _slots[slot] = run;
        _live++;
        try
        {
            run.Attach(_epoll, slot);
        }
        catch (Exception e)
        {
            run.Fail(e);
            Detach(run);
        }
    }

    private void Detach(ChildRun run)
    {
        if (run.Slot < 0 || _slots[run.Slot] != run) return;
        _slots[run.Slot] = null;
        _freeSlots.Push(run.Slot);
        _live--;
    }

    private void FailAll(Exception error)
    {
        for (var slot = 1; slot < _nextSlot; slot++)
        {
            if (_slots[slot] is not { } run) continue;
            run.Fail(error);
            Detach(run);
        }
        _due.Clear();
    }
}
