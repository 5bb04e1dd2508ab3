namespace Gauntlet.Scenarios.LoadProfiles;

/// <summary>An open-model stage: move linearly to <paramref name="TargetRate"/> arrivals per second over <paramref name="Duration"/>.</summary>
public sealed record RateStage(TimeSpan Duration, double TargetRate);

/// <summary>
/// Open model: operations arrive on a schedule (a rate per second, constant or ramping through stages)
/// whether or not the target keeps up. At most <see cref="MaxInFlight"/> run at once; an arrival that finds
/// them all busy is counted as dropped, never silently skipped. Latency is measured from each arrival's
/// intended start, so a stalled target shows in the figures (coordinated omission corrected).
/// </summary>
public sealed record OpenProfile : LoadProfile
{
    /// <summary>Default <see cref="MaxInFlight"/>.</summary>
    public const int DefaultMaxInFlight = 1000;

    /// <summary>Arrivals per second at the start of the first stage (and throughout when there are no stages).</summary>
    public double StartRate { get; init; }

    /// <summary>Rate stages; when set, the profile runs for their total duration.</summary>
    public IReadOnlyList<RateStage> Stages { get; init; } = [];

    /// <summary>Cap on operations in flight; arrivals beyond it are dropped and counted.</summary>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;

    /// <inheritdoc />
    public override int MaxConcurrency => MaxInFlight;

    /// <inheritdoc />
    public override TimeSpan? NaturalDuration =>
        Stages.Count == 0 ? null : Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <inheritdoc />
    public override bool EndsByCount => false;

    /// <inheritdoc />
    public override string Describe()
    {
        var constant = Stages.All(s => s.TargetRate == StartRate);
        var text = constant
            ? $"open: {Format.Rate(StartRate)}" + (NaturalDuration is { } d ? " for " + Format.Duration(d) : "")
            : "open: " + Format.Rate(StartRate) + string.Concat(Stages.Select(s => $" → {Format.Rate(s.TargetRate)} over {Format.Duration(s.Duration)}"));
        return text + $", max {MaxInFlight} in flight";
    }

    internal override void Validate(ProblemList problems)
    {
        if (MaxInFlight <= 0) problems.Add("maxInFlight", $"must be greater than zero, got {MaxInFlight}");
        if (!(StartRate >= 0) || double.IsInfinity(StartRate)) problems.Add("rate", $"must be a finite rate of zero or more per second, got {StartRate}");
        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = problems.At("stages").At($"[{i}]");
            if (Stages[i].Duration <= TimeSpan.Zero) stage.Add("duration", $"must be greater than zero, got {Format.Duration(Stages[i].Duration)}");
            if (!(Stages[i].TargetRate >= 0) || double.IsInfinity(Stages[i].TargetRate)) stage.Add("target", $"must be a finite rate of zero or more per second, got {Stages[i].TargetRate}");
        }
        if (StartRate == 0 && Stages.All(s => s.TargetRate == 0)) problems.Add("rate", "is zero throughout: no operation would ever arrive");
    }

    /// <summary>How many arrivals are due <paramref name="elapsed"/> after the start (the integral of the rate).</summary>
    internal double ArrivalsBy(TimeSpan elapsed)
    {
        var t = elapsed.TotalSeconds;
        double total = 0, from = StartRate, stageStart = 0;
        // Indexed, not foreach: the dispatcher calls this per arrival, and foreach over the interface boxes an enumerator.
        var stages = Stages;
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var length = stage.Duration.TotalSeconds;
            if (t < stageStart + length)
            {
                var x = t - stageStart;
                return total + from * x + (stage.TargetRate - from) * x * x / (2 * length);
            }
            total += (from + stage.TargetRate) / 2 * length;
            from = stage.TargetRate;
            stageStart += length;
        }
        return total + from * (t - stageStart);
    }

    /// <summary>When arrival number <paramref name="n"/> (from 1) is due: the inverse of <see cref="ArrivalsBy"/>; null if never.</summary>
    internal TimeSpan? ArrivalTime(long n)
    {
        var seconds = ArrivalSeconds(n);
        return double.IsPositiveInfinity(seconds) ? null : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Seconds from the start until arrival number <paramref name="n"/> (from 1) is due; +∞ if never.</summary>
    internal double ArrivalSeconds(long n)
    {
        double total = 0, from = StartRate, stageStart = 0;
        var stages = Stages;
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var length = stage.Duration.TotalSeconds;
            var stageArrivals = (from + stage.TargetRate) / 2 * length;
            if (total + stageArrivals >= n)
            {
                var need = n - total;
                var slope = (stage.TargetRate - from) / length;
                double x;
                if (Math.Abs(slope) < 1e-12) x = need / from;
                else
                {
                    // Solve from*x + slope/2*x^2 = need for the smallest x >= 0.
                    var discriminant = from * from + 2 * slope * need;
                    x = (-from + Math.Sqrt(Math.Max(0, discriminant))) / slope;
                }
                return stageStart + Math.Clamp(x, 0, length);
            }
            total += stageArrivals;
            from = stage.TargetRate;
            stageStart += length;
        }
        if (from <= 0) return double.PositiveInfinity;
        return stageStart + (n - total) / from;
    }
}
