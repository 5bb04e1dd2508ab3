using Gauntlet.Stress;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using HdrHistogram;

namespace Gauntlet.Stress.Spawn;

/// <summary>What a spawn storm creates.</summary>
public enum SpawnKind
{
    /// <summary>Thread-pool tasks (<see cref="Task.Run(Action)"/>).</summary>
    Tasks,
    /// <summary>Dedicated threads (<see cref="Thread.Start()"/>), each joined with a time limit.</summary>
    Threads,
}

/// <summary>Settings of <see cref="SpawnStorm"/>.</summary>
public sealed record SpawnStormOptions
{
    /// <summary>Default <see cref="Batch"/>: 64.</summary>
    public const int DefaultBatch = 64;

    /// <summary>Default <see cref="JoinTimeout"/>: 10 s.</summary>
    public static readonly TimeSpan DefaultJoinTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Tasks or threads.</summary>
    public SpawnKind Kind { get; init; } = SpawnKind.Tasks;

    /// <summary>Spawns per operation: each operation creates this many, then waits for all of them to complete.</summary>
    public int Batch { get; init; } = DefaultBatch;

    /// <summary>Gauntlet workers spawning at once. Default: twice the logical cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>Threads only: how long to wait for one thread to finish before the operation fails with kind <c>not_completed</c>.</summary>
    public TimeSpan JoinTimeout { get; init; } = DefaultJoinTimeout;

    /// <summary>Work each spawned task or thread does once it runs; null: none (the storm measures spawning alone).</summary>
    public Action? Body { get; init; }

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        problems.Positive("batch", Batch);
        problems.Positive("workers", Workers);
        problems.Positive("joinTimeout", JoinTimeout);
        if (!Enum.IsDefined(Kind)) problems.Add("kind", $"is not a SpawnKind: {(int)Kind}");
        return problems.All;
    }
}

/// <summary>
/// Spawn storm: many workers create tasks (or threads) as fast as they can and wait for each batch to complete.
/// Every spawn is accounted for: an operation fails with kind <c>not_run</c> when a spawned body did not run exactly
/// once, <c>not_completed</c> when a thread did not finish in time. Reports the creation rate (<c>spawn_rate</c>) and
/// the latency from creation to first run (<c>first_run_p50</c>, <c>first_run_p99</c>, <c>first_run_max</c>).
/// </summary>
public static class SpawnStorm
{
    /// <summary>The scenario: <see cref="SpawnStormOptions.Workers"/> workers for 5 s, passing when no operation failed.</summary>
    /// <exception cref="ScenarioValidationException">The options are invalid.</exception>
    public static Scenario Create(string name, SpawnStormOptions? options = null)
    {
        options ??= new SpawnStormOptions();
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        var tally = new SpawnTally();
        var run = options.Kind == SpawnKind.Tasks
            ? (Func<OperationContext, ValueTask<Outcome>>)(context => SpawnTasksAsync(options, tally, context))
            : context => ValueTask.FromResult(SpawnThreads(options, tally));
        return new Scenario(name, new StressOperation("spawn-storm", run, tally))
        {
            Load = LoadProfile.Closed(options.Workers),
            Bounds = new Bounds { Duration = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(30), HangAfter = TimeSpan.FromSeconds(10) },
            Thresholds = ["error_rate == 0"],
        };
    }

    private static async ValueTask<Outcome> SpawnTasksAsync(SpawnStormOptions options, SpawnTally tally, OperationContext context)
    {
        var batch = new Task[options.Batch];
        var ran = new int[options.Batch];
        var body = options.Body;
        for (var i = 0; i < batch.Length; i++)
        {
            var index = i;
            var created = Clock.Now;
            batch[i] = Task.Run(() =>
            {
                tally.FirstRun(Clock.Now - created);
                Interlocked.Increment(ref ran[index]);
                body?.Invoke();
            }, CancellationToken.None);
        }
        tally.Spawned(batch.Length);
        await Task.WhenAll(batch).WaitAsync(context.CancellationToken).ConfigureAwait(false);
        return Check(ran, tally);
    }

