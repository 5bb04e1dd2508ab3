namespace Gauntlet.Scenarios;

/// <summary>
/// When a scenario's figures say more about Gauntlet than about the target: the tolerances beyond which the load
/// generator, not the target, is judged to have limited the run, which makes the scenario's verdict
/// <see cref="Results.Verdict.Invalid"/> (exit code 6) unless a threshold already failed. A threshold can never pass on
/// figures the generator distorted. In YAML: <c>validity: { dropped: 1%, lateP99: 10ms, cpu: 95%, accept: true }</c>.
/// </summary>
/// <remarks>
/// What "the generator limited the run" means depends on the load model. An open model promises a schedule (so many
/// arrivals a second, each timed from its intended start); the generator broke that promise when it dropped arrivals
/// (their latency is never measured, so the figures look better than the target was) or started them late, or when
/// its own CPU was so busy that the times it kept were no longer its own. A closed or iterations model promises no
/// rate: its workers go as fast as the target and Gauntlet let them, so a closed model at full speed is meant to use
/// the CPU, and a busy CPU alone says nothing about whether the load asked for was delivered. Gauntlet's CPU is therefore
/// judged by default in an open model only; a closed or iterations scenario that wants it judged sets <see cref="Cpu"/>.
/// </remarks>
public sealed record ValidityOptions
{
    /// <summary>
    /// Default <see cref="Dropped"/>: 1% of the arrivals. A dropped arrival is a latency never measured; if up to 1% of
    /// them would all have been the slowest, the p99 measured is at worst the true p98, the precision a threshold on p99
    /// can bear. Fewer drops are the scheduling noise of a shared machine (a stall of a few milliseconds at 1000/s into
    /// 16 slots drops a few dozen) and stay a warning; a scenario that needs more writes <c>dropped: 0.1%</c>.
    /// </summary>
    public const double DefaultDropped = 0.01;

    /// <summary>Default <see cref="LateP99"/>: 10 ms, ten times the per-second mark of a late second (1 ms), so timer jitter on a busy machine does not invalidate a run.</summary>
    public static readonly TimeSpan DefaultLateP99 = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Default <see cref="Cpu"/> in an open model: 95% of the cores available to Gauntlet, above the 90% at which a
    /// second is marked generator-limited (a warning): a verdict needs a clearer sign than a warning does.
    /// </summary>
    public const double DefaultCpu = 0.95;

    /// <summary>
    /// Open model: the share of the arrivals that may be dropped (the in-flight cap was reached) before the run is
    /// invalid; a fraction (0.01 = 1%). Default <see cref="DefaultDropped"/>.
    /// </summary>
    public double Dropped { get; init; } = DefaultDropped;

    /// <summary>
    /// Open model: the whole run's p99 scheduling lag (how late against their schedule operations started) above which
    /// the run is invalid, when it is also more than a tenth of the p99 latency. Default <see cref="DefaultLateP99"/>.
    /// </summary>
    public TimeSpan LateP99 { get; init; } = DefaultLateP99;

    /// <summary>
    /// Gauntlet's own CPU, as a share of the cores available to it (0.95 = 95%), at or above which a second of the
    /// issuing window (the first one excepted unless a warm-up ran: code compiling, threads starting) makes the run
    /// invalid. Null (the default): <see cref="DefaultCpu"/> in an open model, not judged in a closed or iterations
    /// model (see the remarks); set, it is judged in every model.
    /// </summary>
    public double? Cpu { get; init; }

    /// <summary>
    /// True: the scenario accepts a generator-limited run; what would have made it invalid becomes a warning, and the
    /// verdict is judged from the thresholds alone. Default false.
    /// </summary>
    public bool Accept { get; init; }

    /// <summary>The tolerances as a result echoes them; null when every one has its default.</summary>
    internal Results.ValidityConfig? ToConfig() => this == new ValidityOptions()
        ? null
        : new() { Dropped = Dropped, LateP99Micros = LateP99.TotalMicroseconds, Cpu = Cpu, Accept = Accept };

    /// <summary>The tolerances a result was judged with (<see cref="Results.ScenarioConfig.Validity"/>): the defaults when it echoes none.</summary>
    internal static ValidityOptions From(Results.ValidityConfig? config) => config is null
        ? new()
        : new() { Dropped = config.Dropped, LateP99 = TimeSpan.FromMicroseconds(config.LateP99Micros), Cpu = config.Cpu, Accept = config.Accept };

    internal void Validate(ProblemList problems)
    {
        if (Dropped is < 0 or > 1 || double.IsNaN(Dropped)) problems.Add("dropped", $"must be a share from 0% to 100%, got {Dropped}");
        problems.NotNegative("lateP99", LateP99);
        if (Cpu is { } cpu && (cpu is <= 0 or > 1 || double.IsNaN(cpu)))
            problems.Add("cpu", $"must be a share of the cores above 0% and at most 100%, got {cpu}");
    }
}
