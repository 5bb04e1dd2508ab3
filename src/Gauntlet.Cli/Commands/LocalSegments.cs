using System.Globalization;
using Gauntlet.Targets.Process;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>gauntlet run FILE --segments N</c>: the file split into N segments, each run by a process of this program
/// (<c>run FILE --segment i/N --start-at T --out DIR/segment-i</c>) from one shared start, then merged by a last one
/// (<c>merge DIR/segment-0 ... --out DIR</c>). The same commands a cluster's pods and merge job run, so what works here
/// works there; on one big machine it uses every core without one process's scheduler in the way.
/// </summary>
internal static class LocalSegments
{
    /// <summary>The most segments one machine runs (each is a process with its own runtime).</summary>
    public const int MaxSegments = 256;

    /// <summary>The name of segment i's folder under the run's results folder.</summary>
    public static string FolderName(int index) => $"segment-{index}";

    /// <summary>How long a stopped segment (SIGTERM) has to write its partial result before its group is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    /// <summary>How much of a segment's output is kept to show when it fails (its start and its end).</summary>
    private const int KeptOutputBytes = 4 * 1024;

    /// <summary>How much of the merge's output is kept: all of the summary it prints.</summary>
    private const int MergeOutputBytes = 1024 * 1024;

    /// <summary>What the segments and the merge are given besides the file: its selection and variables, and the outputs.</summary>
    /// <param name="Count">How many segments.</param>
    /// <param name="Selection">Arguments each segment takes over (<c>--scenario</c>, <c>--set</c>).</param>
    /// <param name="Merge">Arguments the merge takes over (<c>--set</c>, <c>--junit</c>, <c>--baseline</c>, ...).</param>
    public sealed record Plan(int Count, IReadOnlyList<string> Selection, IReadOnlyList<string> Merge);

    public static async Task<int> RunAsync(RunSettings run, Plan plan, CliConsole io)
    {
        using var interruption = new Interruption(io.Stderr);
        var startAt = SharedStart(plan.Count);
        var folders = Enumerable.Range(0, plan.Count).Select(i => Path.Combine(run.OutputFolder, FolderName(i))).ToList();
        foreach (var folder in folders) Directory.CreateDirectory(folder);
        io.Stdout.WriteLine($"{plan.Count} segments of {run.File}, each a process, from {startAt:HH:mm:ss.fff} UTC; their output in {Path.Combine(run.OutputFolder, "segment-*", "output.log")}");
        var exits = await Task.WhenAll(Enumerable.Range(0, plan.Count)
            .Select(i => RunSegmentAsync(run, plan, i, startAt, folders[i], interruption.Token))).ConfigureAwait(false);
        for (var i = 0; i < exits.Length; i++) io.Stdout.WriteLine($"  segment {i}/{plan.Count}: {Describe(exits[i])}");
        if (FirstFailure(exits, interruption.Token.IsCancellationRequested) is { } failed)
        {
            io.Error($"gauntlet run: segment {failed}/{plan.Count} {Describe(exits[failed])}; nothing was merged. Its output:");
            io.Error(exits[failed].Stderr.Text.Trim().Length > 0 ? exits[failed].Stderr.Text.Trim() : exits[failed].Stdout.Text.Trim());
            return exits[failed].ExitCode is { } code and not 0 ? code : ExitCodes.HarnessError;
        }
        return await MergeAsync(run, plan, folders, io).ConfigureAwait(false);
    }

    /// <summary>
    /// When the segments begin: far enough ahead that every process has started its runtime and read the file (half a
    /// second each on a busy machine, at least two), so they begin together rather than in the order they were spawned.
    /// </summary>
    private static DateTimeOffset SharedStart(int count)
    {
        var lead = TimeSpan.FromSeconds(Math.Max(2, 0.5 * count));
        var at = DateTimeOffset.UtcNow + lead;
        return new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    private static Task<ProcessExit> RunSegmentAsync(RunSettings run, Plan plan, int index, DateTimeOffset startAt, string folder, CancellationToken stop)
    {
        List<string> arguments = ["run", run.File, "--segment", $"{index}/{plan.Count}",
            "--start-at", startAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), "--out", folder, .. plan.Selection];
        var launch = ThisProgram.Launch(arguments) with
        {
            StdoutLog = Path.Combine(folder, "output.log"),
            StderrLog = Path.Combine(folder, "errors.log"),
        };
        // A stop request reaches each segment as SIGTERM to its group: it stops issuing and writes its partial result.
        return ChildProcess.RunAsync(launch, new ProcessLimits { KillGrace = StopGrace, HeadBytes = KeptOutputBytes, TailBytes = KeptOutputBytes }, stop);
    }

    /// <summary>
    /// The first segment that leaves nothing to merge: it did not start, died by a signal, or ended with an exit code
    /// other than a verdict's (0 passed, 1 failed, 5 unknown; 130 too once the run was interrupted). Null: merge.
    /// </summary>
    private static int? FirstFailure(ProcessExit[] exits, bool interrupted)
    {
        for (var i = 0; i < exits.Length; i++)
        {
            var verdict = exits[i] is { Ending: ProcessEnding.Exited, ExitCode: ExitCodes.Passed or ExitCodes.Failed or ExitCodes.VerdictUnknown }
                || (interrupted && exits[i] is { Ending: ProcessEnding.Exited, ExitCode: ExitCodes.Interrupted });
            if (!verdict) return i;
        }
        return null;
    }

    private static string Describe(ProcessExit exit) => exit.Ending switch
    {
        ProcessEnding.Exited => exit.ExitCode switch
        {
            ExitCodes.Passed or ExitCodes.Failed or ExitCodes.VerdictUnknown => $"ran ({exit.Elapsed.TotalSeconds:0.0} s)",
            ExitCodes.InvalidInput => "ended with exit code 2: invalid input",
            ExitCodes.TargetUnreachable => "ended with exit code 3: the target was not reached",
            ExitCodes.Interrupted => "was interrupted (exit code 130)",
            { } code => $"ended with exit code {code}",
            null => "ended",
        },
        _ => exit.Describe(),
    };

    /// <summary>Merges the segments' results into the run's folder, as a merge job would, and passes on its output and exit code.</summary>
    private static async Task<int> MergeAsync(RunSettings run, Plan plan, List<string> folders, CliConsole io)
    {
        List<string> arguments = ["merge", .. folders, "--out", run.OutputFolder, "--file", run.File, .. plan.Merge];
        var exit = await ChildProcess.RunAsync(ThisProgram.Launch(arguments), new ProcessLimits { HeadBytes = MergeOutputBytes, TailBytes = MergeOutputBytes }).ConfigureAwait(false);
        io.Stdout.Write(exit.Stdout.Text);
        io.Stderr.Write(exit.Stderr.Text);
        return exit is { Ending: ProcessEnding.Exited, ExitCode: { } code } ? code : ExitCodes.HarnessError;
    }
}
