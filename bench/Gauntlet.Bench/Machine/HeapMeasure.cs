using System.Diagnostics;

namespace Gauntlet.Bench.Machine;

/// <summary>
/// Time, bytes allocated and peak managed heap of one piece of work: the heap is collected first, then sampled every
/// 5 ms while the work runs; the peak is reported above the heap before it.
/// </summary>
internal static class HeapMeasure
{
    public sealed record Measured<T>(T Result, double Seconds, long AllocatedBytes, long PeakHeapBytes);

    public static async Task<Measured<T>> RunAsync<T>(Func<Task<T>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(false);
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(5).ConfigureAwait(false);
            }
        });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var result = await run().ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await stop.CancelAsync().ConfigureAwait(false);
        await sampler.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        peak = Math.Max(peak, GC.GetTotalMemory(false));
        return new Measured<T>(result, seconds, allocated, peak - baseline);
    }
}
