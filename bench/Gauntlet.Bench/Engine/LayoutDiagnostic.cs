using System.Runtime.CompilerServices;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Engine;
using Gauntlet.Engine.Executors;
using Gauntlet.Metrics;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// The <c>engine-layout</c> diagnostic: the closed model's own worker loop (<see cref="ScenarioRun.RunWorkerAsync"/> with the
/// closed executor and the collector, driven the way <see cref="Runner"/> drives them) run alternately with the slots
/// <see cref="ScenarioRun"/> allocated and with the same slots re-allocated apart from each other. A gap between the two
/// means the workers share cache lines: each worker writes its <see cref="OperationContext"/> on every operation, and the
/// context is allocated right before the next worker's <see cref="WorkerSlot"/>, whose header and fields that worker reads
/// on every operation. Reaches into engine internals, so it must follow them if they change.
/// </summary>
internal static class LayoutDiagnostic
{
    /// <summary>Dead space put on each side of a re-allocated slot and its context: more than a cache line plus the adjacent-line prefetch.</summary>
    private const int PaddingBytes = 256;

    private const int CacheLine = 64;

    public sealed record Run(int Round, bool Padded, double OpsPerSecond, string SharedLines, CpuUse Cpu);

    public sealed record Result(IReadOnlyList<Run> Runs, TimeSpan Duration)
    {
        public double MedianAsAllocated => Numbers.Median(Representative(padded: false).Select(r => r.OpsPerSecond).ToList());
        public double MedianPadded => Numbers.Median(Representative(padded: true).Select(r => r.OpsPerSecond).ToList());

        /// <summary>The runs of one layout the median is taken over: the undisturbed ones when there are any, otherwise all.</summary>
        public IReadOnlyList<Run> Representative(bool padded)
        {
            var runs = Runs.Where(r => r.Padded == padded).ToList();
            return runs.Any(r => !r.Cpu.Disturbed) ? runs.Where(r => !r.Cpu.Disturbed).ToList() : runs;
        }

        public string Basis(bool padded)
        {
            var all = Runs.Count(r => r.Padded == padded);
            var used = Representative(padded);
            return used.Count == all ? (used.All(r => !r.Cpu.Disturbed) ? $"all {all} runs" : $"all {all} runs, every one disturbed") : $"{used.Count} undisturbed of {all} runs";
        }
    }

    /// <summary>The standalone command: more rounds than the engine report runs, printed as a table.</summary>
    public static async Task<int> RunAsync(bool quick)
    {
        var result = await MeasureAsync(quick ? 2 : 6, TimeSpan.FromSeconds(quick ? 1 : 2), message => Console.Error.WriteLine(message)).ConfigureAwait(false);
        Console.WriteLine(Render(result));
        return 0;
    }

    public static async Task<Result> MeasureAsync(int rounds, TimeSpan duration, Action<string> log)
    {
        var runs = new List<Run>();
        for (var round = 1; round <= rounds; round++)
        {
            // Alternating the two layouts round by round spreads any disturbance from other processes over both.
            foreach (var padded in new[] { false, true })
            {
                var (rate, shares, cpu) = await RunOnceAsync(duration, padded).ConfigureAwait(false);
                runs.Add(new Run(round, padded, rate, shares, cpu));
                log($"layout round {round}, {(padded ? "padded" : "as allocated")}: {Numbers.Rate(rate)}");
            }
        }
        return new Result(runs, duration);
    }

    public static string Render(Result result)
    {
        var table = new MarkdownTable("round", "worker slots", ">ops/s", "contexts sharing a cache line with data the other worker reads", ">other processes' CPU");
        foreach (var run in result.Runs)
        {
            table.Row(run.Round.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Padded ? $"re-allocated {PaddingBytes} bytes apart" : "as `ScenarioRun` allocates them",
                Numbers.Rate(run.OpsPerSecond), run.SharedLines, Numbers.Percent(run.Cpu.ForeignShare) + (run.Cpu.Disturbed ? " (disturbed)" : ""));
        }
        double asIs = result.MedianAsAllocated, apart = result.MedianPadded;
        return $"""
            The same closed-model worker loop (`ScenarioRun.RunWorkerAsync` with `ClosedExecutor` and `Collector`, driven as `Runner`
            drives them, {EngineSettings.ClosedWorkers} workers, {Format.Duration(result.Duration)} per run), alternately with the worker slots `ScenarioRun` allocated and with the
            same slots re-allocated apart. Each worker writes its `OperationContext` (Iteration, OperationId, CancellationToken)
            on every operation; `WorkerSlot`'s constructor allocates that context right after the slot, so worker 0's context
            sits just before worker 1's slot (whose header and fields worker 1 reads on every operation) and the last worker's
            context just before the `LatencyRecorder` (whose shard array every worker reads on every operation).

            {table}
            Median: as allocated {Numbers.Rate(asIs)} ({result.Basis(padded: false)}), padded {Numbers.Rate(apart)} ({result.Basis(padded: true)});
            padded / as allocated = **{Numbers.Ratio(apart / asIs)}**.
            """;
    }

