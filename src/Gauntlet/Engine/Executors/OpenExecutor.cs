using System.Collections.Concurrent;
using System.Diagnostics;
using Gauntlet.Metrics;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Engine.Executors;

/// <summary>
/// Open model: a dispatcher thread follows the arrival schedule and hands each arrival, stamped with its
/// intended start, to an idle slot; when every slot is busy the arrival is counted as dropped. Arrivals are
/// computed from the integral of the rate, so the achieved count never drifts from the schedule however late
/// the dispatcher wakes; lateness shows up as scheduling lag, and latency is measured from the intended start.
/// With <paramref name="startOnDispatcher"/> (an operation that starts without blocking) the dispatcher runs each
/// arrival's start itself, up to the operation's first wait, rather than waking a pool thread per arrival.
/// </summary>
internal sealed class OpenExecutor(OpenProfile profile, bool startOnDispatcher = false) : IExecutor, IIssuer
{
    /// <summary>How long to wait for every slot to park before dispatching starts.</summary>
    private static readonly TimeSpan SlotsReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Longest single sleep of the dispatcher, so that it notices a stop promptly.</summary>
    private static readonly long MaxSleepTicks = Stopwatch.Frequency / 20;

    private readonly ConcurrentQueue<WorkerSlot> _idle = new();
    private IssueSignal[] _signals = [];
    private ScenarioRun? _run;

    public BarrierRelease? Barrier => null;

    /// <summary>Arrivals the schedule called for while issuing.</summary>
    public long Scheduled { get; private set; }

    public async Task RunAsync(ScenarioRun run)
    {
        _run = run;
        var slots = run.Slots;
        _signals = new IssueSignal[slots.Length];
        for (var i = 0; i < slots.Length; i++) _signals[i] = new IssueSignal(startOnDispatcher);
        foreach (var slot in slots) _ = Task.Run(() => run.RunWorkerAsync(slot, this));

        var readyBy = Clock.Now + Clock.FromTimeSpan(SlotsReadyTimeout);
        while (_idle.Count < slots.Length && Clock.Now < readyBy && !run.IssuingStopped)
            await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);

        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            try
            {
                Dispatch(run);
            }
            finally
            {
                finished.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "gauntlet-dispatcher",
        };
        dispatcher.Start();
        await finished.Task.ConfigureAwait(false);
    }

    private void Dispatch(ScenarioRun run)
    {
        var start = Clock.Now;
        var frequency = (double)Stopwatch.Frequency;
        var naturalEnd = profile.NaturalDuration;
        long dispatched = 0;
        while (!run.IssuingStopped)
        {
            var elapsed = Clock.ToTimeSpan(Clock.Now - start);
            var ending = naturalEnd is { } end && elapsed >= end;
            if (ending) elapsed = naturalEnd!.Value;
            var due = (long)Math.Floor(profile.ArrivalsBy(elapsed) + 1e-9);
            while (dispatched < due && !run.IssuingStopped)
            {
                if (!run.ClaimIteration()) break;
                dispatched++;
                var intended = start + (long)(profile.ArrivalSeconds(dispatched) * frequency);
                if (_idle.TryDequeue(out var slot))
                {
                    run.AddHandedOff();
                    _signals[slot.Id].Set(new Issue(true, dispatched - 1, dispatched, intended));
                }
                else run.AddDropped();
            }
            if (ending)
            {
                run.StopIssuing(StopReason.Completed);
                break;
            }
            var nextSeconds = profile.ArrivalSeconds(dispatched + 1);
            var remaining = double.IsPositiveInfinity(nextSeconds)
                ? long.MaxValue
                : start + (long)(nextSeconds * frequency) - Clock.Now;
            if (remaining <= 0) continue;
            // Sleep until the next arrival, waking at least every 50 ms to notice a stop. Below a millisecond a
            // precise sleep; the schedule is an integral, so waking late only delays (and batches) arrivals.
            var wait = Clock.ToTimeSpan(Math.Min(remaining, MaxSleepTicks));
            if (wait >= TimeSpan.FromMilliseconds(2)) run.StopIssuingToken.WaitHandle.WaitOne(wait - TimeSpan.FromMilliseconds(1));
            else PreciseSleep.For(wait);
        }
        var stoppedAt = Clock.ToTimeSpan((run.StopTicks == 0 ? Clock.Now : run.StopTicks) - start);
        if (naturalEnd is { } limit && stoppedAt > limit) stoppedAt = limit;
        Scheduled = (long)Math.Floor(profile.ArrivalsBy(stoppedAt) + 1e-9);
        run.ArrivalsDispatched = dispatched;
    }

    public ValueTask<Issue> NextAsync(WorkerSlot slot)
    {
        if (_run!.IssuingStopped) return new(Issue.Stop);
        var signal = _signals[slot.Id];
        var wait = signal.WaitAsync();
        _idle.Enqueue(slot);
        return wait;
    }

    public void ReleaseParked()
    {
        while (_idle.TryDequeue(out var slot)) _signals[slot.Id].Set(Issue.Stop);
    }
}
