namespace Gauntlet.Scenarios.LoadProfiles;

/// <summary>A closed-model stage: move linearly to <paramref name="Target"/> workers over <paramref name="Duration"/>.</summary>
public sealed record WorkerStage(TimeSpan Duration, int Target);

/// <summary>Start workers in batches of <paramref name="Size"/> every <paramref name="Every"/> until all are running (the 10k-client pattern).</summary>
public sealed record BatchRamp(int Size, TimeSpan Every);

/// <summary>
/// Closed model: a number of workers, each issuing its next operation as soon as the previous one ends.
/// The worker count is constant (<see cref="Workers"/>), ramped through <see cref="Stages"/>, or reached
/// in batches (<see cref="Batches"/>); with <see cref="Barrier"/> every worker is released at the same instant.
/// </summary>
public sealed record ClosedProfile : LoadProfile
{
    /// <summary>Worker count for a constant or batch-ramped profile.</summary>
    public int Workers { get; init; }

    /// <summary>Worker count at the start of the first stage.</summary>
    public int StartWorkers { get; init; }

    /// <summary>Ramp stages; when set, the profile runs for their total duration.</summary>
    public IReadOnlyList<WorkerStage> Stages { get; init; } = [];

    /// <summary>Start workers in batches instead of all at once.</summary>
    public BatchRamp? Batches { get; init; }

    /// <summary>Create every worker first, then release them all at one instant; the spread of their actual start times is reported.</summary>
    public bool Barrier { get; init; }

    /// <inheritdoc />
    public override int MaxConcurrency => Stages.Count == 0 ? Workers : Math.Max(StartWorkers, Stages.Max(s => s.Target));

    /// <inheritdoc />
    public override TimeSpan? NaturalDuration =>
        Stages.Count == 0 ? null : Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <inheritdoc />
    public override bool EndsByCount => false;

    /// <summary>Adds a batch ramp.</summary>
    public ClosedProfile WithBatches(int size, TimeSpan every) => this with { Batches = new BatchRamp(size, every) };

    /// <summary>Releases all workers at one instant.</summary>
    public ClosedProfile WithBarrier() => this with { Barrier = true };

    /// <inheritdoc />
    public override string Describe()
    {
        if (Stages.Count > 0)
        {
            // "closed: 0 → 100 workers over 10s, hold 100 for 1m": ramps say where they go, holds how long.
            var parts = new List<string>();
            var previous = StartWorkers;
            foreach (var stage in Stages)
            {
                parts.Add(stage.Target == previous
                    ? $"hold {stage.Target} for {Format.Duration(stage.Duration)}"
                    : $"{previous} → {stage.Target} workers over {Format.Duration(stage.Duration)}");
                previous = stage.Target;
            }
            return "closed: " + string.Join(", ", parts);
        }
        var text = $"closed: {Workers} workers";
        if (Batches is { } b) text += $", started in batches of {b.Size} every {Format.Duration(b.Every)}";
        if (Barrier) text += ", barrier start";
        return text;
    }

    internal override void Validate(ProblemList problems)
    {
        if (Stages.Count == 0)
        {
            if (Workers <= 0) problems.Add("workers", $"must be greater than zero, got {Workers}");
            if (StartWorkers != 0) problems.Add("startWorkers", "only applies with stages; remove it or add stages");
        }
        else
        {
            if (Workers != 0) problems.Add("workers", "cannot be combined with stages; the stages' targets give the worker count");
            if (StartWorkers < 0) problems.Add("startWorkers", $"must not be negative, got {StartWorkers}");
            if (Batches is not null) problems.Add("batches", "cannot be combined with stages; use one way to ramp");
            if (Barrier) problems.Add("barrier", "cannot be combined with stages: a barrier releases a fixed set of workers at once");
            for (var i = 0; i < Stages.Count; i++)
            {
                var stage = problems.At("stages").At($"[{i}]");
                if (Stages[i].Duration <= TimeSpan.Zero) stage.Add("duration", $"must be greater than zero, got {Format.Duration(Stages[i].Duration)}");
                if (Stages[i].Target < 0) stage.Add("target", $"must not be negative, got {Stages[i].Target}");
            }
            if (MaxConcurrency == 0) problems.Add("stages", "no stage has a worker; at least one target must be greater than zero");
        }
        if (Batches is { } batches)
        {
            if (batches.Size <= 0) problems.Add("batches.size", $"must be greater than zero, got {batches.Size}");
            if (batches.Every <= TimeSpan.Zero) problems.Add("batches.every", $"must be greater than zero, got {Format.Duration(batches.Every)}");
            if (Barrier) problems.Add("barrier", "cannot be combined with batches; choose batches or a barrier");
        }
    }

    /// <summary>How many workers should be running <paramref name="elapsed"/> after the start.</summary>
    internal int TargetAt(TimeSpan elapsed)
    {
        if (Stages.Count == 0)
        {
            if (Batches is not { } b) return Workers;
            var batchesStarted = (long)(elapsed.Ticks / b.Every.Ticks) + 1;
            return (int)Math.Min(Workers, batchesStarted * b.Size);
        }
        var from = StartWorkers;
        var stageStart = TimeSpan.Zero;
        foreach (var stage in Stages)
        {
            var stageEnd = stageStart + stage.Duration;
            if (elapsed < stageEnd)
            {
                var fraction = (elapsed - stageStart).Ticks / (double)stage.Duration.Ticks;
                var value = from + (stage.Target - from) * fraction;
                return stage.Target >= from ? (int)Math.Floor(value) : (int)Math.Ceiling(value);
            }
            from = stage.Target;
            stageStart = stageEnd;
        }
        return from;
    }

    /// <summary>The next time after <paramref name="elapsed"/> at which <see cref="TargetAt"/> may change; null when it never will.</summary>
    internal TimeSpan? NextChangeAfter(TimeSpan elapsed)
    {
        if (Stages.Count == 0)
        {
            if (Batches is not { } b) return null;
            if (TargetAt(elapsed) >= Workers) return null;
            return TimeSpan.FromTicks((elapsed.Ticks / b.Every.Ticks + 1) * b.Every.Ticks);
        }
        var from = StartWorkers;
        var stageStart = TimeSpan.Zero;
        foreach (var stage in Stages)
        {
            var stageEnd = stageStart + stage.Duration;
            if (elapsed < stageEnd && stage.Target != from)
            {
                // The count changes when the line from `from` to `Target` crosses the next whole number.
                var current = TargetAt(elapsed);
                var next = stage.Target > from ? current + 1 : current - 1;
                var fraction = (next - from) / (double)(stage.Target - from);
                var at = stageStart + TimeSpan.FromTicks((long)Math.Ceiling(fraction * stage.Duration.Ticks));
                return at <= elapsed ? elapsed + TimeSpan.FromTicks(1) : at < stageEnd ? at : stageEnd;
            }
            from = stage.Target;
            stageStart = stageEnd;
        }
        return null;
    }
}
