using Microsoft.Extensions.Time.Testing;

namespace Gauntlet.Tests.Engine;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that moves in step with the engine: each time the collector thread (the
/// scenario's clock, which wakes at least every 100 ms) arms its timer, the test advances the clock to that timer,
/// so time passes when the run waits for it and not after a sleep of the test's own. A 2 s scenario takes as long as
/// its operations do.
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
            Advance(collectorWaits ? TimeSpan.FromTicks(Volatile.Read(ref _collectorDueTicks)) : TimeSpan.FromMilliseconds(1));
        }
        return await run;
    }
}
