using System.Diagnostics.Metrics;

namespace Gauntlet.Engine;

/// <summary>
/// Gauntlet's live figures on a <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="Name"/>, for any
/// listener: the OpenTelemetry SDK (<c>AddMeter("Gauntlet")</c>, which the package Gauntlet.Telemetry does for
/// <c>--otlp</c> and <c>--metrics</c>), <c>dotnet-counters monitor --counters Gauntlet</c>, or a
/// <see cref="MeterListener"/> of your own. Every instrument carries the tags <c>scenario</c>, <c>kind</c> (the
/// operation: <c>http</c>, <c>tcp</c>, <c>process</c>, ...) and <c>segment</c> (<c>0/1</c> for a whole run,
/// <c>i/n</c> for a segment of a split one); the operation counter adds <c>outcome</c>.
/// </summary>
/// <remarks>
/// Nothing is added to the operations' hot path. Counters and gauges are observed from the figures the engine keeps
/// anyway, when a listener collects; the latency histograms are filled once a second by the collector thread from the
/// second's HdrHistogram, and only while a listener is subscribed. Durations are in seconds, as OpenTelemetry's
/// semantic conventions write them.
/// </remarks>
public static class GauntletMeter
{
    /// <summary>The meter's name: what <c>AddMeter</c> and <c>dotnet-counters</c> are given.</summary>
    public const string Name = "Gauntlet";

    /// <summary>Operations completed, by outcome (<c>ok</c>, <c>failed</c>, <c>timed_out</c>, <c>crashed</c>); a counter.</summary>
    public const string Operations = "gauntlet.operations";

    /// <summary>Operations started (issued); a counter. Started minus completed is what is in flight.</summary>
    public const string OperationsStarted = "gauntlet.operations.started";

    /// <summary>Operations in flight now; an up-down counter.</summary>
    public const string OperationsInFlight = "gauntlet.operations.in_flight";

    /// <summary>Each operation's latency (start to outcome), in seconds; a histogram.</summary>
    public const string OperationDuration = "gauntlet.operation.duration";

    /// <summary>Open model: how late each arrival started against its schedule, in seconds; a histogram.</summary>
    public const string ArrivalLag = "gauntlet.arrival.lag";

    /// <summary>Open model: arrivals dropped because every in-flight slot was taken; a counter.</summary>
    public const string ArrivalsDropped = "gauntlet.arrivals.dropped";

    /// <summary>Open model: the rate the load profile asks for now (this segment's share), in operations a second; a gauge.</summary>
    public const string RateRequested = "gauntlet.rate.requested";

    /// <summary>Operations started in the last whole second; a gauge, beside <see cref="RateRequested"/>.</summary>
    public const string RateAchieved = "gauntlet.rate.achieved";

    /// <summary>Workers (agents) running now; an up-down counter.</summary>
    public const string WorkersActive = "gauntlet.workers.active";

    /// <summary>Faults injected so far, by <c>fault</c> (<c>refuse</c>, <c>blackhole</c>, <c>reset</c> at the proxy; <c>agent</c> signals); a counter.</summary>
    public const string FaultsInjected = "gauntlet.faults.injected";

    /// <summary>Resident memory of the monitored <c>process</c> (<c>target</c> or <c>gauntlet</c>) at the last sample, in bytes; a gauge.</summary>
    public const string ProcessMemory = "gauntlet.process.memory.usage";

    /// <summary>CPU of the monitored <c>process</c> between the last two samples, in cores (1 = one core busy); a gauge.</summary>
    public const string ProcessCpu = "gauntlet.process.cpu.utilization";

    /// <summary>Threads of the monitored <c>process</c> at the last sample; a gauge.</summary>
    public const string ProcessThreads = "gauntlet.process.thread.count";

    /// <summary>Open file descriptors of the monitored <c>process</c> at the last sample; a gauge.</summary>
    public const string ProcessFds = "gauntlet.process.open_file_descriptor.count";

    /// <summary>Bucket bounds of the latency histograms, in seconds: 100 us to 10 s, dense where services answer.</summary>
    internal static readonly IReadOnlyList<double> LatencyBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}
