using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Gauntlet.Scenarios;
using Gauntlet.Native;

namespace Gauntlet.Targets.Process;

/// <summary>
/// One child process from its spawn to its <see cref="ProcessExit"/>. The spawn runs on the caller's thread
/// (posix_spawn into a new session, so the child's pid is its process group); everything after it runs on the
/// <see cref="ChildReactor"/>'s one thread: output drained into capped captures, stdin fed, the exit reaped with
/// wait4, the deadlines kept (timeout, SIGTERM then SIGKILL to the whole group, linger, abandoned pipes, a child stuck
/// in the kernel, peak RSS samples), and whatever the child left behind killed and reported. Other threads only read
/// <see cref="Completion"/> and request cancellation through the token.
/// </summary>
internal sealed unsafe class ChildRun
{
    /// <summary>What a descriptor is, in the low bits of its epoll data (the slot is in the bits above).</summary>
    public const int StdoutKind = 1, StderrKind = 2, StdinKind = 3, ExitKind = 4;

    /// <summary>Bits of epoll data that hold the kind.</summary>
    public const int KindBits = 3;

    /// <summary>Most reads from one stream per wake-up: a chatty stream cannot starve the other or other children.</summary>
    private const int ReadsPerWake = 4;

    /// <summary>After SIGKILL, how long pipes held open by a process outside the group are still read before they are abandoned.</summary>
    private static readonly TimeSpan AbandonAfterKill = TimeSpan.FromSeconds(1);

    /// <summary>How long a child may survive SIGKILL (stuck in the kernel) before it is given up on.</summary>
    private static readonly TimeSpan Unkillable = TimeSpan.FromSeconds(10);

    /// <summary>When a running child's own peak RSS is first read from /proc.</summary>
    private static readonly TimeSpan FirstRssSample = TimeSpan.FromMilliseconds(5);

    /// <summary>How often a running child's own peak RSS is read from /proc (see PeakKiB).</summary>
    private static readonly TimeSpan RssSampleEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>Without a pidfd (kernels before 5.3) the exit is found by calling wait4 this often.</summary>
    private static readonly TimeSpan ReapPollEvery = TimeSpan.FromMilliseconds(5);

    /// <summary>While the group is being stopped, how often it is looked at: the leader may be gone while others still die.</summary>
    private static readonly TimeSpan StoppingPollEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>After the exit with both pipes closed, how often the group is looked at until it is empty or the linger ends.</summary>
    private static readonly TimeSpan LingerPollEvery = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The read end of one pipe whose write end is closed, shared by every child started without stdin content: each
    /// reads end of file at once from a pipe, as from a pipe of its own, without a pipe2 and two closes per child.
    /// </summary>
    private static readonly Lazy<int> EmptyStdin = new(OpenEmptyStdin);

    /// <summary>Held from a child's pipes to the close of its ends of them (see Spawn).</summary>
    private static readonly Lock SpawnLock = new();

    private readonly ProcessLaunch _launch;
    private readonly ProcessLimits _limits;
    private readonly CancellationToken _cancellation;
    private ChildReactor? _reactor;
    private CancellationTokenRegistration _registration;
    private OutputCapture? _stdout, _stderr;

    private int _stdinWrite = -1, _stdoutRead = -1, _stderrRead = -1, _pidFd = -1;
    private int _pid;
    private int _epoll = -1;
    private long _parentPeakKiB, _sampledPeakKiB, _nextSample;
    private long _started, _timeoutAt, _exitedAt, _termAt, _killAt;
    private int _stdinOffset;
    private int _status;
    private Libc.RUsage _usage;
    private bool _exited, _timedOut, _cancelled;
    private string? _leak;

    public ChildRun(ProcessLaunch launch, ProcessLimits limits, CancellationToken cancellation)
    {
        _launch = launch;
        _limits = limits;
        _cancellation = cancellation;
        // Captured here, on the caller's flow: the child belongs to the scenario that started it (the monitor follows it).
        _scenarioProcesses = ScenarioProcesses.Current;
    }

    private readonly ScenarioProcesses? _scenarioProcesses;

    /// <summary>Completes with the result; continuations never run on the reactor's thread.</summary>
    public TaskCompletionSource<ProcessExit> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The child's pid (its process group); 0 before the spawn or when it failed.</summary>
    public int Pid => _pid;

