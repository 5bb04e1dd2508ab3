using System.Diagnostics;
using Gauntlet.Scenarios;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// The peer of the closed model: dedicated threads, started together, each calling the operation delegate back
/// to back on its own <see cref="OperationContext"/> and checking the result the way the engine does, with no
/// bookkeeping. What Gauntlet adds on top of this loop is its overhead.
/// </summary>
internal static class BareLoop
{
    /// <summary>Calls per second summed over <paramref name="threads"/> threads running for <paramref name="duration"/>.</summary>
    /// <param name="timed">Also take two <see cref="Stopwatch.GetTimestamp"/> readings per call, as any latency measurement must.</param>
    public static LoopRate Run(Func<OperationContext, ValueTask<Outcome>> operation, int threads, TimeSpan duration, bool timed)
    {
        var stop = new StopFlag();
        var counts = new long[threads];
        var ready = new CountdownEvent(threads);
        var go = new ManualResetEventSlim();
        var workers = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            var id = i;
            workers[i] = new Thread(() =>
            {
                var context = new Gauntlet.Engine.WorkerSlot(id, 0).Context;
                ready.Signal();
                go.Wait();
                counts[id] = timed ? LoopTimed(operation, context, stop) : Loop(operation, context, stop);
            })
            { IsBackground = true, Name = $"bare-{id}" };
            workers[i].Start();
        }
        if (!ready.Wait(BenchLimits.ThreadStartTimeout)) throw new TimeoutException("bare-loop threads did not start");
        var started = Stopwatch.GetTimestamp();
        go.Set();
        Thread.Sleep(duration);
        stop.Set();
        var stopped = Stopwatch.GetTimestamp();
        foreach (var worker in workers)
            if (!worker.Join(BenchLimits.ThreadStopTimeout)) throw new TimeoutException($"{worker.Name} did not stop");
        long total = 0;
        foreach (var count in counts) total += count;
        return new LoopRate(total, Stopwatch.GetElapsedTime(started, stopped).TotalSeconds, threads);
    }

    // The two loops mirror ScenarioRun.RunWorkerAsync's call and its synchronous-completion check, nothing else.
    private static long Loop(Func<OperationContext, ValueTask<Outcome>> operation, OperationContext context, StopFlag stop)
    {
        long ok = 0;
        while (!stop.IsSet)
        {
            var running = operation(context);
            var outcome = running.IsCompletedSuccessfully ? running.Result : running.AsTask().GetAwaiter().GetResult();
            if (outcome.IsOk) ok++;
        }
        return ok;
    }

    private static long LoopTimed(Func<OperationContext, ValueTask<Outcome>> operation, OperationContext context, StopFlag stop)
    {
        long ok = 0, elapsed = 0;
        while (!stop.IsSet)
        {
            var start = Stopwatch.GetTimestamp();
            var running = operation(context);
            var outcome = running.IsCompletedSuccessfully ? running.Result : running.AsTask().GetAwaiter().GetResult();
            elapsed += Stopwatch.GetTimestamp() - start;
            if (outcome.IsOk) ok++;
        }
        // Keeps the readings observable so the JIT cannot drop them.
        GC.KeepAlive(elapsed);
        return ok;
    }

    /// <summary>A stop signal read on every iteration; a class so each thread reads one shared field.</summary>
    private sealed class StopFlag
    {
        private volatile bool _set;
        public bool IsSet => _set;
        public void Set() => _set = true;
    }
}

/// <summary>Calls counted over a measured wall time by some number of threads.</summary>
internal readonly record struct LoopRate(long Calls, double Seconds, int Threads)
{
    public double PerSecond => Seconds > 0 ? Calls / Seconds : 0;
    public double PerThreadPerSecond => PerSecond / Threads;
}
