using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Gauntlet.Tests.Engine;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that moves in step with the engine, as a discrete-event simulation: time passes when
/// the run waits for it and not after a sleep of the test's own, so a 2 s scenario takes as long as its operations do.
/// <list type="bullet">
/// <item>Each step goes to the collector's next wake-up (the scenario's clock, which wakes at least every 100 ms), or to
/// the earliest timer due before it (an operation's delay, the dispatcher's next arrival), so no timer fires late.</item>
/// <item>Before each step, what the last step woke runs up to its next wait: its timer callbacks have returned (with the
/// continuations they ran inline: an operation reading its end after its delay), the engine's own threads it woke (the
/// collector, the dispatcher) have armed their next timer or ended, and the thread pool has gone quiet (nothing queued,
/// then no thread but the advancing one at work).</item>
/// </list>
/// Without the first, a step went to the collector's wake-up past an operation's delay, which then measured 1.4 s for
/// 1.3 s. Without the second, on a busy machine the steps ran past threads that had been woken but had not yet had a
/// core: an operation's end was read a step late, the dispatcher found the whole schedule due at once, and a closed run
/// completed nothing.
/// </summary>
internal sealed class SimulatedClock : FakeTimeProvider
{
    /// <summary>How long, in real time, the run may take before the test fails.</summary>
    private static readonly TimeSpan RealBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long to wait for the collector's timer before stepping anyway: outside the measured part (set-up, between the
    /// warm-up and the run, verifiers) no collector runs, and something else may wait on the clock.
    /// </summary>
    private static readonly TimeSpan Nudge = TimeSpan.FromMilliseconds(20);

    /// <summary>How far a step goes when neither the collector nor any other timer is waiting on the clock.</summary>
    private static readonly TimeSpan IdleStep = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How long, in real time, to wait for what a step woke to be waiting again. An operation that never waits (the
    /// instant calls after a cold start) runs on inside the callback that woke it and pays this at every step, so it is
    /// a bound, not a wait for something certain: long enough for a woken thread to get a core on a busy 2-core machine,
    /// whose scheduler hands each runnable thread one within a few tens of milliseconds.
    /// </summary>
    private static readonly TimeSpan WokenBound = TimeSpan.FromMilliseconds(250);

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

    private readonly SemaphoreSlim _collectorArmed = new(0);

    /// <summary>When (<see cref="TimeProvider.GetUtcNow"/> ticks) the collector's armed timer is due; 0 before it first arms.</summary>
    private long _collectorDue;

    /// <summary>The timers armed and not yet fired, disposed or disarmed, for the earliest one due.</summary>
    private readonly HashSet<Tracked> _armed = [];

    /// <summary>Timer callbacks fired by a step and not yet returned.</summary>
    private int _firing;

    /// <summary>
    /// The engine's own threads (named <c>gauntlet-*</c>: the collector, the dispatcher) whose timer a step fired and that
    /// have not yet armed the next one or ended: woken, and still at work on what the step made due.
    /// </summary>
    private readonly ConcurrentDictionary<Thread, byte> _owing = new();

    public SimulatedClock() : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var creator = Thread.CurrentThread;
        // Its last timer fired and it armed the next: the engine thread is back to waiting.
        _owing.TryRemove(creator, out _);
        var engineThread = creator.Name is { } name && name.StartsWith("gauntlet-", StringComparison.Ordinal);
        var tracked = new Tracked(this);
        // Armed before the inner timer exists, so a timer that fires as it is created is already known when it does. The
        // engine's own threads are left to the collector's steps: the dispatcher's sleeps towards each arrival would
        // make a step per arrival, and arrivals batched to the collector's steps are what the open-model tests expect.
        if (!engineThread) tracked.Arm(dueTime, period);
        // Fired on the pool, not inside Advance, so the engine's continuations never run on the advancing thread. The
        // count goes up inside Advance, before the step returns, and down when the callback (with the continuations it
        // runs inline, such as an operation's after its delay) returns.
        tracked.Inner = base.CreateTimer(_ =>
        {
            tracked.Fired();
            if (engineThread) _owing.TryAdd(creator, 0);
            Interlocked.Increment(ref _firing);
            ThreadPool.UnsafeQueueUserWorkItem(static c =>
            {
                try
                {
                    c.callback(c.state);
                }
                finally
                {
                    Interlocked.Decrement(ref c.clock._firing);
                }
            }, (callback, state, clock: this), preferLocal: false);
        }, null, dueTime, period);
        if (creator.Name == "gauntlet-collector")
        {
            Volatile.Write(ref _collectorDue, (GetUtcNow() + dueTime).UtcTicks);
            _collectorArmed.Release();
        }
        return tracked;
    }

