using System.Diagnostics;
using Gauntlet.Scenarios;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// The peers of the open model: three ways load tools commonly pace arrivals, each issuing the same empty operation
/// inline for the same length of time. None of them compute arrivals from the integral of the rate, so each drifts
/// by however much its timer differs from what it asked for.
/// </summary>
internal static class NaiveGenerators
{
    /// <summary>One generator's outcome: operations issued over the seconds it ran.</summary>
    public sealed record Issued(long Operations, double Seconds, string Note);

    /// <summary>
    /// Issue one operation, then <c>await Task.Delay(1/rate)</c>. Task.Delay truncates to whole milliseconds, so below
    /// 1 ms it returns an already-completed task and the loop runs unpaced; at 1 ms it waits for the next timer tick.
    /// </summary>
    public static async Task<Issued> DelayPerArrivalAsync(double rate, TimeSpan duration)
    {
        var context = new Gauntlet.Engine.WorkerSlot(0, 0).Context;
        var interval = TimeSpan.FromSeconds(1 / rate);
        var start = Stopwatch.GetTimestamp();
        long issued = 0;
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            Issue(context, ++issued);
            await Task.Delay(interval).ConfigureAwait(false);
        }
        var note = interval < TimeSpan.FromMilliseconds(1)
            ? $"Task.Delay({Gauntlet.Format.Duration(interval)}) truncates to 0 ms and completes at once: no pacing"
            : $"Task.Delay({Gauntlet.Format.Duration(interval)}) waits for the next timer tick";
        return new Issued(issued, Stopwatch.GetElapsedTime(start).TotalSeconds, note);
    }

    /// <summary>
    /// One operation per <see cref="PeriodicTimer"/> tick. The timer rejects periods under 1 ms, so the period is clamped to
    /// 1 ms, and ticks missed while the loop was late are coalesced into one.
    /// </summary>
    public static async Task<Issued> PeriodicTimerAsync(double rate, TimeSpan duration)
    {
        var context = new Gauntlet.Engine.WorkerSlot(0, 0).Context;
        var wanted = TimeSpan.FromSeconds(1 / rate);
        var period = wanted < MinimumTimerPeriod ? MinimumTimerPeriod : wanted;
        using var timer = new PeriodicTimer(period);
        var start = Stopwatch.GetTimestamp();
        long issued = 0;
        while (Stopwatch.GetElapsedTime(start) < duration && await timer.WaitForNextTickAsync().ConfigureAwait(false))
            Issue(context, ++issued);
        var note = period != wanted
            ? $"PeriodicTimer rejects {Gauntlet.Format.Duration(wanted)} (under 1 ms); clamped to 1 ms, one arrival per tick"
            : $"PeriodicTimer({Gauntlet.Format.Duration(period)}), one arrival per tick";
        return new Issued(issued, Stopwatch.GetElapsedTime(start).TotalSeconds, note);
    }

    /// <summary><c>Thread.Sleep(1)</c>, then issue rate/1000 operations: assumes the sleep lasts exactly 1 ms.</summary>
    public static Issued SleepBatch(double rate, TimeSpan duration)
    {
        Issued? result = null;
        var thread = new Thread(() =>
        {
            var context = new Gauntlet.Engine.WorkerSlot(0, 0).Context;
            var batch = Math.Max(1, (long)Math.Round(rate / 1000));
            var start = Stopwatch.GetTimestamp();
            long issued = 0;
            while (Stopwatch.GetElapsedTime(start) < duration)
            {
                Thread.Sleep(1);
                for (var i = 0; i < batch; i++) Issue(context, ++issued);
            }
            result = new Issued(issued, Stopwatch.GetElapsedTime(start).TotalSeconds, $"Thread.Sleep(1) then {batch} arrival{(batch == 1 ? "" : "s")}");
        })
        { IsBackground = true, Name = "naive-sleep-batch" };
        thread.Start();
        if (!thread.Join(duration + BenchLimits.CaseSlack)) throw new TimeoutException("the sleep-batch generator did not stop");
        return result!;
    }

    private static readonly TimeSpan MinimumTimerPeriod = TimeSpan.FromMilliseconds(1);

    private static void Issue(OperationContext context, long id)
    {
        var running = EmptyOperation.Instance(context);
        if (!running.IsCompletedSuccessfully) running.AsTask().GetAwaiter().GetResult();
    }
}
