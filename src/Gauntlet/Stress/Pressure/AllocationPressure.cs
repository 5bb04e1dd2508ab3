using Gauntlet.Stress;
using System.Diagnostics;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Stress.Pressure;

/// <summary>Settings of <see cref="AllocationPressure"/>.</summary>
public sealed record AllocationPressureOptions
{
    /// <summary>Size (or depth) of the first operation.</summary>
    public long Start { get; init; } = 1;

    /// <summary>Added to the size at each operation of a worker: operation <c>i</c> runs at <c>Start + i * Growth</c>. 0 keeps the size fixed (a breaking-point search then varies <see cref="Start"/>).</summary>
    public long Growth { get; init; }

    /// <summary>With <see cref="Growth"/>: the last size to run; the scenario ends after it. Null: grow until the duration ends.</summary>
    public long? Max { get; init; }

    /// <summary>
    /// Runs each call on a fresh thread with this stack, in bytes, joined within the operation timeout. Use it to put
    /// recursion under a known stack; null runs on the worker's own thread. A stack overflow ends the process: search
    /// such a limit with isolated probes (see <c>BreakingPointSearch</c>).
    /// </summary>
    public int? StackBytes { get; init; }

    /// <summary>What the size means in reports: <c>size</c>, <c>depth</c>, <c>items</c>.</summary>
    public string Unit { get; init; } = "size";

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        if (Start < 0) problems.Add("start", $"must not be negative, got {Start}");
        if (Growth < 0) problems.Add("growth", $"must not be negative, got {Growth}");
        if (Max is { } max && max < Start) problems.Add("max", $"is {max}, below start {Start}");
        if (Max is not null && Growth == 0) problems.Add("max", "needs a growth above zero; with a fixed size, bound the scenario by duration or iterations");
        if (StackBytes is { } stack && stack < MinStackBytes) problems.Add("stackBytes", $"must be at least {MinStackBytes} (256 KiB), got {stack}");
        if (string.IsNullOrWhiteSpace(Unit)) problems.Add("unit", "must not be empty");
        return problems.All;
    }

    /// <summary>Smallest <see cref="StackBytes"/> accepted: below it the runtime itself may not fit.</summary>
    public const int MinStackBytes = 256 * 1024;
}

/// <summary>
/// Allocation and recursion pressure: runs a user's function at a growing (or fixed) size or depth and records what
/// the garbage collector did meanwhile, from the runtime's own counters: collections per generation
/// (<see cref="GC.CollectionCount"/>), bytes allocated (<see cref="GC.GetTotalAllocatedBytes"/>), total pause time
/// (<see cref="GC.GetTotalPauseDuration"/>), heap size and the process's peak working set. The function fails an
/// operation by throwing; <c>largest_ok</c> is the largest size that completed.
/// </summary>
public static class AllocationPressure
{
    /// <summary>
    /// The scenario: one worker calling <paramref name="work"/> with the size, back to back, for 5 s (or up to
    /// <see cref="AllocationPressureOptions.Max"/>), each call timed out after 30 s, passing when no call failed.
    /// </summary>
    /// <exception cref="ScenarioValidationException">The options are invalid.</exception>
    public static Scenario Create(string name, Action<long> work, AllocationPressureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        options ??= new AllocationPressureOptions();
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        var tally = new GcTally(options.Unit);
        var timeout = TimeSpan.FromSeconds(30);
        Func<OperationContext, ValueTask<Outcome>> operation = context =>
        {
            var size = options.Start + context.Iteration * options.Growth;
            if (options.StackBytes is { } stack) return ValueTask.FromResult(OnThread(work, size, stack, timeout, tally));
            work(size);
            tally.Completed(size);
            return ValueTask.FromResult(Outcome.Ok);
        };
        var bounds = new Bounds { OperationTimeout = timeout, HangAfter = TimeSpan.FromSeconds(35) };
        bounds = options.Max is { } max
            ? bounds with { MaxIterations = (max - options.Start) / options.Growth + 1 }
            : bounds with { Duration = TimeSpan.FromSeconds(5) };
        return new Scenario(name, new StressOperation("allocation-pressure", operation, tally))
        {
            Load = LoadProfile.Closed(1),
            Bounds = bounds,
            Thresholds = ["error_rate == 0"],
        };
    }

    private static Outcome OnThread(Action<long> work, long size, int stackBytes, TimeSpan timeout, GcTally tally)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                work(size);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, stackBytes) { IsBackground = true, Name = "gauntlet-pressure" };
        thread.Start();
        if (!thread.Join(timeout))
            return Outcome.TimedOut($"{size} did not finish within {Format.Duration(timeout)} on its own thread");
        if (failure is not null) return Outcome.Failed(failure.GetType().Name, $"at {size}: {failure.Message}");
        tally.Completed(size);
        return Outcome.Ok;
    }

    /// <summary>GC figures as differences between the runtime's counters at the start and at the end of the scenario.</summary>
    private sealed class GcTally(string unit) : IFigureSource
    {
        private readonly int[] _collections = new int[3];
        private long _allocated, _largest = -1;
        private TimeSpan _paused;

        public void Reset()
        {
            for (var g = 0; g < _collections.Length; g++) _collections[g] = GC.CollectionCount(g);
            _allocated = GC.GetTotalAllocatedBytes(precise: false);
            _paused = GC.GetTotalPauseDuration();
            Volatile.Write(ref _largest, -1);
        }

        public void Completed(long size)
        {
            long largest;
            while (size > (largest = Volatile.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, size, largest) != largest) { }
        }

        public IReadOnlyList<Figure> Collect()
        {
            using var process = Process.GetCurrentProcess();
            var info = GC.GetGCMemoryInfo();
            return
            [
                new("largest_ok", Math.Max(0, Volatile.Read(ref _largest)), Figure.CountUnit, $"the largest {unit} that completed without failing"),
                new("gc_gen0", GC.CollectionCount(0) - _collections[0], Figure.CountUnit, "generation 0 collections during the scenario (a generation 1 or 2 collection counts here too)"),
                new("gc_gen1", GC.CollectionCount(1) - _collections[1], Figure.CountUnit, "generation 1 collections during the scenario (a generation 2 collection counts here too)"),
                new("gc_gen2", GC.CollectionCount(2) - _collections[2], Figure.CountUnit, "generation 2 (full) collections during the scenario"),
                new("allocated", GC.GetTotalAllocatedBytes(precise: false) - _allocated, Figure.BytesUnit, "bytes allocated by the whole process during the scenario"),
                new("gc_pause", Math.Round((GC.GetTotalPauseDuration() - _paused).TotalMicroseconds), Figure.MicrosUnit, "time the process was paused for garbage collection during the scenario"),
                new("gc_heap", info.HeapSizeBytes, Figure.BytesUnit, "managed heap size after the last collection"),
                new("peak_working_set", process.PeakWorkingSet64, Figure.BytesUnit, "the process's peak working set since it started (the operating system's figure)"),
            ];
        }
    }
}
