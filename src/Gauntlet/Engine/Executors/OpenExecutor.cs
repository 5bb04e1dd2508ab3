using System.Collections.Concurrent;
using System.Diagnostics;
using Gauntlet.Metrics;
using Gauntlet.Scenarios;
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

    /// <summary>
    /// The schedule's window in seconds: from the scenario's start to the end of issuing, at most the schedule's end
    /// (so the duration, not the moment a thread noticed it). Rates are <see cref="Scheduled"/> over this window.
    /// </summary>
    public double ScheduledSeconds { get; private set; }

    public async Task RunAsync(ScenarioRun run)
    {
        _run = run;
        // Said before the first await, so the end of the scenario waits for the arrivals still owed at the stop.
        run.Dispatching = true;
        try
        {
            await DispatchAsync(run).ConfigureAwait(false);
        }
        finally
        {
            run.Dispatching = false;
        }
    }

    private async Task DispatchAsync(ScenarioRun run)
    {
        var slots = run.Slots;
        _signals = new IssueSignal[slots.Length];
        for (var i = 0; i < slots.Length; i++) _signals[i] = new IssueSignal(startOnDispatcher);
        foreach (var slot in slots) _ = Task.Run(() => run.RunWorkerAsync(slot, this));

        // Parking waits for pool threads, so it is bounded on the real clock whatever the scenario's clock is.
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
                run.Dispatching = false;
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
        // The schedule runs from the scenario's start, not from when the slots were ready or the dispatcher first woke:
        // arrivals due while the slots were still parking start late (their lag is measured) or are dropped, never
        // forgotten, so a timed run asks for rate × duration arrivals however long the set-up took.
        var start = run.StartTicks;
        var clock = run.Time;
        var (end, endReason) = ScheduleEnd(run.Scenario.Bounds.Duration);
        long dispatched = 0;
        while (!run.IssuingStopped)
        {
            var elapsed = clock.Since(start);
            var ending = end is { } last && elapsed >= last;
            if (ending) elapsed = end!.Value;
            dispatched = DispatchDue(run, start, Due(elapsed), dispatched, afterStop: false);
            if (ending)
            {
                run.StopIssuing(endReason);
                break;
            }
            var nextSeconds = ArrivalSeconds(run.Segment, dispatched + 1);
            var remaining = double.IsPositiveInfinity(nextSeconds)
                ? long.MaxValue
                : start + (long)(nextSeconds * Stopwatch.Frequency) - clock.Now;
            if (remaining <= 0) continue;
            // Sleep until the next arrival, waking at least every 50 ms to notice a stop. Below a millisecond a
            // precise sleep; the schedule is an integral, so waking late only delays (and batches) arrivals.
            var wait = Clock.ToTimeSpan(Math.Min(remaining, MaxSleepTicks));
            // On the system clock the dispatcher keeps its own precise sleep (a wait handle down to 1 ms, then
            // nanosleep): a TimeProvider timer wakes on the coarse timer queue, a millisecond or more late, which at
            // 10k-100k arrivals/s batches arrivals and adds scheduling lag; bench/results/engine.md holds the rate
            // within 0.01 % on this path. Another provider (a fake clock) is followed through its own timer.
            if (!clock.IsSystem) clock.Sleep(wait, run.StopIssuingToken.WaitHandle);
            else if (wait >= TimeSpan.FromMilliseconds(2)) run.StopIssuingToken.WaitHandle.WaitOne(wait - TimeSpan.FromMilliseconds(1));
            else PreciseSleep.For(wait);
        }
        var stoppedAt = Clock.ToTimeSpan((run.StopTicks == 0 ? clock.Now : run.StopTicks) - start);
        if (end is { } limit && stoppedAt > limit) stoppedAt = limit;
        var scheduled = Due(stoppedAt);
        // The end of the schedule is often noticed first by the collector (the duration bound), while this thread
        // sleeps towards the next arrival: the arrivals due before that instant are still owed, and handed to a
        // parked slot or dropped now. An interruption, a hang or the deadline ends issuing at once instead.
        if (run.StopReason is StopReason.Duration or StopReason.Completed)
            dispatched = DispatchDue(run, start, scheduled, dispatched, afterStop: true);
        Scheduled = Math.Max(scheduled, dispatched);
        ScheduledSeconds = stoppedAt.TotalSeconds;
        run.ArrivalsDispatched = dispatched;
    }

    /// <summary>
    /// This run's arrivals due <paramref name="elapsed"/> after the start: of the whole schedule's (the integral,
    /// floored), the segment's share, dealt one by one, so the segments' arrivals interleave and add up exactly.
    /// </summary>
    private long Due(TimeSpan elapsed) => _run!.Segment.ShareOf((long)Math.Floor(profile.ArrivalsBy(elapsed) + 1e-9));

    /// <summary>Seconds from the start until this run's arrival <paramref name="local"/> (from 1) is due; +∞ if never.</summary>
    private double ArrivalSeconds(Segment segment, long local) => profile.ArrivalSeconds(GlobalArrival(segment, local));

    /// <summary>The number in the whole schedule (from 1) of this run's arrival <paramref name="local"/> (from 1).</summary>
    private static long GlobalArrival(Segment segment, long local) => segment.GlobalOf(local - 1) + 1;

    /// <summary>
    /// Where the schedule ends: the profile's stages or the duration bound, whichever comes first (null: it runs until
    /// stopped). The dispatcher stops there itself, so the count does not depend on when the collector thread wakes.
    /// </summary>
    private (TimeSpan? End, StopReason Reason) ScheduleEnd(TimeSpan? bound) => (profile.NaturalDuration, bound) switch
    {
        ({ } natural, { } duration) => duration <= natural ? (duration, StopReason.Duration) : (natural, StopReason.Completed),
        ({ } natural, null) => (natural, StopReason.Completed),
        (null, { } duration) => (duration, StopReason.Duration),
        _ => (null, StopReason.Completed),
    };

    /// <summary>
    /// Hands arrivals up to number <paramref name="due"/> to idle slots, each stamped with its intended start; with
    /// every slot busy an arrival is dropped and counted. Returns the arrivals dispatched so far.
    /// </summary>
    private long DispatchDue(ScenarioRun run, long start, long due, long dispatched, bool afterStop)
    {
        var frequency = (double)Stopwatch.Frequency;
        while (dispatched < due && (afterStop || !run.IssuingStopped))
        {
            if (!run.ClaimIteration()) break;
            dispatched++;
            var global = GlobalArrival(run.Segment, dispatched);
            var intended = start + (long)(profile.ArrivalSeconds(global) * frequency);
            if (_idle.TryDequeue(out var slot))
            {
                run.AddHandedOff();
                _signals[slot.Id].Set(new Issue(true, global - 1, global, intended));
            }
            else run.AddDropped();
        }
        return dispatched;
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
