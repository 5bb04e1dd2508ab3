using Microsoft.Extensions.Time.Testing;

namespace Gauntlet.Tests.Engine;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that moves in step with the engine: each time the collector thread (the
/// scenario's clock, which wakes at least every 100 ms) arms its timer, the test advances the clock to that timer,
/// so time passes when the run waits for it and not after a sleep of the test's own. A 2 s scenario takes as long as
/// its operations do.
/// Before each step the clock waits for the thread pool to go quiet (nothing queued, then no thread but the advancing one
/// at work): what the last step woke (a worker's next operation, a slot parking) runs up to its next wait before time
/// moves again. Without that, on a busy machine the collector's steps ran the whole simulated duration before a worker
/// got a thread: a closed run completed nothing, an open run stopped issuing while its slots were still parking.
/// </summary>
internal sealed class SimulatedClock : FakeTimeProvider
{
    /// <summary>How long, in real time, the run may take before the test fails.</summary>
    private static readonly TimeSpan RealBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long to wait for the collector's timer before advancing a millisecond anyway: outside the measured part
    /// (set-up, between the warm-up and the run, verifiers) no collector runs, and something else may wait on the clock.
    /// </summary>
    private static readonly TimeSpan Nudge = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long, in real time, to wait for the pool's queue to empty before stepping anyway (something outside the run
    /// may keep queueing): a bound, so a test never hangs on it, and long enough that a busy machine cannot outrun it.
    /// </summary>
    private static readonly TimeSpan QueueBound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long, in real time, to wait for the pool's threads to go idle once the queue is empty: short, because an
    /// operation that never waits (a warm-up of instant calls) keeps a thread busy for the whole run, and long enough for
    /// a thread that was preempted between taking its work and its next wait to be scheduled again.
    /// </summary>
    private static readonly TimeSpan IdleBound = TimeSpan.FromMilliseconds(50);

    /// <summary>Consecutive readings that must agree (each taken after a yield).</summary>
    private const int Readings = 3;

    private readonly SemaphoreSlim _collectorWaits = new(0);
    private long _collectorDueTicks;

    public SimulatedClock() : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Fired on the pool, not inside Advance, so the engine's continuations never run on the advancing thread.
        var timer = base.CreateTimer(static s =>
        {
            var (callback, state) = ((TimerCallback, object?))s!;
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.callback(c.state), (callback, state), preferLocal: false);
        }, (callback, state), dueTime, period);
        if (Thread.CurrentThread.Name == "gauntlet-collector")
        {
            Volatile.Write(ref _collectorDueTicks, dueTime.Ticks);
            _collectorWaits.Release();
        }
        return timer;
    }

    /// <summary>
    /// Awaits <paramref name="run"/>, advancing the clock to the collector's next wake-up each time it arms one (or by
    /// 1 ms after a 20 ms nudge when no collector runs); fails after 60 s of real time or <paramref name="maxSteps"/> steps.
    /// </summary>
    public async Task<T> AdvanceUntilDone<T>(Task<T> run, int maxSteps = 100_000)
    {
        var real = global::System.Diagnostics.Stopwatch.StartNew();
        for (var steps = 0; !run.IsCompleted; steps++)
        {
            var waiting = _collectorWaits.WaitAsync(Nudge);
            if (await Task.WhenAny(run, waiting) == run) break;
            var collectorWaits = await waiting;
            if (real.Elapsed > RealBound) throw new TimeoutException($"the run did not end within {RealBound.TotalSeconds} s of real time ({steps} steps)");
            if (steps >= maxSteps) throw new TimeoutException($"the run did not end within {maxSteps} steps of simulated time");
            AwaitQuietPool();
            Advance(collectorWaits ? TimeSpan.FromTicks(Volatile.Read(ref _collectorDueTicks)) : TimeSpan.FromMilliseconds(1));
        }
        return await run;
    }

    /// <summary>
    /// Returns once the pool has nothing queued (at most <see cref="QueueBound"/>) and then no worker thread but the
    /// caller's at work (at most <see cref="IdleBound"/>), each in <see cref="Readings"/> readings in a row.
    /// </summary>
    private static void AwaitQuietPool()
    {
        var self = Thread.CurrentThread.IsThreadPoolThread ? 1 : 0;
        AwaitReadings(() => ThreadPool.PendingWorkItemCount == 0, QueueBound);
        AwaitReadings(() =>
        {
            ThreadPool.GetMaxThreads(out var max, out _);
            ThreadPool.GetAvailableThreads(out var available, out _);
            return max - available <= self;
        }, IdleBound);
    }

    private static void AwaitReadings(Func<bool> quiet, TimeSpan bound)
    {
        var real = global::System.Diagnostics.Stopwatch.StartNew();
        for (var agreeing = 0; agreeing < Readings && real.Elapsed < bound;)
        {
            Thread.Yield();
            agreeing = quiet() ? agreeing + 1 : 0;
        }
    }
}
