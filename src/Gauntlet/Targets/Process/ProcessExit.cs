namespace Gauntlet.Targets.Process;

/// <summary>How a child process ended. A closed set.</summary>
public enum ProcessEnding
{
    /// <summary>The program could not be started (missing, not executable, out of descriptors): see <see cref="ProcessExit.SpawnError"/>.</summary>
    NotStarted,
    /// <summary>It exited normally with <see cref="ProcessExit.ExitCode"/> (139 here is a plain exit code, not a signal).</summary>
    Exited,
    /// <summary>A signal killed it: <see cref="ProcessExit.Signal"/>, and <see cref="ProcessExit.CoreDumped"/>.</summary>
    Signaled,
}

/// <summary>
/// Everything known about one run of a child process: its exact ending (from <c>wait4</c>), why Gauntlet stopped it
/// if it did, what it left behind, its output as kept, and its resource use (from <c>rusage</c>).
/// </summary>
public sealed record ProcessExit
{
    /// <summary>How it ended.</summary>
    public ProcessEnding Ending { get; init; }

    /// <summary>The exit code when <see cref="Ending"/> is <see cref="ProcessEnding.Exited"/>.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal number when <see cref="Ending"/> is <see cref="ProcessEnding.Signaled"/>.</summary>
    public int? Signal { get; init; }

    /// <summary>The signal's name (<c>SIGSEGV</c>) when <see cref="Ending"/> is <see cref="ProcessEnding.Signaled"/>.</summary>
    public string? SignalName { get; init; }

    /// <summary>True when the signal dumped core.</summary>
    public bool CoreDumped { get; init; }

    /// <summary>The error number's name (<c>ENOENT</c>, <c>EACCES</c>, <c>EMFILE</c>) when the program could not be started.</summary>
    public string? SpawnError { get; init; }

    /// <summary>The system's message for <see cref="SpawnError"/>.</summary>
    public string? SpawnMessage { get; init; }

    /// <summary>The child's pid (also its process group and session id); 0 when it was not started.</summary>
    public int Pid { get; init; }

    /// <summary>True when Gauntlet stopped it because its timeout elapsed.</summary>
    public bool TimedOut { get; init; }

    /// <summary>True when Gauntlet stopped it because the caller cancelled (end of the run, Ctrl-C).</summary>
    public bool Cancelled { get; init; }

    /// <summary>
    /// Set when the child exited but left processes in its group or its output pipes open after the linger time;
    /// they were then killed (or, for a process that left the group, the pipes were abandoned). Says what was left.
    /// </summary>
    public string? Leak { get; init; }

    /// <summary>Standard output as kept (head and tail).</summary>
    public CapturedOutput Stdout { get; init; } = CapturedOutput.Empty;

    /// <summary>Standard error as kept (head and tail).</summary>
    public CapturedOutput Stderr { get; init; } = CapturedOutput.Empty;

    /// <summary>Wall time from the spawn to the child's exit.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Peak resident set size of the child (the largest of its waited-for descendants included), in bytes.</summary>
    public long PeakRssBytes { get; init; }

    /// <summary>User CPU time of the child and its waited-for descendants.</summary>
    public TimeSpan UserCpu { get; init; }

    /// <summary>System CPU time of the child and its waited-for descendants.</summary>
    public TimeSpan SystemCpu { get; init; }

    /// <summary>One phrase: <c>exit 0</c>, <c>exit 139</c>, <c>SIGSEGV (core dumped)</c>, <c>not started: ENOENT (No such file or directory)</c>.</summary>
    public string Describe() => Ending switch
    {
        ProcessEnding.NotStarted => $"not started: {SpawnError} ({SpawnMessage})",
        ProcessEnding.Exited => $"exit {ExitCode}",
        ProcessEnding.Signaled => SignalName + (CoreDumped ? " (core dumped)" : ""),
        _ => throw new InvalidOperationException($"unknown ending {Ending}"),
    };
}
