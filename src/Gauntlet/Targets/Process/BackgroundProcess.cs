using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Process;

/// <summary>
/// A program that runs beside a scenario rather than as its operation: the server a scenario's
/// operation starts in <see cref="Operation.SetUpAsync"/>, to be stopped in its <see cref="Operation.TearDownAsync"/>. Supervised by
/// <see cref="ChildProcess"/> exactly like an operation's child (its own process group, output drained and capped, the
/// whole group stopped with SIGTERM then SIGKILL), and, started from a setup, counted among the scenario's
/// <see cref="ScenarioProcesses"/>, so <c>MonitorOptions.StartedProcesses</c> samples it without a pid.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    /// <summary>
    /// How long <see cref="DisposeAsync"/> waits beyond the kill grace for the child to be reaped: ChildProcess gives
    /// a child that survives SIGKILL 10 s before it gives up on it.
    /// </summary>
    public static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stop;
    private readonly TimeSpan _killGrace;

    private BackgroundProcess(Task<ProcessExit> exited, CancellationTokenSource stop, TimeSpan killGrace)
    {
        Exited = exited;
        _stop = stop;
        _killGrace = killGrace;
    }

    /// <summary>
    /// Starts <paramref name="launch"/> in the background. A program that cannot be started is not an exception here:
    /// <see cref="Exited"/> completes at once with <see cref="ProcessEnding.NotStarted"/> and its errno.
    /// </summary>
    /// <param name="launch">What to run.</param>
    /// <param name="limits">Kill grace and output capture; a <see cref="ProcessLimits.Timeout"/> stops it early. Default: no timeout.</param>
    public static BackgroundProcess Start(ProcessLaunch launch, ProcessLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(launch);
        limits ??= new ProcessLimits();
        var stop = new CancellationTokenSource();
        return new BackgroundProcess(ChildProcess.RunAsync(launch, limits, stop.Token), stop, limits.KillGrace);
    }

    /// <summary>Completes when the program has ended (by itself, or stopped by <see cref="DisposeAsync"/>) and its output is drained.</summary>
    public Task<ProcessExit> Exited { get; }

    /// <summary>
    /// Stops the program's whole process group (SIGTERM, then SIGKILL after the kill grace) unless it has ended, and
    /// waits until it is reaped. Throws <see cref="TimeoutException"/> if it is not reaped within the kill grace plus
    /// <see cref="ReapTimeout"/> (the group has had SIGKILL by then).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Exited.WaitAsync(_killGrace + ReapTimeout).ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