    private static async Task<(double Rate, string Shares, CpuUse Cpu)> RunOnceAsync(TimeSpan duration, bool padded)
    {
        var scenario = Scenario.Create("layout", EmptyOperation.Instance)
            .WithLoad(LoadProfile.Closed(EngineSettings.ClosedWorkers))
            .WithDuration(duration);
        using var run = new ScenarioRun(scenario);
        var keepAlive = new List<object>();
        if (padded)
        {
            for (var i = 0; i < run.Slots.Length; i++)
            {
                keepAlive.Add(new byte[PaddingBytes]);
                run.Slots[i] = new WorkerSlot(i, run.Slots[i].Shard);
                keepAlive.Add(new byte[PaddingBytes]);
            }
        }
        var shares = SharedLines(run);

        // What Runner.RunScenarioAsync does, minus results: reserve threads, start the clock, issue, wait, drain, seal.
        using var threads = ThreadReserve.For(scenario.Load.MaxConcurrency);
        IExecutor executor = new ClosedExecutor((ClosedProfile)scenario.Load);
        var collector = new Collector(run, null);
        var before = CpuSample.Take();
        run.MarkStarted();
        collector.Start();
        var issuing = executor.RunAsync(run);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (run.StopIssuingToken.Register(() => stopped.TrySetResult()))
            await stopped.Task.WaitAsync(duration + BenchLimits.CaseSlack).ConfigureAwait(false);
        var drainUntil = DateTime.UtcNow + BenchLimits.CaseSlack;
        while (run.CountInFlight() > 0 && DateTime.UtcNow < drainUntil) await Task.Delay(1).ConfigureAwait(false);
        run.Seal();
        executor.ReleaseParked();
        collector.StopAndFlush();
        await issuing.WaitAsync(BenchLimits.CaseSlack).ConfigureAwait(false);
        var cpu = CpuSample.Between(before, CpuSample.Take());
        GC.KeepAlive(keepAlive);

        long ok = 0;
        foreach (var slot in run.Slots) ok += slot.Ok;
        return (ok / Clock.ToSeconds(run.StopTicks - run.StartTicks), shares, cpu);
    }

    /// <summary>
    /// Which contexts share a cache line with something another worker reads on every operation: the next worker's slot,
    /// or, for the last context, the latency recorder every worker goes through.
    /// </summary>
    private static string SharedLines(ScenarioRun run)
    {
        var found = new List<string>();
        for (var i = 0; i < run.Slots.Length; i++)
        {
            var context = run.Slots[i].Context;
            if (i + 1 < run.Slots.Length && SharesLine(context, run.Slots[i + 1])) found.Add($"context {i} with slot {i + 1}");
            if (i == run.Slots.Length - 1 && SharesLine(context, run.Latency)) found.Add($"context {i} with the latency recorder");
        }
        return found.Count == 0 ? "none" : string.Join("; ", found);
    }

    /// <summary>
    /// True when a cache line holds both a byte of the context's fields (the 40 bytes after its method-table pointer) and a
    /// byte of <paramref name="other"/>'s method-table pointer or first 24 bytes of fields. Addresses are read once, with no
    /// allocation in between, so no GC can move the objects meanwhile.
    /// </summary>
    private static bool SharesLine(OperationContext context, object other)
    {
        var contextFirst = Address(context) + IntPtr.Size;
        var contextLast = contextFirst + ContextFieldBytes - 1;
        var otherFirst = Address(other);
        var otherLast = otherFirst + IntPtr.Size + OtherFieldBytes - 1;
        return contextFirst / CacheLine <= otherLast / CacheLine && otherFirst / CacheLine <= contextLast / CacheLine;
    }

    private const int ContextFieldBytes = 40;
    private const int OtherFieldBytes = 24;

    private static nint Address(object value) => Unsafe.As<object, nint>(ref value);
}
