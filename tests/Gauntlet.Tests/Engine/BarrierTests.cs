using Gauntlet.Engine;
using Gauntlet.Engine.Executors;
using Gauntlet.Metrics;

namespace Gauntlet.Tests.Engine;

/// <summary>The barrier start holds every worker until the last one has arrived, then lets them all go.</summary>
public sealed class BarrierTests
{
    [Fact]
    public async Task No_worker_starts_before_the_last_one_has_arrived()
    {
        const int workers = 8;
        var barrier = new WorkerBarrier(ScenarioClock.System);
        var events = new List<string>();
        void Log(string what)
        {
            lock (events) events.Add(what);
        }
        async Task Worker(int id, Task arrive)
        {
            await arrive;
            Log($"arrive {id}");
            await barrier.WaitAsync(new WorkerSlot(id, 0));
            Log($"start {id}");
        }

        var lastMayArrive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, workers)
            .Select(id => Task.Run(() => Worker(id, id == workers - 1 ? lastMayArrive.Task : Task.CompletedTask)))
            .ToList();
        var releasing = barrier.ReleaseWhenReadyAsync(workers, CancellationToken.None);

        // Every worker but the last is parked. A barrier that let them go now would finish releasing: give it the
        // chance (the wait is bounded; a correct barrier never completes here), then let the last one arrive.
        var parking = System.Diagnostics.Stopwatch.StartNew();
        while (barrier.Ready < workers - 1 && parking.Elapsed < TimeSpan.FromSeconds(30)) await Task.Yield();
        Assert.Equal(workers - 1, barrier.Ready);
        var early = await Task.WhenAny(releasing, Task.Delay(TimeSpan.FromMilliseconds(200)));
        Assert.NotSame(releasing, early);
        lastMayArrive.SetResult();
        await releasing.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));

        var lastArrival = events.FindLastIndex(e => e.StartsWith("arrive", StringComparison.Ordinal));
        var firstStart = events.FindIndex(e => e.StartsWith("start", StringComparison.Ordinal));
        Assert.Equal(2 * workers, events.Count);
        Assert.True(lastArrival < firstStart, $"a worker started before the last arrival: {string.Join(", ", events)}");
        Assert.Equal(workers, barrier.Ready);
    }
}
