using System.Diagnostics;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.InProcess;

/// <summary>How a synthetic operation's latency is drawn around <see cref="SyntheticOptions.Latency"/>.</summary>
public enum LatencyDistribution
{
    /// <summary>Always <see cref="SyntheticOptions.Latency"/>, plus uniform jitter.</summary>
    Fixed,
    /// <summary>Exponential with mean <see cref="SyntheticOptions.Latency"/> (a long tail), plus uniform jitter.</summary>
    Exponential,
    /// <summary>Log-normal with median <see cref="SyntheticOptions.Latency"/> and shape 0.5 (a realistic service), plus uniform jitter.</summary>
    LogNormal,
}

/// <summary>Settings of a synthetic operation: latency, jitter, errors and a stall window.</summary>
public sealed record SyntheticOptions
{
    /// <summary>
    /// Below this latency the operation spins instead of awaiting a timer. Spinning is exact but holds a core,
    /// which would distort a run with more workers than cores; timers free the core and fire up to about
    /// 1 ms late, which the operation then measures as part of its latency.
    /// </summary>
    public static readonly TimeSpan SpinBelow = TimeSpan.FromMicroseconds(200);

    /// <summary>Typical latency (the fixed value, the mean or the median depending on <see cref="Distribution"/>). Default: zero.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Shape of the latency distribution.</summary>
    public LatencyDistribution Distribution { get; init; } = LatencyDistribution.Fixed;

    /// <summary>Uniform jitter added to every latency, in [-Jitter, +Jitter] (the result never goes below zero).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Share of operations that fail, from 0 to 1.</summary>
    public double ErrorRate { get; init; }

    /// <summary>The error kind failed operations report.</summary>
    public string ErrorKind { get; init; } = "synthetic_error";

    /// <summary>When set with <see cref="StallFor"/>: the target freezes this long after its first operation.</summary>
    public TimeSpan? StallAfter { get; init; }

    /// <summary>How long the freeze lasts: any operation running or arriving in the window completes only after it.</summary>
    public TimeSpan StallFor { get; init; }

    /// <summary>Seed for reproducible draws (per worker; the operation then keeps its generator in <see cref="OperationContext.WorkerState"/>); null draws from a shared random source.</summary>
    public int? Seed { get; init; }

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        problems.NotNegative("latency", Latency);
        problems.NotNegative("jitter", Jitter);
        if (!(ErrorRate is >= 0 and <= 1)) problems.Add("errorRate", $"must be between 0 and 1 (0% and 100%), got {ErrorRate}");
        if (string.IsNullOrWhiteSpace(ErrorKind)) problems.Add("errorKind", "must not be empty");
        problems.NotNegative("stallAfter", StallAfter);
        problems.NotNegative("stallFor", StallFor);
        return problems.All;
    }
}

/// <summary>
/// An in-process operation with a configurable latency distribution, jitter, error rate and stall, used to
/// calibrate the engine, in the demo and in tests. It spins for latencies under <see cref="SyntheticOptions.SpinBelow"/>
/// and awaits a timer otherwise, so it never holds a core for long.
/// </summary>
public sealed class SyntheticOperation : Operation
{
    private readonly SyntheticOptions _options;
    private readonly long _stallAfterTicks;
    private readonly long _stallForTicks;
    private long _firstCallTicks;

    /// <summary>Creates the operation; throws <see cref="ScenarioValidationException"/> on invalid settings.</summary>
    public SyntheticOperation(SyntheticOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        _options = options;
        _stallAfterTicks = options.StallAfter is { } after ? ToTicks(after) : -1;
        _stallForTicks = ToTicks(options.StallFor);
    }

    /// <inheritdoc />
    public override string Name => "synthetic";

    /// <summary>Starts the stall's clock afresh: a scenario run again (a breaking-point search's probe) stalls at the same point of its own run.</summary>
    public override ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _firstCallTicks, 0);
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs one synthetic operation.</summary>
    public override ValueTask<Outcome> RunAsync(OperationContext context)
    {
        var now = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _firstCallTicks) == 0) Interlocked.CompareExchange(ref _firstCallTicks, now, 0);
        var random = RandomFor(context);
        var wait = Draw(random);
        if (_stallAfterTicks >= 0)
        {
            var stallStart = _firstCallTicks + _stallAfterTicks;
            var stallEnd = stallStart + _stallForTicks;
            var finish = now + wait;
            // Frozen: anything that would be running inside the window ends only after it.
            if (finish >= stallStart && now < stallEnd) wait = stallEnd - now + wait;
        }
        var failed = _options.ErrorRate > 0 && random.NextDouble() < _options.ErrorRate;
        var outcome = failed ? Outcome.Failed(_options.ErrorKind, "synthetic failure") : Outcome.Ok;
        if (wait <= 0) return new ValueTask<Outcome>(outcome);
        if (wait < ToTicks(SyntheticOptions.SpinBelow))
        {
            var until = now + wait;
            while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
            return new ValueTask<Outcome>(outcome);
        }
        return DelayAsync(now + wait, outcome, context.CancellationToken);
    }

    private static async ValueTask<Outcome> DelayAsync(long until, Outcome outcome, CancellationToken cancellationToken)
    {
        var remaining = until - Stopwatch.GetTimestamp();
        if (remaining > 0) await Task.Delay(TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
        // A timer that fires early leaves a sliver (well under a millisecond) to finish precisely.
        while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
        return outcome;
    }

    private long Draw(Random random)
    {
        var baseTicks = (double)ToTicks(_options.Latency);
        var value = _options.Distribution switch
        {
            LatencyDistribution.Fixed => baseTicks,
            LatencyDistribution.Exponential => -baseTicks * Math.Log(1 - random.NextDouble()),
            LatencyDistribution.LogNormal => baseTicks * Math.Exp(0.5 * Gaussian(random)),
            _ => throw new ArgumentOutOfRangeException(nameof(_options.Distribution), _options.Distribution, "unknown distribution"),
        };
        if (_options.Jitter > TimeSpan.Zero) value += (random.NextDouble() * 2 - 1) * ToTicks(_options.Jitter);
        return value <= 0 ? 0 : (long)value;
    }

    private Random RandomFor(OperationContext context)
    {
        if (_options.Seed is not { } seed) return Random.Shared;
        if (context.WorkerState is not Random random)
        {
            random = new Random(unchecked(seed * 7919 + context.WorkerId)); // HashCode is randomised per process; this is repeatable
            context.WorkerState = random;
        }
        return random;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static long ToTicks(TimeSpan span) => (long)(span.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
}
