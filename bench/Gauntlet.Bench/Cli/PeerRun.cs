using Gauntlet.Targets.Process;

namespace Gauntlet.Bench.Cli;

/// <summary>
/// One run of a whole program, the way a user meets it: its own process, start-up included, measured from the outside
/// with Gauntlet's own child-process runner: wall time around it, user and system CPU from <c>wait4</c>'s rusage (the
/// whole process, every thread), and peak RSS as that runner reports it: rusage's, or, for a program whose peak stays
/// below this benchmark's own (posix_spawn's exec can carry the parent's mark), its VmHWM sampled while it ran, which
/// can miss the peak of a program that lives for a few milliseconds.
/// </summary>
internal sealed record PeerRun(string Stdout, string Stderr, double WallSeconds, double CpuSeconds, long PeakRssBytes)
{
    /// <summary>Runs <paramref name="program"/> to its end (at most <paramref name="limit"/>); a non-zero exit or a signal throws.</summary>
    public static async Task<PeerRun> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan limit, params int[] acceptedExitCodes)
    {
        var launch = new ProcessLaunch(program, arguments);
        var limits = new ProcessLimits { Timeout = limit, HeadBytes = 256 * 1024, TailBytes = 64 * 1024 };
        var exit = await ChildProcess.RunAsync(launch, limits).ConfigureAwait(false);
        var accepted = acceptedExitCodes.Length == 0 ? [0] : acceptedExitCodes;
        if (exit.Ending != ProcessEnding.Exited || !accepted.Contains(exit.ExitCode ?? -1))
            throw new InvalidOperationException($"{launch.Describe()}: {exit.Describe()}\n{exit.Stderr.LastLines(10)}\n{exit.Stdout.LastLines(10)}");
        return new PeerRun(exit.Stdout.Text, exit.Stderr.Text, exit.Elapsed.TotalSeconds, (exit.UserCpu + exit.SystemCpu).TotalSeconds, exit.PeakRssBytes);
    }
}
