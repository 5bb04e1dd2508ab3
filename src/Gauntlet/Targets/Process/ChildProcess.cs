using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Gauntlet.Targets.Process.Native;

namespace Gauntlet.Targets.Process;

/// <summary>
/// Runs one child process to its end, exactly: posix_spawn into a new session (so its pid is its process group),
/// stdin fed and stdout/stderr drained concurrently by one poll loop on a dedicated thread, the exit status and
/// rusage read with <c>wait4</c>, SIGTERM then SIGKILL to the whole group on timeout or cancellation, and whatever the
/// child leaves behind (processes in its group, pipes held open) given a short linger and then killed and reported.
/// Linux only.
/// </summary>
public static unsafe class ChildProcess
{
    /// <summary>Groups still running, killed outright if Gauntlet exits (a second Ctrl-C) before their operations end.</summary>
    private static readonly ConcurrentDictionary<int, byte> LiveGroups = new();

    private const int ReadChunk = 64 * 1024;

    /// <summary>The poll loop never sleeps longer than this, so a missed wake-up costs at most this much.</summary>
    private const int MaxPollMs = 250;

    /// <summary>After SIGKILL, how long pipes held open by a process outside the group are still read before they are abandoned.</summary>
    private static readonly TimeSpan AbandonAfterKill = TimeSpan.FromSeconds(1);

    /// <summary>How long a child may survive SIGKILL (stuck in the kernel) before it is given up on.</summary>
    private static readonly TimeSpan Unkillable = TimeSpan.FromSeconds(10);

    /// <summary>When a running child's own peak RSS is first read from /proc.</summary>
    private static readonly TimeSpan FirstRssSample = TimeSpan.FromMilliseconds(5);

