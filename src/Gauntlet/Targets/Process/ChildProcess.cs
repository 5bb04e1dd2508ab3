using System.Collections.Concurrent;
using Gauntlet.Native;

namespace Gauntlet.Targets.Process;

/// <summary>
/// Runs one child process to its end, exactly: posix_spawn into a new session (so its pid is its process group),
/// stdin fed and stdout/stderr drained concurrently and capped, the exit status and rusage read with <c>wait4</c>,
/// SIGTERM then SIGKILL to the whole group on timeout or cancellation, and whatever the child leaves behind (processes
/// in its group, pipes held open) given a short linger and then killed and reported. The spawn runs on the caller's
/// thread; every child is then watched by one shared thread (<see cref="ChildReactor"/>, epoll on pipes and pidfds).
/// Linux only.
/// </summary>
public static class ChildProcess
{
    /// <summary>Groups still running, killed outright if Gauntlet exits (a second Ctrl-C) before their operations end.</summary>
    private static readonly ConcurrentDictionary<int, byte> LiveGroups = new();

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
        var run = new ChildRun(launch, limits, cancellationToken);
        var error = run.Start(ChildReactor.Shared);
        if (error != 0) return Task.FromResult(ChildRun.NotStarted(error));
        run.Submit();
        return run.Completion.Task;
    }

    /// <summary>Notes a started group, to be killed if Gauntlet exits before its run ends.</summary>
    internal static void Remember(int group) => LiveGroups.TryAdd(group, 0);

    /// <summary>Forgets a group whose run has ended.</summary>
    internal static void Forget(int group) => LiveGroups.TryRemove(group, out _);

    /// <summary>
    /// The state letter (<c>R</c>, <c>S</c>, <c>T</c>, <c>Z</c>, ...) and process group in the text of <c>/proc/PID/stat</c>;
    /// false when it cannot be parsed.
    /// </summary>
    internal static bool TryParseStat(string stat, out char state, out int group)
    {
        state = '\0';
        group = 0;
        // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0) return false;
        var fields = stat[(close + 2)..].Split(' ', 4);
        if (fields.Length < 3 || fields[0].Length == 0 || !int.TryParse(fields[2], out group)) return false;
        state = fields[0][0];
        return true;
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
                if (!TryParseStat(stat, out var state, out var pgrp) || state is 'Z' or 'X') continue;
                if (pgrp == group) return true;
            }
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