    /// <summary>
    /// Awaits <paramref name="run"/>, stepping the clock to the collector's next wake-up or the earliest timer before it
    /// (or by <see cref="IdleStep"/> when the collector has not armed within <see cref="Nudge"/> and no timer waits);
    /// fails after 60 s of real time or <paramref name="maxSteps"/> steps.
    /// </summary>
    public async Task<T> AdvanceUntilDone<T>(Task<T> run, int maxSteps = 100_000)
    {
        var real = global::System.Diagnostics.Stopwatch.StartNew();
        for (var steps = 0; !run.IsCompleted; steps++)
        {
            if (Volatile.Read(ref _collectorDue) <= GetUtcNow().UtcTicks && await CollectorArmed(run) is false) break;
            if (real.Elapsed > RealBound) throw new TimeoutException($"the run did not end within {RealBound.TotalSeconds} s of real time ({steps} steps)");
            if (steps >= maxSteps) throw new TimeoutException($"the run did not end within {maxSteps} steps of simulated time");
            AwaitQuietProcess();
            var now = GetUtcNow().UtcTicks;
            var collector = Volatile.Read(ref _collectorDue);
            var target = Math.Min(collector > now ? collector : long.MaxValue, EarliestDue(now));
            Advance(target == long.MaxValue ? IdleStep : TimeSpan.FromTicks(target - now));
        }
        return await run;
    }

    /// <summary>
    /// Waits up to <see cref="Nudge"/> for the collector to arm a timer due after now; false when <paramref name="run"/>
    /// ended first. A release left from an arming already stepped past is not taken for a new one.
    /// </summary>
    private async Task<bool> CollectorArmed(Task run)
    {
        var waited = global::System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < Nudge && Volatile.Read(ref _collectorDue) <= GetUtcNow().UtcTicks)
        {
            var armed = _collectorArmed.WaitAsync(Nudge - waited.Elapsed);
            if (await Task.WhenAny(run, armed) == run) return false;
            if (!await armed) break;
        }
        return true;
    }

    /// <summary>The earliest due time after <paramref name="now"/> among the armed timers; <see cref="long.MaxValue"/> when none.</summary>
    private long EarliestDue(long now)
    {
        lock (_armed)
        {
            var earliest = long.MaxValue;
            foreach (var timer in _armed)
                if (timer.Due > now && timer.Due < earliest) earliest = timer.Due;
            return earliest;
        }
    }

    /// <summary>
    /// Returns once what the last step woke is back to waiting: every timer callback it fired has returned and every
    /// engine thread it woke has armed its next timer or ended (at most <see cref="WokenBound"/>); then the pool has
    /// nothing queued (at most <see cref="QueueBound"/>) and no worker thread but the caller's at work (at most
    /// <see cref="IdleBound"/>), each in <see cref="Readings"/> readings in a row.
    /// </summary>
    /// <remarks>
    /// The first wait is on events the clock sees itself, so a busy machine cannot outrun it; the pool's counts are a
    /// heuristic for what those events do not cover (continuations queued to the pool).
    /// </remarks>
    private void AwaitQuietProcess()
    {
        AwaitReadings(() => Volatile.Read(ref _firing) == 0 && _owing.Keys.All(t => !t.IsAlive), WokenBound);
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

    /// <summary>A timer of the fake clock whose next due time the clock keeps, so a step never passes it.</summary>
    private sealed class Tracked(SimulatedClock clock) : ITimer
    {
        public ITimer Inner = null!;
        private TimeSpan _period;

        /// <summary>When (<see cref="TimeProvider.GetUtcNow"/> ticks) it fires next; read under the clock's lock.</summary>
        public long Due;

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._armed)
            {
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    clock._armed.Remove(this);
                    return;
                }
                Due = (clock.GetUtcNow() + dueTime).UtcTicks;
                clock._armed.Add(this);
            }
        }

        /// <summary>Called inside the step that fires it: a periodic timer is due again a period later, another is done.</summary>
        public void Fired()
        {
            lock (clock._armed)
            {
                if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan) Due += _period.Ticks;
                else clock._armed.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = Inner.Change(dueTime, period);
            if (changed) Arm(dueTime, period);
            return changed;
        }

        public void Dispose()
        {
            lock (clock._armed) clock._armed.Remove(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            lock (clock._armed) clock._armed.Remove(this);
            return Inner.DisposeAsync();
        }
    }
}
