namespace Gauntlet.Scenarios.LoadProfiles;

/// <summary>
/// How operations are issued over time. A closed set of three models, each in its own file:
/// <see cref="ClosedProfile"/> (a number of workers, each issuing back to back),
/// <see cref="OpenProfile"/> (arrivals at a rate, independent of how fast the target answers) and
/// <see cref="IterationsProfile"/> (a fixed number of operations).
/// </summary>
public abstract record LoadProfile
{
    private protected LoadProfile() { }

    /// <summary>The most operations that can be in flight at once (workers, or the open model's cap).</summary>
    public abstract int MaxConcurrency { get; }

    /// <summary>How long the profile issues operations when no other bound stops it; null when it never ends by itself or ends by count.</summary>
    public abstract TimeSpan? NaturalDuration { get; }

    /// <summary>True when the profile stops by itself after a known number of operations.</summary>
    public abstract bool EndsByCount { get; }

    /// <summary>One line for reports, e.g. <c>open: 1000/s for 30s, max 50 in flight</c>.</summary>
    public abstract string Describe();

    internal abstract void Validate(ProblemList problems);

    /// <summary>N workers issuing back to back.</summary>
    public static ClosedProfile Closed(int workers) => new() { Workers = workers };

    /// <summary>Workers ramped through stages, e.g. 0→100 over 10 s then hold 60 s.</summary>
    public static ClosedProfile Ramping(params WorkerStage[] stages) => new() { Stages = stages };

    /// <summary>Arrivals at a constant <paramref name="perSecond"/> rate, at most <paramref name="maxInFlight"/> at once.</summary>
    public static OpenProfile Open(double perSecond, int maxInFlight, TimeSpan? duration = null) => new()
    {
        StartRate = perSecond,
        Stages = duration is { } d ? [new RateStage(d, perSecond)] : [],
        MaxInFlight = maxInFlight,
    };

    /// <summary>Arrival rate moving through stages, starting from <paramref name="startRate"/> per second.</summary>
    public static OpenProfile OpenRamping(double startRate, int maxInFlight, params RateStage[] stages) => new()
    {
        StartRate = startRate,
        Stages = stages,
        MaxInFlight = maxInFlight,
    };

    /// <summary><paramref name="iterations"/> operations for each of <paramref name="workers"/> workers.</summary>
    public static IterationsProfile IterationsPerWorker(int workers, long iterations) =>
        new() { Workers = workers, Iterations = iterations, Shared = false };

    /// <summary><paramref name="iterations"/> operations in total, shared among <paramref name="workers"/> workers.</summary>
    public static IterationsProfile SharedIterations(int workers, long iterations) =>
        new() { Workers = workers, Iterations = iterations, Shared = true };
}