    /// <summary>The reactor's slot for this run; -1 until attached. Reactor thread only.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>True once the result is set. Reactor thread only.</summary>
    public bool Finished { get; private set; }

    /// <summary>True while the run waits in the reactor's list of runs to advance this turn. Reactor thread only.</summary>
    public bool Due { get; set; }

    /// <summary>When <see cref="Advance"/> must run next at the latest (Stopwatch ticks). Reactor thread only.</summary>
    public long NextWake { get; private set; } = long.MaxValue;

    /// <summary>
    /// Spawns the child on the calling thread: 0, or the error number of what failed (then the run is over and
    /// holds nothing). After a success, the cancellation token pokes <paramref name="reactor"/> when cancelled.
    /// </summary>
    public int Start(ChildReactor reactor)
    {
        _reactor = reactor;
        _started = Stopwatch.GetTimestamp();
        _timeoutAt = _limits.Timeout is { } t ? _started + ToTicks(t) : long.MaxValue;
        // The first sample waits until the child has run a little: just after its exec it holds a page or two.
        _nextSample = _started + ToTicks(FirstRssSample);
        // A log file exists from the start, even for a child that writes nothing or cannot be started.
        if (_launch.StdoutLog is { } stdoutLog) _stdout = NewCapture(stdoutLog);
        if (_launch.StderrLog is { } stderrLog) _stderr = NewCapture(stderrLog);
        var error = Spawn();
        if (error != 0)
        {
            CloseAll();
            _stdout?.Dispose();
            _stderr?.Dispose();
            return error;
        }
        // After the spawn: the mark only grows, so this bounds what the child's exec recorded (see PeakKiB).
        Libc.RUsage self;
        if (Libc.GetRUsage(Libc.RUSAGE_SELF, &self) == 0) _parentPeakKiB = self.MaxRssKiB;
        if (_cancellation.CanBeCanceled)
            _registration = _cancellation.UnsafeRegister(static (state, _) => ((ChildRun)state!).Poke(), this);
        return 0;
    }

    /// <summary>Hands the started run to its reactor, which attaches it on its own thread.</summary>
    public void Submit() => _reactor!.Submit(this);

    private void Poke() => _reactor!.Submit(this);

    /// <summary>A result for a child that could not be started.</summary>
    public static ProcessExit NotStarted(int errno) => new()
    {
        Ending = ProcessEnding.NotStarted,
        SpawnError = SignalNames.OfErrno(errno),
        SpawnMessage = Marshal.GetPInvokeErrorMessage(errno),
    };

    /// <summary>Registers the run's descriptors with <paramref name="epoll"/> under <paramref name="slot"/>. Reactor thread.</summary>
    public void Attach(int epoll, int slot)
    {
        _epoll = epoll;
        Slot = slot;
        Watch(_stdoutRead, StdoutKind, Libc.EPOLLIN);
        Watch(_stderrRead, StderrKind, Libc.EPOLLIN);
        Watch(_stdinWrite, StdinKind, Libc.EPOLLOUT);
        Watch(_pidFd, ExitKind, Libc.EPOLLIN);
        NextWake = _started;
    }

