using Gauntlet.Scenarios;
using Gauntlet.Targets.Process.Native;

namespace Gauntlet.Targets.Process;

/// <summary>
/// Signals a running child's process group so that the signal provably lands on a live process: the group is stopped
/// first (SIGSTOP cannot be caught), and only once its leader is seen stopped, and so cannot exit on its own, is the
/// real signal sent. A leader seen as a zombie had already exited: nothing is sent, and the caller hears it missed.
/// Without the stop, a kill racing the child's own exit would be counted as a kill of an operation that succeeded.
/// </summary>
internal static class GroupSignal
{
    /// <summary>How long to wait for a stopped leader to show as stopped before signalling anyway.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromMilliseconds(100);

    /// <summary>Delivers <paramref name="signal"/>; <paramref name="hitting"/> runs once the leader is held alive, before the signal.</summary>
    public static bool Deliver(int pid, AgentSignal signal, Action? hitting = null)
    {
        if (signal == AgentSignal.Continue) return Libc.Kill(-pid, Libc.SIGCONT) == 0;
        if (Libc.Kill(-pid, Libc.SIGSTOP) != 0) return false;
        var state = WaitForStop(pid);
        if (state is null or 'Z' or 'X')
        {
            Libc.Kill(-pid, Libc.SIGCONT);
            return false;
        }
        hitting?.Invoke();
        switch (signal)
        {
            case AgentSignal.Stop:
                return true;
            case AgentSignal.Kill:
                // SIGKILL ends stopped processes too; no continue needed.
                return Libc.Kill(-pid, Libc.SIGKILL) == 0;
            default:
                // Pending while stopped, delivered the moment the group continues.
                var sent = Libc.Kill(-pid, Libc.SIGINT) == 0;
                Libc.Kill(-pid, Libc.SIGCONT);
                return sent;
        }
    }

    /// <summary>The leader's state once it is stopped, a zombie or gone (null), polling /proc briefly.</summary>
    private static char? WaitForStop(int pid)
    {
        var deadline = Environment.TickCount64 + (long)StopWait.TotalMilliseconds;
        while (true)
        {
            var state = State(pid);
            if (state is null or 'T' or 't' or 'Z' or 'X' || Environment.TickCount64 >= deadline) return state;
            Thread.Yield();
        }
    }

    /// <summary>The process state letter from <c>/proc/PID/stat</c>; null when it is gone.</summary>
    private static char? State(int pid)
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
