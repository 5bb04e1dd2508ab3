using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Engine.Executors;

/// <summary>
/// Iterations model: each worker runs <see cref="IterationsProfile.Iterations"/> operations, or the workers
/// share that many in total (taken with one atomic increment each). Issuing completes when every worker is done.
/// </summary>
internal sealed class IterationsExecutor(IterationsProfile profile) : IExecutor, IIssuer
{
    private ScenarioRun? _run;
    private long _shared;

    public BarrierRelease? Barrier { get; private set; }

    public async Task RunAsync(ScenarioRun run)
    {
        _run = run;
        var slots = run.Slots;
        run.TargetWorkers = slots.Length;
        var tasks = new Task[slots.Length];
        if (profile.Batches is { } batches && !await StartInBatchesAsync(run, batches, tasks).ConfigureAwait(false)) return;
        WorkerBarrier? barrier = profile.Barrier ? new WorkerBarrier(run.Time) : null;
        for (var i = 0; i < slots.Length && profile.Batches is null; i++)
        {
            var slot = slots[i];
            tasks[i] = barrier is null
                ? Task.Run(() => run.RunWorkerAsync(slot, this))
                : Task.Run(async () =>
                {
                    await barrier.WaitAsync(slot).ConfigureAwait(false);
                    await run.RunWorkerAsync(slot, this).ConfigureAwait(false);
                });
        }
        if (barrier is not null)
        {
            var release = await barrier.ReleaseWhenReadyAsync(slots.Length, run.StopIssuingToken).ConfigureAwait(false);
            Barrier = new BarrierRelease(release, slots.Length);
        }
        try
        {
            await Task.WhenAll(tasks).WaitAsync(run.StopIssuingToken).ConfigureAwait(false);
            run.StopIssuing(StopReason.Completed);
        }
        catch (OperationCanceledException)
        {
            // Another bound stopped issuing first; the workers see it and stop after their current operation.
        }
    }

    /// <summary>
    /// Starts the workers batch by batch on a fixed schedule (batch k at k × every, so a late wake-up does not push
    /// every later batch back); a worker's batch is counted in the whole scenario's workers, so a segment starts its
    /// share of each batch at that batch's time. False when issuing stopped before all had started; the started ones
    /// see it and stop.
    /// </summary>
    private async Task<bool> StartInBatchesAsync(ScenarioRun run, Scenarios.LoadProfiles.BatchRamp batches, Task[] tasks)
    {
        var slots = run.Slots;
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            var wait = batches.Every * (slot.GlobalId / batches.Size) - run.Time.Since(run.StartTicks);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await run.Time.Delay(wait, run.StopIssuingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
            tasks[i] = Task.Run(() => run.RunWorkerAsync(slot, this));
        }
        return true;
    }

    public ValueTask<Issue> NextAsync(WorkerSlot slot)
    {
        var run = _run!;
        if (run.IssuingStopped) return new(Issue.Stop);
        if (profile.Shared)
        {
            // The segment's share of the total, each iteration with its number in the whole scenario.
            var n = Interlocked.Increment(ref _shared);
            if (n > run.Segment.ShareOf(profile.Iterations) || !run.ClaimIteration()) return new(Issue.Stop);
            var global = run.Segment.GlobalOf(n - 1);
            return new(Issue.Now(global, global + 1));
        }
        var iteration = slot.Started;
        if (iteration >= profile.Iterations || !run.ClaimIteration()) return new(Issue.Stop);
        return new(Issue.Now(iteration, iteration * profile.Workers + slot.GlobalId + 1));
    }
}
