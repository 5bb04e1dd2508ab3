using Microsoft.Extensions.Time.Testing;

namespace Gauntlet.Tests.Engine;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when something starts waiting on it (every wait of the engine, the
/// monitor, agent chaos and the fault proxy arms a timer), so a test advances scenario time in answer to those waits
/// rather than after a sleep of its own: a 2 s scenario takes as long as its operations do.
/// </summary>
internal sealed class SimulatedClock : FakeTimeProvider
{
    /// <summary>How long, in real time, the engine may go without waiting on the clock before the test fails.</summary>
    private static readonly TimeSpan RealBound = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _waits = new(0);

    public SimulatedClock() : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _waits.Release();
        return timer;
    }

    /// <summary>
    /// Awaits <paramref name="run"/>, advancing the clock by <paramref name="step"/> each time something arms a timer
    /// on it; fails when nothing does within 30 s of real time, or after <paramref name="maxSteps"/> steps.
    /// </summary>
    public async Task<T> AdvanceUntilDone<T>(Task<T> run, TimeSpan step, int maxSteps = 100_000)
    {
        for (var steps = 0; !run.IsCompleted; steps++)
        {
            var waiting = _waits.WaitAsync(RealBound);
            if (await Task.WhenAny(run, waiting) == run) break;
            if (!await waiting) throw new TimeoutException($"the run neither ended nor waited on the clock within {RealBound.TotalSeconds} s of real time");
            if (steps >= maxSteps) throw new TimeoutException($"the run did not end within {maxSteps} steps of {step.TotalMilliseconds} ms of simulated time");
            Advance(step);
        }
        return await run;
    }
}
