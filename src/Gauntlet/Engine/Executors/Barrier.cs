using Gauntlet.Metrics;

namespace Gauntlet.Engine.Executors;

/// <summary>
/// Holds workers until all of them are ready, then releases them at one instant. Each worker stamps its own
/// actual release time in its slot, on the scenario's clock, so the spread can be reported. Waiting for the workers to
/// arrive is bounded on the real clock: it waits for threads, which a fake clock does not move.
/// </summary>
internal sealed class WorkerBarrier(ScenarioClock clock)
{
    /// <summary>How long to wait for every worker to reach the barrier before releasing those that did.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ready;

    public int Ready => Volatile.Read(ref _ready);

    public async Task WaitAsync(WorkerSlot slot)
    {
        Interlocked.Increment(ref _ready);
        await _gate.Task.ConfigureAwait(false);
        slot.ReleasedAt = clock.Now;
    }

    /// <summary>Waits (bounded) until <paramref name="expected"/> workers are parked, then releases them. Returns the release instant.</summary>
    public async Task<long> ReleaseWhenReadyAsync(int expected, CancellationToken stop)
    {
        var deadline = Clock.Now + Clock.FromTimeSpan(ReadyTimeout);
        while (Ready < expected && Clock.Now < deadline && !stop.IsCancellationRequested)
            await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
        var release = clock.Now;
        _gate.TrySetResult();
        return release;
    }
}