    /// <summary>How often a running child's own peak RSS is read from /proc (see PeakKiB).</summary>
    private static readonly TimeSpan RssSampleEvery = TimeSpan.FromMilliseconds(50);

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var group in LiveGroups.Keys) Libc.Kill(-group, Libc.SIGKILL);
        };
    }

    /// <summary>
    /// Starts <paramref name="launch"/> and completes when it has ended and its output is drained. Never throws for
    /// anything the child does: a failed start is a <see cref="ProcessEnding.NotStarted"/> result with its errno.
    /// Cancelling <paramref name="cancellationToken"/> stops the child's whole group (SIGTERM, then SIGKILL).
    /// </summary>
    public static Task<ProcessExit> RunAsync(ProcessLaunch launch, ProcessLimits limits, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("process operations need Linux (posix_spawn with setsid, pidfd, wait4)");
        var completion = new TaskCompletionSource<ProcessExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        var supervisor = new Supervisor(launch, limits, completion, cancellationToken);
        var thread = new Thread(supervisor.Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "gauntlet-child" };
        thread.Start();
        return completion.Task;
    }

    private sealed class Supervisor(ProcessLaunch launch, ProcessLimits limits, TaskCompletionSource<ProcessExit> completion, CancellationToken cancellation)
    {
        private int _stdinWrite = -1, _stdoutRead = -1, _stderrRead = -1, _pidFd = -1, _cancelFd = -1;
        private int _pid;
        private long _parentPeakKiB;
        private long _sampledPeakKiB;
        private long _nextSample;

        public void Run()
        {
            try
            {
                completion.TrySetResult(Supervise());
            }
            catch (Exception e)
            {
                completion.TrySetException(e);
            }
            finally
            {
                CloseAll();
                if (_pid > 0) LiveGroups.TryRemove(_pid, out _);
            }
        }

        private ProcessExit Supervise()
        {
            using var stdout = new OutputCapture(limits.HeadBytes, limits.TailBytes, launch.StdoutLog, launch.LogLimitBytes);
            using var stderr = new OutputCapture(limits.HeadBytes, limits.TailBytes, launch.StderrLog, launch.LogLimitBytes);
            var started = Stopwatch.GetTimestamp();
            var spawnError = Spawn();
            // After the spawn: the mark only grows, so this bounds what the child's exec recorded (see PeakKiB).
            _parentPeakKiB = ReadPeakKiB("/proc/self/status");
            if (spawnError != 0)
                return new ProcessExit
                {
                    Ending = ProcessEnding.NotStarted,
                    SpawnError = SignalNames.OfErrno(spawnError),
                    SpawnMessage = Marshal.GetPInvokeErrorMessage(spawnError),
                };
            _cancelFd = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
            using var registration = _cancelFd >= 0 ? cancellation.Register(SignalCancel) : default;
            return Loop(started, stdout, stderr);
        }

        private void SignalCancel()
        {
            long one = 1;
            Libc.Write(_cancelFd, (byte*)&one, sizeof(long));
        }

        private ProcessExit Loop(long started, OutputCapture stdout, OutputCapture stderr)
        {
            var stdin = launch.Stdin ?? [];
            var stdinOffset = 0;
            if (stdin.Length == 0) CloseFd(ref _stdinWrite);
            var buffer = new byte[ReadChunk];
            var timeoutAt = limits.Timeout is { } t ? started + ToTicks(t) : long.MaxValue;
            // The first sample waits until the child has run a little: just after its exec it holds a page or two.
            _nextSample = started + ToTicks(FirstRssSample);
            long exitedAt = 0, termAt = 0, killAt = 0;
            int status = 0;
            Libc.RUsage usage = default;
            var exited = false;
            bool timedOut = false, cancelled = false;
            string? leak = null;
            var fds = stackalloc Libc.PollFd[5];
            var kinds = stackalloc int[5];

            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                if (!exited && termAt == 0)
                {
                    if (now >= timeoutAt) { timedOut = true; termAt = Terminate(now); }
                    else if (cancellation.IsCancellationRequested) { cancelled = true; termAt = Terminate(now); }
                }
                if (exited)
                {
                    var pipesOpen = _stdoutRead >= 0 || _stderrRead >= 0;
                    var lingerOver = now >= exitedAt + ToTicks(limits.Linger);
                    if (!pipesOpen && (termAt != 0 ? !GroupAlive(_pid) || killAt != 0 && now >= killAt + ToTicks(AbandonAfterKill) : !GroupAlive(_pid)))
                        break;
                    if (lingerOver && termAt == 0)
                    {
                        leak = GroupAlive(_pid)
                            ? "processes were still running in its process group after it exited; they were killed"
                            : "its output pipes were still open after it exited; the holders were killed";
                        termAt = Terminate(now);
                    }
                    if (killAt != 0 && now >= killAt + ToTicks(AbandonAfterKill))
                    {
                        // Only a process that left the group (setsid, setpgid) can hold the pipes now: stop waiting for it.
                        leak = "a process outside its group kept its output pipes open; the pipes were abandoned";
                        CloseFd(ref _stdoutRead);
                        CloseFd(ref _stderrRead);
                        break;
                    }
                }
                if (!exited && killAt != 0 && now >= killAt + ToTicks(Unkillable))
                {
                    // Stuck in the kernel (uninterruptible sleep): it cannot be reaped, and nothing may wait forever.
                    status = Libc.SIGKILL;
                    exitedAt = now;
                    leak = $"it did not die within {Format.Duration(Unkillable)} of SIGKILL (uninterruptible sleep?) and was left behind";
                    break;
                }
                if (termAt != 0 && killAt == 0 && now >= termAt + ToTicks(limits.KillGrace))
                {
                    Libc.Kill(-_pid, Libc.SIGKILL);
                    killAt = now;
                }

                var count = 0;
                if (_stdoutRead >= 0) { fds[count] = new Libc.PollFd { Fd = _stdoutRead, Events = Libc.POLLIN }; kinds[count++] = 1; }
                if (_stderrRead >= 0) { fds[count] = new Libc.PollFd { Fd = _stderrRead, Events = Libc.POLLIN }; kinds[count++] = 2; }
                if (_stdinWrite >= 0) { fds[count] = new Libc.PollFd { Fd = _stdinWrite, Events = Libc.POLLOUT }; kinds[count++] = 3; }
                if (!exited && _pidFd >= 0) { fds[count] = new Libc.PollFd { Fd = _pidFd, Events = Libc.POLLIN }; kinds[count++] = 4; }
                if (_cancelFd >= 0 && termAt == 0) { fds[count] = new Libc.PollFd { Fd = _cancelFd, Events = Libc.POLLIN }; kinds[count++] = 5; }

                var wait = NextWakeMs(now, exited, exitedAt, timeoutAt, termAt, killAt);
                // Without a pidfd (kernels before 5.3) exit is found by polling wait4.
                if (!exited && _pidFd < 0) wait = Math.Min(wait, 5);
                var ready = Libc.Poll(fds, (nuint)count, wait);
                if (!exited && Stopwatch.GetTimestamp() >= _nextSample)
                {
                    _sampledPeakKiB = Math.Max(_sampledPeakKiB, ReadPeakKiB($"/proc/{_pid}/status"));
                    _nextSample = Stopwatch.GetTimestamp() + ToTicks(RssSampleEvery);
                }
                if (ready < 0 && Marshal.GetLastPInvokeError() != Libc.EINTR)
                    throw new InvalidOperationException($"poll failed: {SignalNames.OfErrno(Marshal.GetLastPInvokeError())}");

                for (var i = 0; i < count && ready > 0; i++)
                {
                    var revents = fds[i].Revents;
                    if (revents == 0) continue;
                    switch (kinds[i])
                    {
                        case 1: Drain(ref _stdoutRead, stdout, buffer); break;
                        case 2: Drain(ref _stderrRead, stderr, buffer); break;
                        case 3:
                            if ((revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0) CloseFd(ref _stdinWrite);
                            else FeedStdin(stdin, ref stdinOffset);
                            break;
                        case 5:
                            long value;
                            Libc.Read(_cancelFd, (byte*)&value, sizeof(long));
                            break;
                    }
                }
                if (!exited && TryReap(ref status, ref usage))
                {
                    exited = true;
                    exitedAt = Stopwatch.GetTimestamp();
                    CloseFd(ref _stdinWrite);
                }
            }

            var code = status & 0x7f;
            var elapsed = TimeSpan.FromSeconds((exitedAt - started) / (double)Stopwatch.Frequency);
            return new ProcessExit
            {
                Ending = code == 0 ? ProcessEnding.Exited : ProcessEnding.Signaled,
                ExitCode = code == 0 ? (status >> 8) & 0xff : null,
                Signal = code == 0 ? null : code,
                SignalName = code == 0 ? null : SignalNames.Of(code),
                CoreDumped = code != 0 && (status & 0x80) != 0,
                Pid = _pid,
                TimedOut = timedOut,
                Cancelled = cancelled,
                Leak = leak,
                Stdout = stdout.Freeze(),
                Stderr = stderr.Freeze(),
                Elapsed = elapsed,
                PeakRssBytes = PeakKiB(usage.MaxRssKiB) * 1024,
                UserCpu = TimeSpan.FromMicroseconds(usage.UserSeconds * 1_000_000 + usage.UserMicros),
                SystemCpu = TimeSpan.FromMicroseconds(usage.SystemSeconds * 1_000_000 + usage.SystemMicros),
            };
        }

        /// <summary>
        /// rusage's peak RSS, unless it may be Gauntlet's own: exec records the high-water mark of the address space it
        /// replaces, and a child of posix_spawn (vfork) replaces Gauntlet's. A figure above Gauntlet's own mark at the
        /// spawn is the child's; otherwise the child's own mark as sampled from /proc while it ran (0 when it ended
        /// before the first sample: unknown, and below Gauntlet's).
        /// </summary>
        private long PeakKiB(long rusageKiB) =>
            rusageKiB > _parentPeakKiB || _parentPeakKiB == 0 ? rusageKiB : _sampledPeakKiB;

        private static long ReadPeakKiB(string statusFile)
        {
            try
            {
                foreach (var line in File.ReadLines(statusFile))
                {
                    if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                    var digits = line.AsSpan(6).Trim();
                    var space = digits.IndexOf(' ');
                    return long.TryParse(space < 0 ? digits : digits[..space], out var kib) ? kib : 0;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return 0;
        }

        private int NextWakeMs(long now, bool exited, long exitedAt, long timeoutAt, long termAt, long killAt)
        {
            var next = long.MaxValue;
            if (!exited && termAt == 0) next = Math.Min(next, timeoutAt);
            if (!exited) next = Math.Min(next, _nextSample);
            if (exited && termAt == 0) next = Math.Min(next, exitedAt + ToTicks(limits.Linger));
            // While the group is being stopped, look again often: the leader may be gone while others still die.
            if (termAt != 0) next = Math.Min(next, killAt == 0 ? termAt + ToTicks(limits.KillGrace) : now + ToTicks(TimeSpan.FromMilliseconds(20)));
            if (exited && termAt == 0 && _stdoutRead < 0 && _stderrRead < 0) next = Math.Min(next, now + ToTicks(TimeSpan.FromMilliseconds(10)));
            if (next == long.MaxValue) return MaxPollMs;
            var ms = (next - now) * 1000 / Stopwatch.Frequency;
            return (int)Math.Clamp(ms + 1, 0, MaxPollMs);
        }

        private long Terminate(long now)
        {
            Libc.Kill(-_pid, Libc.SIGTERM);
            if (limits.KillGrace <= TimeSpan.Zero) Libc.Kill(-_pid, Libc.SIGKILL);
            return now;
        }

        private bool TryReap(ref int status, ref Libc.RUsage usage)
        {
            int s;
            Libc.RUsage u;
            var result = Libc.Wait4(_pid, &s, Libc.WNOHANG, &u);
            if (result == _pid)
            {
                status = s;
                usage = u;
                return true;
            }
            if (result < 0 && Marshal.GetLastPInvokeError() == Libc.ECHILD)
                throw new InvalidOperationException($"child {_pid} was reaped by someone else (is SIGCHLD ignored in Gauntlet's parent?); its exit status is lost");
            return false;
        }

        private static void Drain(ref int fd, OutputCapture capture, byte[] buffer)
        {
            // A few chunks per wake-up keeps one chatty stream from starving the other.
            for (var i = 0; i < 4; i++)
            {
                nint n;
                fixed (byte* p = buffer) n = Libc.Read(fd, p, buffer.Length);
                if (n > 0)
                {
                    capture.Append(buffer.AsSpan(0, (int)n));
                    continue;
                }
                if (n == 0) CloseFd(ref fd);
                else if (Marshal.GetLastPInvokeError() is not (Libc.EAGAIN or Libc.EINTR)) CloseFd(ref fd);
                return;
            }
        }

        private void FeedStdin(byte[] stdin, ref int offset)
        {
            nint n;
            fixed (byte* p = stdin) n = Libc.Write(_stdinWrite, p + offset, stdin.Length - offset);
            if (n > 0) offset += (int)n;
            else if (n < 0 && Marshal.GetLastPInvokeError() is not (Libc.EAGAIN or Libc.EINTR)) CloseFd(ref _stdinWrite);
            if (offset >= stdin.Length) CloseFd(ref _stdinWrite);
        }

        /// <summary>Spawns the child; 0, or the error number of what failed.</summary>
        private int Spawn()
        {
            var stdin = stackalloc int[2];
            var stdout = stackalloc int[2];
            var stderr = stackalloc int[2];
            stdin[0] = stdin[1] = stdout[0] = stdout[1] = stderr[0] = stderr[1] = -1;
            if (Libc.Pipe2(stdin, Libc.O_CLOEXEC) != 0 || Libc.Pipe2(stdout, Libc.O_CLOEXEC) != 0 || Libc.Pipe2(stderr, Libc.O_CLOEXEC) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                for (var i = 0; i < 2; i++) { CloseRaw(stdin[i]); CloseRaw(stdout[i]); CloseRaw(stderr[i]); }
                return errno;
            }
            _stdinWrite = stdin[1];
            _stdoutRead = stdout[0];
            _stderrRead = stderr[0];
            SetNonBlocking(_stdinWrite);
            SetNonBlocking(_stdoutRead);
            SetNonBlocking(_stderrRead);

            var actions = stackalloc byte[Libc.OpaqueSize];
            var attributes = stackalloc byte[Libc.OpaqueSize];
            var all = stackalloc byte[Libc.SigSetSize];
            var none = stackalloc byte[Libc.SigSetSize];
            Libc.FileActionsInit(actions);
            Libc.AttrInit(attributes);
            var strings = new NativeStrings();
            try
            {
                Libc.FileActionsAddDup2(actions, stdin[0], 0);
                Libc.FileActionsAddDup2(actions, stdout[1], 1);
                Libc.FileActionsAddDup2(actions, stderr[1], 2);
                if (launch.WorkingDirectory is { } cwd) Libc.FileActionsAddChdir(actions, strings.Add(cwd));
                // A new session: the child's pid is its process group, which SIGTERM/SIGKILL reach as a whole, and no
                // terminal's Ctrl-C reaches it behind our back. Signals Gauntlet ignores (SIGPIPE) are reset to default.
                Libc.SigFillSet(all);
                Libc.SigEmptySet(none);
                Libc.AttrSetSigDefault(attributes, all);
                Libc.AttrSetSigMask(attributes, none);
                Libc.AttrSetFlags(attributes, (short)(Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK));

                var argv = strings.Array([launch.Program, .. launch.Arguments]);
                var envp = strings.Array(launch.Environment ?? CurrentEnvironment());
                var program = strings.Add(launch.Program);
                int pid;
                var error = launch.Program.Contains('/')
                    ? Libc.PosixSpawn(&pid, program, actions, attributes, argv, envp)
                    : Libc.PosixSpawnP(&pid, program, actions, attributes, argv, envp);
                if (error != 0) return error;
                _pid = pid;
                LiveGroups.TryAdd(pid, 0);
                _pidFd = Libc.PidFdOpen(pid);
                launch.Started?.Invoke(pid);
                return 0;
            }
            finally
            {
                strings.Dispose();
                Libc.FileActionsDestroy(actions);
                Libc.AttrDestroy(attributes);
                CloseRaw(stdin[0]);
                CloseRaw(stdout[1]);
                CloseRaw(stderr[1]);
            }
        }

        private static List<string> CurrentEnvironment()
        {
            var list = new List<string>();
            foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
                list.Add($"{entry.Key}={entry.Value}");
            return list;
        }

        private static void SetNonBlocking(int fd) => Libc.Fcntl(fd, Libc.F_SETFL, Libc.Fcntl(fd, Libc.F_GETFL, 0) | Libc.O_NONBLOCK);

        private void CloseAll()
        {
            CloseFd(ref _stdinWrite);
            CloseFd(ref _stdoutRead);
            CloseFd(ref _stderrRead);
            CloseFd(ref _pidFd);
            CloseFd(ref _cancelFd);
        }

        private static void CloseFd(ref int fd)
        {
            if (fd < 0) return;
            Libc.Close(fd);
            fd = -1;
        }

        private static void CloseRaw(int fd)
        {
            if (fd >= 0) Libc.Close(fd);
        }
    }

    /// <summary>
    /// True when a live (not zombie) process is in process group <paramref name="group"/>. kill(-g, 0) is the cheap
    /// test; when it says yes, /proc confirms, because a zombie orphan that PID 1 never reaps (common in containers)
    /// still counts for kill and would look like a leak forever.
    /// </summary>
    internal static bool GroupAlive(int group)
    {
        if (Libc.Kill(-group, 0) != 0) return false;
        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                var name = Path.GetFileName(directory);
                if (name.Length == 0 || !char.IsAsciiDigit(name[0])) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(directory, "stat")); }
                catch (IOException) { continue; }
                catch (UnauthorizedAccessException) { continue; }
                // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse after the last ')'.
                var close = stat.LastIndexOf(')');
                if (close < 0) continue;
                var fields = stat[(close + 2)..].Split(' ', 4);
                if (fields.Length < 3 || fields[0] == "Z" || fields[0] == "X") continue;
                if (int.TryParse(fields[2], out var pgrp) && pgrp == group) return true;
            }
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>NUL-terminated UTF-8 copies of managed strings, freed together.</summary>
    private sealed class NativeStrings : IDisposable
    {
        private readonly List<nint> _allocations = [];

        public byte* Add(string text)
        {
            var length = Encoding.UTF8.GetByteCount(text);
            var memory = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(text, new Span<byte>(memory, length));
            memory[length] = 0;
            _allocations.Add((nint)memory);
            return memory;
        }

        public byte** Array(IReadOnlyList<string> items)
        {
            var array = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(nint));
            _allocations.Add((nint)array);
            for (var i = 0; i < items.Count; i++) array[i] = Add(items[i]);
            array[items.Count] = null;
            return array;
        }

        public void Dispose()
        {
            foreach (var allocation in _allocations) NativeMemory.Free((void*)allocation);
        }
    }
}
