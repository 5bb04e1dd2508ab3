using Gauntlet.Scenarios;
using Gauntlet.Native;

namespace Gauntlet.Targets.Process;

/// <summary>
/// Signals a running child's process group so that the signal provably lands on a live process: the group is stopped
/// first (SIGSTOP cannot be caught), and only once its leader is seen stopped, and so cannot exit on its own, is the
/// real signal sent. A leader seen as a zombie, gone, or not seen stopped in time is a miss: the group is resumed,
/// nothing else is sent, and the caller hears it missed. A leader already inside <c>exit()</c> never stops, yet
/// <c>kill()</c> on its group still succeeds; without the stop seen, a kill racing the child's own exit would be
/// counted as a kill of an operation that succeeded.
/// </summary>
internal static class GroupSignal
{
    /// <summary>How long to wait for a stopped leader to show as stopped before calling the signal a miss.</summary>
    internal static readonly TimeSpan StopWait = TimeSpan.FromMilliseconds(100);

    /// <summary>Delivers <paramref name="signal"/>; <paramref name="hitting"/> runs once the leader is held alive, before the signal.</summary>
    public static bool Deliver(int pid, AgentSignal signal, Action? hitting = null) =>
        Deliver(pid, signal, hitting, SystemProcessGroups.Instance, TimeProvider.System);

    /// <summary>
    /// <see cref="Deliver(int, AgentSignal, Action?)"/> against <paramref name="groups"/>, timing the wait for the stop
    /// with <paramref name="time"/>: tests reach the zombie, gone and timeout paths through them.
    /// </summary>
    internal static bool Deliver(int pid, AgentSignal signal, Action? hitting, IProcessGroups groups, TimeProvider time)
    {
        if (signal == AgentSignal.Continue) return groups.Kill(-pid, Libc.SIGCONT) == 0;
        if (groups.Kill(-pid, Libc.SIGSTOP) != 0) return false;
        if (WaitForStop(pid, groups, time) is not ('T' or 't'))
        {
            // Gone, a zombie, or still not stopped (exiting, or in an uninterruptible wait): resume whatever of the
            // group is left, as it was, and report a miss rather than a signal that may have hit nothing.
            groups.Kill(-pid, Libc.SIGCONT);
            return false;
        }
        hitting?.Invoke();
        switch (signal)
        {
            case AgentSignal.Stop:
                return true;
            case AgentSignal.Kill:
                // SIGKILL ends stopped processes too; no continue needed.
                return groups.Kill(-pid, Libc.SIGKILL) == 0;
            default:
                // Pending while stopped, delivered the moment the group continues.
                var sent = groups.Kill(-pid, Libc.SIGINT) == 0;
                groups.Kill(-pid, Libc.SIGCONT);
                return sent;
        }
    }

    /// <summary>The leader's state once it is stopped, a zombie or gone (null), or its last state when <see cref="StopWait"/> runs out.</summary>
    private static char? WaitForStop(int pid, IProcessGroups groups, TimeProvider time)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var state = groups.State(pid);
            if (state is null or 'T' or 't' or 'Z' or 'X' || time.GetElapsedTime(started) >= StopWait) return state;
            Thread.Yield();
        }
    }
}

/// <summary>What <see cref="GroupSignal"/> needs from the system: <c>kill(2)</c> and a process's state letter.</summary>
internal interface IProcessGroups
{
    /// <summary><c>kill(2)</c>: 0 when sent; a negative <paramref name="pid"/> names a process group.</summary>
    int Kill(int pid, int signal);

    /// <summary>The state letter from <c>/proc/PID/stat</c> (R, S, D, T, t, Z, X…); null when the process is gone.</summary>
    char? State(int pid);
}

/// <summary>The real system: libc's <c>kill</c> and <c>/proc</c>.</summary>
internal sealed class SystemProcessGroups : IProcessGroups
{
    public static readonly SystemProcessGroups Instance = new();

    private SystemProcessGroups()
    {
    }

    public int Kill(int pid, int signal) => Libc.Kill(pid, signal);

    public char? State(int pid)
    {
        try
        {
            return ChildProcess.TryParseStat(File.ReadAllText($"/proc/{pid}/stat"), out var state, out _) ? state : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