    private static Outcome SpawnThreads(SpawnStormOptions options, SpawnTally tally)
    {
        var threads = new Thread[options.Batch];
        var ran = new int[options.Batch];
        var body = options.Body;
        for (var i = 0; i < threads.Length; i++)
        {
            var index = i;
            var created = Clock.Now;
            threads[i] = new Thread(() =>
            {
                tally.FirstRun(Clock.Now - created);
                Interlocked.Increment(ref ran[index]);
                body?.Invoke();
            }) { IsBackground = true, Name = "gauntlet-spawn" };
            threads[i].Start();
        }
        tally.Spawned(threads.Length);
        var deadline = Clock.Now + Clock.FromTimeSpan(options.JoinTimeout);
        var unfinished = 0;
        foreach (var thread in threads)
        {
            var left = Math.Max(0, deadline - Clock.Now);
            if (!thread.Join(Clock.ToTimeSpan(left))) unfinished++;
        }
        if (unfinished > 0)
        {
            tally.Failed(unfinished);
            return Outcome.Failed("not_completed", $"{unfinished} of {threads.Length} threads had not finished {Format.Duration(options.JoinTimeout)} after the batch started");
        }
        return Check(ran, tally);
    }

    private static Outcome Check(int[] ran, SpawnTally tally)
    {
        var wrong = 0;
        var first = -1;
        for (var i = 0; i < ran.Length; i++)
        {
            if (Volatile.Read(ref ran[i]) == 1) continue;
            wrong++;
            if (first < 0) first = i;
        }
        if (wrong == 0) return Outcome.Ok;
        tally.Failed(wrong);
        return Outcome.Failed("not_run", $"{wrong} of {ran.Length} spawned bodies did not run exactly once (first: #{first}, ran {ran[first]} times)");
    }

    /// <summary>The storm's figures. First-run latencies go to a concurrent histogram: one record per spawn, which is cheap beside the spawn itself.</summary>
    private sealed class SpawnTally : IFigureSource
    {
        private readonly LongConcurrentHistogram _firstRun = new(1, Histograms.HighestMicros, 3);
        private long _started, _lastEnd, _spawned, _failed;

        public void Reset()
        {
            _firstRun.Reset();
            _spawned = _failed = 0;
            Volatile.Write(ref _started, Clock.Now);
            _lastEnd = _started;
        }

        public void FirstRun(long ticks) => _firstRun.RecordValue(Histograms.Clamp(Clock.ToMicros(ticks)));

        public void Spawned(int count)
        {
            Interlocked.Add(ref _spawned, count);
            Volatile.Write(ref _lastEnd, Clock.Now);
        }

        public void Failed(int count) => Interlocked.Add(ref _failed, count);

        public IReadOnlyList<Figure> Collect()
        {
            var seconds = Clock.ToSeconds(Clock.Now - _started);
            var any = _firstRun.TotalCount > 0;
            return
            [
                new("spawn_rate", seconds > 0 ? Math.Round(_spawned / seconds, 1) : 0, Figure.RateUnit, "tasks or threads created per second over the scenario"),
                new("spawned", _spawned, Figure.CountUnit, "tasks or threads created"),
                new("spawn_failures", _failed, Figure.CountUnit, "spawned bodies that did not run exactly once, or threads that did not finish in time"),
                new("first_run_p50", any ? _firstRun.GetValueAtPercentile(50) : 0, Figure.MicrosUnit, "median time from creating a task or thread to its first instruction"),
                new("first_run_p99", any ? _firstRun.GetValueAtPercentile(99) : 0, Figure.MicrosUnit, "99th percentile time from creation to first run"),
                new("first_run_max", any ? _firstRun.GetMaxValue() : 0, Figure.MicrosUnit, "longest time from creation to first run"),
            ];
        }
    }
}
