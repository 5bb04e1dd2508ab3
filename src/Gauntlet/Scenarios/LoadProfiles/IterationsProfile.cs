namespace Gauntlet.Scenarios.LoadProfiles;

/// <summary>
/// A fixed number of operations: <see cref="Iterations"/> for each worker, or, with <see cref="Shared"/>,
/// <see cref="Iterations"/> in total taken by whichever worker is free.
/// </summary>
public sealed record IterationsProfile : LoadProfile
{
    /// <summary>Number of workers.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Operations per worker, or in total when <see cref="Shared"/>.</summary>
    public long Iterations { get; init; }

    /// <summary>When true, <see cref="Iterations"/> is a total shared among the workers.</summary>
    public bool Shared { get; init; }

    /// <summary>Release every worker at one instant and report the spread of their actual start times.</summary>
    public bool Barrier { get; init; }

    /// <summary>Start workers in batches instead of all at once (the 10k-client pattern: each client starts, does its iterations, ends).</summary>
    public BatchRamp? Batches { get; init; }

    /// <summary>Releases all workers at one instant.</summary>
    public IterationsProfile WithBarrier() => this with { Barrier = true };

    /// <summary>Starts workers <paramref name="size"/> at a time, every <paramref name="every"/>.</summary>
    public IterationsProfile WithBatches(int size, TimeSpan every) => this with { Batches = new BatchRamp(size, every) };

    /// <summary>The total number of operations this profile issues.</summary>
    public long TotalIterations => Shared ? Iterations : Iterations * Workers;

    /// <inheritdoc />
    public override int MaxConcurrency => Workers;

    /// <inheritdoc />
    public override TimeSpan? NaturalDuration => null;

    /// <inheritdoc />
    public override bool EndsByCount => true;

    /// <inheritdoc />
    public override string Describe() =>
        (Shared ? $"iterations: {Iterations} shared by {Workers} workers" : $"iterations: {Iterations} per worker × {Workers} workers")
        + (Batches is { } b ? $", started in batches of {b.Size} every {Format.Duration(b.Every)}" : "")
        + (Barrier ? ", barrier start" : "");

    internal override void Validate(ProblemList problems)
    {
        if (Workers <= 0) problems.Add("workers", $"must be greater than zero, got {Workers}");
        if (Iterations <= 0) problems.Add("iterations", $"must be greater than zero, got {Iterations}");
        else if (!Shared && Workers > 0 && Iterations > long.MaxValue / Workers) problems.Add("iterations", "total iterations overflow; lower iterations or workers");
        if (Batches is { } batches)
        {
            if (batches.Size <= 0) problems.Add("batches.size", $"must be greater than zero, got {batches.Size}");
            if (batches.Every <= TimeSpan.Zero) problems.Add("batches.every", $"must be greater than zero, got {Format.Duration(batches.Every)}");
            if (Barrier) problems.Add("barrier", "cannot be combined with batches; choose batches or a barrier");
        }
    }
}