    private void Watch(int fd, int kind, uint events)
    {
        if (fd < 0) return;
        var ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + Libc.EpollDataOffset) = ((ulong)Slot << KindBits) | (uint)kind;
        if (Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_ADD, fd, ev) != 0)
            throw new InvalidOperationException($"epoll_ctl(ADD) failed for child {_pid}: {SignalNames.OfErrno(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>A descriptor of this run is ready: drain, feed or note the exit. Reactor thread.</summary>
    public void OnReady(int kind, uint events, byte* buffer, int bufferLength)
    {
        switch (kind)
        {
            case StdoutKind: Drain(ref _stdoutRead, ref _stdout, buffer, bufferLength); break;
            case StderrKind: Drain(ref _stderrRead, ref _stderr, buffer, bufferLength); break;
            case StdinKind:
                if ((events & (Libc.EPOLLERR | Libc.EPOLLHUP)) != 0) CloseWatched(ref _stdinWrite);
                else FeedStdin();
                break;
            case ExitKind:
                // Reaped in Advance, which always follows.
                break;
        }
    }

    /// <summary>
    /// Moves the run on at <paramref name="now"/>: reaps the exit, samples the peak RSS, stops the group when a deadline
    /// has passed, and finishes the run (sets <see cref="Completion"/>) when the child is gone, its pipes are closed and
    /// its group is empty. Sets <see cref="NextWake"/>. Returns true when finished. Reactor thread.
    /// </summary>
    public bool Advance(long now)
    {
        if (!_exited && TryReap())
        {
            _exited = true;
            _exitedAt = now;
            CloseWatched(ref _stdinWrite);
            CloseWatched(ref _pidFd);
        }
        if (!_exited && now >= _nextSample)
        {
            _sampledPeakKiB = Math.Max(_sampledPeakKiB, ReadPeakKiB(_pid));
            _nextSample = now + ToTicks(RssSampleEvery);
        }
        if (!_exited && _termAt == 0)
        {
            if (now >= _timeoutAt) { _timedOut = true; Terminate(now); }
            else if (_cancellation.IsCancellationRequested) { _cancelled = true; Terminate(now); }
        }
        if (_exited)
        {
            var pipesOpen = _stdoutRead >= 0 || _stderrRead >= 0;
            if (!pipesOpen && (_termAt != 0 ? !ChildProcess.GroupAlive(_pid) || _killAt != 0 && now >= _killAt + ToTicks(AbandonAfterKill) : !ChildProcess.GroupAlive(_pid)))
                return Finish();
            if (_termAt == 0 && now >= _exitedAt + ToTicks(_limits.Linger))
            {
                _leak = ChildProcess.GroupAlive(_pid)
                    ? "processes were still running in its process group after it exited; they were killed"
                    : "its output pipes were still open after it exited; the holders were killed";
                Terminate(now);
            }
            if (_killAt != 0 && now >= _killAt + ToTicks(AbandonAfterKill))
            {
                // Only a process that left the group (setsid, setpgid) can hold the pipes now: stop waiting for it.
                _leak = "a process outside its group kept its output pipes open; the pipes were abandoned";
                CloseWatched(ref _stdoutRead);
                CloseWatched(ref _stderrRead);
                return Finish();
            }
        }
        if (!_exited && _killAt != 0 && now >= _killAt + ToTicks(Unkillable))
        {
            // Stuck in the kernel (uninterruptible sleep): it cannot be reaped, and nothing may wait forever.
            _status = Libc.SIGKILL;
            _exitedAt = now;
            _leak = $"it did not die within {Format.Duration(Unkillable)} of SIGKILL (uninterruptible sleep?) and was left behind";
            return Finish();
        }
        if (_termAt != 0 && _killAt == 0 && now >= _termAt + ToTicks(_limits.KillGrace))
        {
            Libc.Kill(-_pid, Libc.SIGKILL);
            _killAt = now;
        }
        NextWake = NextWakeAfter(now);
        return false;
    }

    private long NextWakeAfter(long now)
    {
        var next = long.MaxValue;
        if (!_exited)
        {
            if (_termAt == 0) next = Math.Min(next, _timeoutAt);
            next = Math.Min(next, _nextSample);
            if (_pidFd < 0) next = Math.Min(next, now + ToTicks(ReapPollEvery));
            if (_killAt != 0) next = Math.Min(next, _killAt + ToTicks(Unkillable));
        }
        if (_exited && _termAt == 0) next = Math.Min(next, _exitedAt + ToTicks(_limits.Linger));
        if (_termAt != 0) next = Math.Min(next, _killAt == 0 ? _termAt + ToTicks(_limits.KillGrace) : now + ToTicks(StoppingPollEvery));
        if (_exited && _termAt == 0 && _stdoutRead < 0 && _stderrRead < 0) next = Math.Min(next, now + ToTicks(LingerPollEvery));
        return next;
    }

    /// <summary>Ends the run with an error of Gauntlet's own: the group is killed and the error is the task's. Reactor thread.</summary>
    public void Fail(Exception error)
    {
        if (Finished) return;
        if (_pid > 0 && !_exited) Libc.Kill(-_pid, Libc.SIGKILL);
        Release();
        Completion.TrySetException(error);
    }

    private bool Finish()
    {
        var code = _status & 0x7f;
        var elapsed = TimeSpan.FromSeconds((_exitedAt - _started) / (double)Stopwatch.Frequency);
        var exit = new ProcessExit
        {
            Ending = code == 0 ? ProcessEnding.Exited : ProcessEnding.Signaled,
            ExitCode = code == 0 ? (_status >> 8) & 0xff : null,
            Signal = code == 0 ? null : code,
            SignalName = code == 0 ? null : SignalNames.Of(code),
            CoreDumped = code != 0 && (_status & 0x80) != 0,
            Pid = _pid,
            TimedOut = _timedOut,
            Cancelled = _cancelled,
            Leak = _leak,
            Stdout = _stdout?.Freeze() ?? CapturedOutput.Empty,
            Stderr = _stderr?.Freeze() ?? CapturedOutput.Empty,
            Elapsed = elapsed,
            PeakRssBytes = PeakKiB(_usage.MaxRssKiB) * 1024,
            UserCpu = TimeSpan.FromMicroseconds(_usage.UserSeconds * 1_000_000 + _usage.UserMicros),
            SystemCpu = TimeSpan.FromMicroseconds(_usage.SystemSeconds * 1_000_000 + _usage.SystemMicros),
        };
        Release();
        Completion.TrySetResult(exit);
        return true;
    }

    private void Release()
    {
        Finished = true;
        CloseAll();
        _stdout?.Dispose();
        _stderr?.Dispose();
        _registration.Dispose();
        if (_pid > 0)
        {
            ChildProcess.Forget(_pid);
            _scenarioProcesses?.Remove(_pid);
        }
    }

    /// <summary>
    /// rusage's peak RSS, unless it may be Gauntlet's own: exec records the high-water mark of the address space it
    /// replaces, and a child of posix_spawn (vfork) replaces Gauntlet's. A figure above Gauntlet's own mark at the
    /// spawn is the child's; otherwise the child's own mark as sampled from /proc while it ran (0 when it ended
    /// before the first sample: unknown, and below Gauntlet's).
    /// </summary>
    private long PeakKiB(long rusageKiB) =>
        rusageKiB > _parentPeakKiB || _parentPeakKiB == 0 ? rusageKiB : _sampledPeakKiB;

    /// <summary>VmHWM of /proc/PID/status in KiB, 0 when it cannot be read; three system calls and no allocation.</summary>
    private static long ReadPeakKiB(int pid)
    {
        var path = stackalloc byte[32];
        var span = new Span<byte>(path, 32);
        "/proc/"u8.CopyTo(span);
        if (!pid.TryFormat(span[6..], out var digits)) return 0;
        var length = 6 + digits;
        "/status\0"u8.CopyTo(span[length..]);
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) return 0;
        const int size = 4096;
        var text = stackalloc byte[size];
        var n = Libc.Read(fd, text, size);
        Libc.Close(fd);
        if (n <= 0) return 0;
        var status = new ReadOnlySpan<byte>(text, (int)n);
        var at = status.IndexOf("\nVmHWM:"u8);
        if (at < 0) return 0;
        var rest = status[(at + 7)..];
        long kib = 0;
        var i = 0;
        while (i < rest.Length && rest[i] == (byte)' ' || i < rest.Length && rest[i] == (byte)'\t') i++;
        for (; i < rest.Length && rest[i] >= (byte)'0' && rest[i] <= (byte)'9'; i++) kib = kib * 10 + (rest[i] - '0');
        return kib;
    }

    private void Terminate(long now)
    {
        Libc.Kill(-_pid, Libc.SIGTERM);
        if (_limits.KillGrace <= TimeSpan.Zero) Libc.Kill(-_pid, Libc.SIGKILL);
        _termAt = now;
    }

    private bool TryReap()
    {
        int s;
        Libc.RUsage u;
        var result = Libc.Wait4(_pid, &s, Libc.WNOHANG, &u);
        if (result == _pid)
        {
            _status = s;
            _usage = u;
            return true;
        }
        if (result < 0 && Marshal.GetLastPInvokeError() == Libc.ECHILD)
            throw new InvalidOperationException($"child {_pid} was reaped by someone else (is SIGCHLD ignored in Gauntlet's parent?); its exit status is lost");
        return false;
    }

    private void Drain(ref int fd, ref OutputCapture? capture, byte* buffer, int bufferLength)
    {
        for (var i = 0; i < ReadsPerWake && fd >= 0; i++)
        {
            var n = Libc.Read(fd, buffer, bufferLength);
            if (n > 0)
            {
                // A stream with a log file has its capture from the start; the others get one at their first byte.
                capture ??= NewCapture(null);
                capture.Append(new ReadOnlySpan<byte>(buffer, (int)n));
                if (n < bufferLength) return;
                continue;
            }
            if (n == 0 || Marshal.GetLastPInvokeError() is not (Libc.EAGAIN or Libc.EINTR)) CloseWatched(ref fd);
            return;
        }
    }

    private OutputCapture NewCapture(string? logPath) => new(_limits.HeadBytes, _limits.TailBytes, logPath, _launch.LogLimitBytes);

    private void FeedStdin()
    {
        var stdin = _launch.Stdin!;
        nint n;
        fixed (byte* p = stdin) n = Libc.Write(_stdinWrite, p + _stdinOffset, stdin.Length - _stdinOffset);
        if (n > 0) _stdinOffset += (int)n;
        else if (n < 0 && Marshal.GetLastPInvokeError() is not (Libc.EAGAIN or Libc.EINTR)) CloseWatched(ref _stdinWrite);
        if (_stdinOffset >= stdin.Length) CloseWatched(ref _stdinWrite);
    }

    /// <summary>Spawns the child; 0, or the error number of what failed.</summary>
    private int Spawn()
    {
        var feedsStdin = _launch.Stdin is { Length: > 0 };
        var emptyStdin = feedsStdin ? -1 : EmptyStdin.Value;
        if (!feedsStdin && emptyStdin < 0) return -emptyStdin;
        var attributes = stackalloc byte[Libc.OpaqueSize];
        var all = stackalloc byte[Libc.SigSetSize];
        var none = stackalloc byte[Libc.SigSetSize];
        Libc.AttrInit(attributes);
        var strings = new NativeStrings();
        try
        {
            // A new session: the child's pid is its process group, which SIGTERM/SIGKILL reach as a whole, and no
            // terminal's Ctrl-C reaches it behind our back. Signals Gauntlet ignores (SIGPIPE) are reset to default.
            // None of these attributes makes glibc (2.24+) leave its clone(CLONE_VM | CLONE_VFORK) path: no fork.
            Libc.SigFillSet(all);
            Libc.SigEmptySet(none);
            Libc.AttrSetSigDefault(attributes, all);
            Libc.AttrSetSigMask(attributes, none);
            Libc.AttrSetFlags(attributes, (short)(Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK));
            var argv = strings.Array(_launch.Program, _launch.Arguments);
            var envp = _launch.Environment is { } environment ? strings.Array(environment) : strings.CurrentEnvironment();
            var program = strings.Add(_launch.Program);
            var cwd = _launch.WorkingDirectory is { } directory ? strings.Add(directory) : null;
            // One spawn at a time, from its pipes to closing the child's ends of them: a spawn on another thread
            // would copy this child's pipe ends into its own child, which holds them until its exec. Under load that
            // can outlast the linger and make this child look like it leaked its pipes. .NET's Process.Start
            // serializes its spawns for the same reason. Everything that does not touch descriptors stays outside.
            lock (SpawnLock) return SpawnLocked(feedsStdin, emptyStdin, attributes, argv, envp, program, cwd);
        }
        finally
        {
            strings.Dispose();
            Libc.AttrDestroy(attributes);
        }
    }

    private int SpawnLocked(bool feedsStdin, int emptyStdin, byte* attributes, byte** argv, byte** envp, byte* program, byte* cwd)
    {
        var stdin = stackalloc int[2];
        var stdout = stackalloc int[2];
        var stderr = stackalloc int[2];
        stdin[0] = stdin[1] = stdout[0] = stdout[1] = stderr[0] = stderr[1] = -1;
        if (feedsStdin && Libc.Pipe2(stdin, Libc.O_CLOEXEC) != 0 || Libc.Pipe2(stdout, Libc.O_CLOEXEC) != 0 || Libc.Pipe2(stderr, Libc.O_CLOEXEC) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            for (var i = 0; i < 2; i++) { CloseRaw(stdin[i]); CloseRaw(stdout[i]); CloseRaw(stderr[i]); }
            return errno;
        }
        _stdinWrite = stdin[1];
        _stdoutRead = stdout[0];
        _stderrRead = stderr[0];
        // Fresh pipe ends have no status flags but their access mode, which F_SETFL ignores: no F_GETFL needed.
        if (_stdinWrite >= 0) Libc.Fcntl(_stdinWrite, Libc.F_SETFL, Libc.O_NONBLOCK);
        Libc.Fcntl(_stdoutRead, Libc.F_SETFL, Libc.O_NONBLOCK);
        Libc.Fcntl(_stderrRead, Libc.F_SETFL, Libc.O_NONBLOCK);

        var actions = stackalloc byte[Libc.OpaqueSize];
        Libc.FileActionsInit(actions);
        try
        {
            Libc.FileActionsAddDup2(actions, feedsStdin ? stdin[0] : emptyStdin, 0);
            Libc.FileActionsAddDup2(actions, stdout[1], 1);
            Libc.FileActionsAddDup2(actions, stderr[1], 2);
            if (cwd != null) Libc.FileActionsAddChdir(actions, cwd);
            int pid;
            var error = _launch.Program.Contains('/')
                ? Libc.PosixSpawn(&pid, program, actions, attributes, argv, envp)
                : Libc.PosixSpawnP(&pid, program, actions, attributes, argv, envp);
            if (error != 0) return error;
            _pid = pid;
            ChildProcess.Remember(pid);
            _scenarioProcesses?.Add(pid);
            _pidFd = Libc.PidFdOpen(pid);
            _launch.Started?.Invoke(pid);
            return 0;
        }
        finally
        {
            Libc.FileActionsDestroy(actions);
            CloseRaw(stdin[0]);
            CloseRaw(stdout[1]);
            CloseRaw(stderr[1]);
        }
    }

    private static int OpenEmptyStdin()
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC) != 0) return -Marshal.GetLastPInvokeError();
        Libc.Close(fds[1]);
        return fds[0];
    }

    private void CloseAll()
    {
        CloseWatched(ref _stdinWrite);
        CloseWatched(ref _stdoutRead);
        CloseWatched(ref _stderrRead);
        CloseWatched(ref _pidFd);
    }

    /// <summary>
    /// Removes the descriptor from epoll, then closes it. The removal is explicit because a concurrent spawn's vfork
    /// child may briefly hold a copy of it, and epoll forgets a descriptor only when every copy is closed.
    /// </summary>
    private void CloseWatched(ref int fd)
    {
        if (fd < 0) return;
        if (_epoll >= 0) Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_DEL, fd, null);
        Libc.Close(fd);
        fd = -1;
    }

    private static void CloseRaw(int fd)
    {
        if (fd >= 0) Libc.Close(fd);
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>NUL-terminated UTF-8 copies of managed strings in one native block per array, freed together.</summary>
    private struct NativeStrings : IDisposable
    {
        private List<nint>? _allocations;

        public byte* Add(string text)
        {
            var length = Encoding.UTF8.GetByteCount(text);
            var memory = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(text, new Span<byte>(memory, length));
            memory[length] = 0;
            (_allocations ??= []).Add((nint)memory);
            return memory;
        }

        public byte** Array(string first, IReadOnlyList<string> rest)
        {
            var array = NewArray(rest.Count + 1);
            array[0] = Add(first);
            for (var i = 0; i < rest.Count; i++) array[i + 1] = Add(rest[i]);
            return array;
        }

        public byte** Array(IReadOnlyList<string> items)
        {
            var array = NewArray(items.Count);
            for (var i = 0; i < items.Count; i++) array[i] = Add(items[i]);
            return array;
        }

        /// <summary>Gauntlet's environment as the runtime holds it (so Environment.SetEnvironmentVariable is seen), as NAME=value.</summary>
        public byte** CurrentEnvironment()
        {
            var variables = System.Environment.GetEnvironmentVariables();
            var array = NewArray(variables.Count);
            var i = 0;
            foreach (System.Collections.DictionaryEntry entry in variables)
            {
                if (i == variables.Count) break;
                array[i++] = Add($"{entry.Key}={entry.Value}");
            }
            return array;
        }

        private byte** NewArray(int count)
        {
            var array = (byte**)NativeMemory.AllocZeroed((nuint)(count + 1), (nuint)sizeof(nint));
            (_allocations ??= []).Add((nint)array);
            return array;
        }

        public void Dispose()
        {
            if (_allocations is null) return;
            foreach (var allocation in _allocations) NativeMemory.Free((void*)allocation);
        }
    }
}
