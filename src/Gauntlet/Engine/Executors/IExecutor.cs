namespace Gauntlet.Engine.Executors;

/// <summary>
/// Drives one load model: starts workers or dispatches arrivals until <see cref="ScenarioRun.StopIssuingToken"/>
/// fires, and calls <see cref="ScenarioRun.StopIssuing"/> with <see cref="StopReason.Completed"/> when the profile
/// runs its course. The executors share the worker loop in <see cref="ScenarioRun.RunWorkerAsync"/>.
/// </summary>
internal interface IExecutor
{
    /// <summary>Starts issuing; the returned task ends when this executor has stopped starting work (in-flight work may remain).</summary>
    Task RunAsync(ScenarioRun run);

    /// <summary>Barrier starts only: the workers' actual release times relative to the release instant, in ticks.</summary>
    BarrierRelease? Barrier { get; }

    /// <summary>After the seal: wakes every worker still parked waiting for work, so its loop ends.</summary>
    void ReleaseParked() { }
}

/// <summary>The instant a barrier released its workers, in clock ticks.</summary>
internal sealed record BarrierRelease(long ReleaseTicks, int Workers);
