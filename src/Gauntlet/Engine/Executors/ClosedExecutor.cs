using Gauntlet.Metrics;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Engine.Executors;

/// <summary>
/// Closed model: keeps <see cref="ClosedProfile.TargetAt"/> workers running, each issuing back to back.
/// Ramps and batches are a schedule of targets; a worker above the target stops after its current operation.
/// </summary>
internal sealed class ClosedExecutor(ClosedProfile profile) : IExecutor, IIssuer
{
    /// <summary>How often the controller re-checks the workers while the target may still change.</summary>
    private static readonly TimeSpan ReconcileEvery = TimeSpan.FromMilliseconds(50);

    private ScenarioRun? _run;
    private long _stride;

    public BarrierRelease? Barrier { get; private set; }

    public async Task RunAsync(ScenarioRun run)
    {
        _run = run;
        var slots = run.Slots;
        // Operation ids interleave the workers of the whole scenario, so they are unique across segments too.
        _stride = run.Scenario.Load.MaxConcurrency;
        var tasks = new Task?[slots.Length];

        if (profile.Barrier)
        {
            var barrier = new WorkerBarrier(run.Time);
            run.TargetWorkers = slots.Length;
            for (var i = 0; i < slots.Length; i++)
            {
                var slot = slots[i];
                tasks[i] = Task.Run(async () =>
                {
                    await barrier.WaitAsync(slot).ConfigureAwait(false);
                    await run.RunWorkerAsync(slot, this).ConfigureAwait(false);
                });
            }
            var release = await barrier.ReleaseWhenReadyAsync(slots.Length, run.StopIssuingToken).ConfigureAwait(false);
            Barrier = new BarrierRelease(release, slots.Length);
            // The workers now issue until a bound stops them; this executor has nothing more to do until then.
            await WaitForStopAsync(run).ConfigureAwait(false);
            return;
        }

        while (!run.IssuingStopped)
        {
            var elapsed = run.Time.Since(run.StartTicks);
            var target = run.Segment.ShareOf(profile.TargetAt(elapsed));
            run.TargetWorkers = target;
            for (var i = 0; i < target; i++)
            {
                if (tasks[i] is null || tasks[i]!.IsCompleted)
                {
                    var slot = slots[i];
                    tasks[i] = Task.Run(() => run.RunWorkerAsync(slot, this));
                }
            }
            if (profile.NaturalDuration is { } natural && elapsed >= natural)
            {
                run.StopIssuing(StopReason.Completed);
                return;
            }
            var next = profile.NextChangeAfter(elapsed);
            var wait = next is { } at ? at - elapsed : (TimeSpan?)null;
            if (wait is null && profile.NaturalDuration is { } end) wait = end - elapsed;
            if (profile.Stages.Count > 0 && (wait is null || wait > ReconcileEvery)) wait = ReconcileEvery;
            try
            {
                await run.Time.Delay(wait ?? Timeout.InfiniteTimeSpan, run.StopIssuingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WaitForStopAsync(ScenarioRun run)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, run.StopIssuingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ValueTask<Issue> NextAsync(WorkerSlot slot)
    {
        var run = _run!;
        if (run.IssuingStopped || slot.Id >= run.TargetWorkers || !run.ClaimIteration()) return new(Issue.Stop);
        // The worker's own start count is its next iteration; ids interleave workers, so they are unique without a shared counter.
        var iteration = slot.Started;
        return new(Issue.Now(iteration, iteration * _stride + slot.GlobalId + 1));
    }
}
