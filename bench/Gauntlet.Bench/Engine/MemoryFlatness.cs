using Gauntlet.Bench.Machine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Gauntlet.Pipeline;
using Gauntlet.Bench.Report;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// Section 3: memory does not grow with run length. Each case (closed and open model, short and long) runs in a fresh
/// child process of this benchmark, because the peak resident set is a high-water mark over a process's life and
/// allocation counters are process-wide.
/// </summary>
internal static class MemoryFlatness
{
    /// <summary>The command a child process runs; see <see cref="MemoryCase"/>.</summary>
    public const string CaseCommand = "engine-case";

    public sealed record Pair(string Model, MemoryMeasurement Short, MemoryMeasurement Long)
    {
        /// <summary>Bytes allocated per extra operation between the short and the long run: the per-operation cost with fixed costs cancelled.</summary>
        public double MarginalBytesPerOperation =>
            Long.Operations == Short.Operations ? double.NaN : (Long.AllocatedBytes - Short.AllocatedBytes) / (double)(Long.Operations - Short.Operations);
    }

    public sealed record Result(IReadOnlyList<Pair> Pairs);

    public static async Task<Result> MeasureAsync(EngineSettings settings, Action<string> log)
    {
        var pairs = new List<Pair>();
        foreach (var model in MemoryCase.Models)
        {
            var small = await RunChildAsync(model, settings.MemoryShort).ConfigureAwait(false);
            log($"memory {small.Case}: {Numbers.Bytes(small.AllocatedBytes)} allocated, peak RSS {Numbers.Bytes(small.VmHwmBytes)}");
            var large = await RunChildAsync(model, settings.MemoryLong).ConfigureAwait(false);
            log($"memory {large.Case}: {Numbers.Bytes(large.AllocatedBytes)} allocated, peak RSS {Numbers.Bytes(large.VmHwmBytes)}");
            pairs.Add(new Pair(model, small, large));
        }
        return new Result(pairs);
    }

    private static async Task<MemoryMeasurement> RunChildAsync(string model, TimeSpan duration)
    {
        var start = ThisBenchmark.ChildStartInfo();
        start.ArgumentList.Add(CaseCommand);
        start.ArgumentList.Add(model);
        start.ArgumentList.Add(duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        // Both streams are drained concurrently so a chatty child can never block on a full pipe.
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(duration + BenchLimits.CaseSlack);
        try
        {
            await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"memory case '{model} {duration.TotalSeconds}s' did not finish within {duration + BenchLimits.CaseSlack}");
        }
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (child.ExitCode != 0) throw new InvalidOperationException($"memory case '{model}' exited with {child.ExitCode}: {errors.Trim()}");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"memory case '{model}' printed nothing");
        return JsonSerializer.Deserialize(line, MemoryJson.Default.MemoryMeasurement)
            ?? throw new InvalidOperationException($"memory case '{model}' printed '{line}', not a measurement");
    }


    public static string Render(Result result)
    {
        var table = new MarkdownTable("case", ">operations", ">allocated during the run", ">bytes / operation", ">marginal bytes / operation",
            ">GC gen0 / gen1 / gen2", ">managed heap after", ">peak RSS (VmHWM)", ">RSS at end", ">other processes' CPU");
        foreach (var pair in result.Pairs)
        {
            foreach (var m in new[] { pair.Short, pair.Long })
            {
                table.Row(m.Case, Numbers.Count(m.Operations), Numbers.Bytes(m.AllocatedBytes),
                    Numbers.Fixed(m.AllocatedBytes / (double)Math.Max(1, m.Operations), 3),
                    ReferenceEquals(m, pair.Long) ? "**" + Numbers.Fixed(pair.MarginalBytesPerOperation, 3) + "**" : "",
                    $"{m.Gen0} / {m.Gen1} / {m.Gen2}", Numbers.Bytes(m.ManagedHeapBytes), Numbers.Bytes(m.VmHwmBytes), Numbers.Bytes(m.VmRssBytes),
                    Numbers.Percent(m.ForeignCpuShare));
            }
        }
        var lines = result.Pairs.Select(p =>
            $"- {p.Model}: peak RSS {Numbers.Bytes(p.Short.VmHwmBytes)} for {p.Short.Seconds.ToString(CultureInfo.InvariantCulture)} s, " +
            $"{Numbers.Bytes(p.Long.VmHwmBytes)} for {p.Long.Seconds.ToString(CultureInfo.InvariantCulture)} s " +
            $"({Numbers.SignedPercent(p.Long.VmHwmBytes / (double)p.Short.VmHwmBytes - 1)}); " +
            $"{Numbers.Fixed(p.MarginalBytesPerOperation, 3)} bytes per extra operation " +
            $"({Numbers.Bytes(p.Long.AllocatedBytes - p.Short.AllocatedBytes)} for {Numbers.Count(p.Long.Operations - p.Short.Operations)} more operations).");
        return $"""
            Each case runs in a fresh process (`{CaseCommand} <model> <seconds>`). Allocated bytes are `GC.GetTotalAllocatedBytes(true)`
            around `Runner.RunAsync` (every thread, the run's fixed set-up included); collections are counted over the same span;
            peak RSS is the process's `VmHWM`. The closed case is the empty operation with {EngineSettings.ClosedWorkers} workers,
            the open case the empty operation at {Numbers.Rate(EngineSettings.MemoryOpenRate)} with {EngineSettings.OpenMaxInFlight} slots.
            "Marginal bytes / operation" compares the long run with the short one, so the fixed set-up (slots, histograms,
            the result) cancels out: it is the cost of one more operation.

            {table}
            {string.Join("\n", lines)}
            """;
    }
}
