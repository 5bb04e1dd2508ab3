namespace Gauntlet.Results;

/// <summary>What a reader must know to trust a scenario's figures. A closed set: reports show the message, result.json carries the code.</summary>
public enum WarningCode
{
    /// <summary>A warning read from a result written before warnings had codes (schemaVersion 1).</summary>
    Unclassified,

    /// <summary>Throughput fell during the run beyond noise.</summary>
    ThroughputDegraded,

    /// <summary>The target's resident memory grew steadily after the warm-up.</summary>
    MemoryLeakSuspected,

    /// <summary>The target held more file descriptors at the end than after the warm-up.</summary>
    FdLeakSuspected,

    /// <summary>Open model: the generator dispatched fewer arrivals than scheduled.</summary>
    GeneratorBehind,

    /// <summary>Open model: operations started late against their schedule.</summary>
    SchedulingLag,

    /// <summary>Open model: arrivals were dropped because the in-flight cap was reached.</summary>
    ArrivalsDropped,

    /// <summary>A worker was stuck in one operation while the others went on.</summary>
    WorkerStuck,

    /// <summary>Operations were still running when the scenario ended and were cut off.</summary>
    CutOff,

    /// <summary>Workers waited for the history writer.</summary>
    HistoryStalled,

    /// <summary>
    /// A segment of a split run: its thresholds, recovery step and verifiers are left to <c>gauntlet merge</c>, which judges
    /// them once on the whole run's figures and history.
    /// </summary>
    JudgedByMerge,

    /// <summary>A merge of segment results could not give a figure exactly, or could not run the verifiers again (see docs/merge.md).</summary>
    MergeIncomplete,

    /// <summary>Reads of the target's own metrics (a Prometheus endpoint or server) failed, or a series had no value in some reads.</summary>
    TargetMetricsUnread,

    /// <summary>
    /// Gauntlet itself, not the target, limited the rate in some seconds: its own CPU was near the cores available to it,
    /// or (open model) operations started late beyond the tolerance. Names the seconds and the figure of each (see
    /// <see cref="TimelinePoint.LimitedBy"/>).
    /// </summary>
    GeneratorLimited,

    /// <summary>
    /// The generator limited the run beyond the scenario's validity tolerances, which would have made it invalid, but
    /// the scenario accepts that (<c>validity: { accept: true }</c>): the reason, kept as a warning.
    /// </summary>
    InvalidAccepted,

    /// <summary>
    /// Exports of the live figures (<c>--otlp</c>, <c>telemetry: { otlp }</c>) failed: the collector refused them, answered
    /// with an error or was not there. The result's figures are whole; the collector's copy of them has gaps.
    /// </summary>
    TelemetryExportFailed,
}

/// <summary>One warning: its <see cref="WarningCode"/> and the sentence a report shows.</summary>
/// <param name="Code">What kind of warning this is.</param>
/// <param name="Message">The sentence shown to a person.</param>
public sealed record Warning(WarningCode Code, string Message)
{
    /// <summary>The message, as reports print it.</summary>
    public override string ToString() => Message;
}
