using System.Text.Json.Serialization;

namespace Gauntlet.Results;

/// <summary>
/// Everything a run produced, as one versioned document. Every report reads this and nothing else.
/// Every time says its unit in its C# name (<c>P99Micros</c>, <c>DurationSeconds</c>, <c>TimeoutMs</c>; <c>AtSecond</c> is a
/// point on the scenario's clock, in seconds); result.json keeps its own, shorter names. Rates are per second; ratios
/// are fractions (0.5 = 50%).
/// </summary>
public sealed record RunResult
{
    /// <summary>
    /// The schema version this document follows; bumped on any incompatible change. 2: reasons and warnings are
    /// <c>{code, message}</c> and errors carry their <c>class</c>; version 1 files still read (codes <c>unclassified</c>,
    /// class <c>reached</c>). 3: what merging segments needs (<see cref="Segment"/>, <see cref="Segments"/>, each
    /// scenario's <see cref="ScenarioResult.Fingerprint"/>, per-second histograms in a segment's timeline); versions 1 and
    /// 2 still read, but only version 3 segments merge. 4: the verdict <c>invalid</c> (<see cref="Verdict.Invalid"/>,
    /// which older readers reject) and the scenario's <see cref="ScenarioConfig.Validity"/>; versions 1 to 3 still read,
    /// and version 3 segments still merge.
    /// </summary>
    public const int CurrentSchemaVersion = 4;

    /// <summary>Schema version of this document.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The machine and software the run happened on.</summary>
    public required EnvironmentInfo Environment { get; init; }

    /// <summary>Wall-clock start of the run (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall-clock end of the run (UTC).</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>True when the run was cancelled before every scenario finished.</summary>
    public bool Interrupted { get; init; }

    /// <summary>One entry per scenario that started, in run order.</summary>
    public IReadOnlyList<ScenarioResult> Scenarios { get; init; } = [];

    /// <summary>Breaking-point searches, in run order; null (left out of the file) when the run had none.</summary>
    public IReadOnlyList<SearchResult>? Searches { get; init; }

    /// <summary>The run judged against an earlier result; null (left out of the file) when there was no baseline.</summary>
    public BaselineVerdict? Baseline { get; init; }

    /// <summary>The segment of a split run this result holds (<c>--segment i/n</c>); null (left out) for a whole run.</summary>
    public SegmentInfo? Segment { get; init; }

    /// <summary>A merged result: the segments it was made of, by index; null (left out) for a run that was not merged.</summary>
    public IReadOnlyList<SegmentRow>? Segments { get; init; }

    /// <summary>True when there was at least one scenario or search, every scenario passed, every search passed, and nothing regressed against the baseline.</summary>
    public bool Passed => (Scenarios.Count > 0 || Searches is { Count: > 0 })
        && Scenarios.All(s => s.Verdict == Verdict.Passed)
        && (Searches?.All(s => s.Passed) ?? true)
        && Baseline is not { Regressed: true };
}

/// <summary>The final judgement on a scenario. A closed set that every output format spells the same way.</summary>
public enum Verdict
{
    /// <summary>Every threshold held and every operation was accounted for.</summary>
    Passed,
    /// <summary>A threshold was missed, or the accounting did not balance.</summary>
    Failed,
    /// <summary>The watchdog saw no operation complete for too long and ended the scenario.</summary>
    Hung,
    /// <summary>The run was cancelled (Ctrl-C) while this scenario ran.</summary>
    Interrupted,
    /// <summary>
    /// Every threshold held, but on figures the load generator distorted: it dropped arrivals, started them late or ran
    /// out of CPU beyond the scenario's validity tolerances (reason <see cref="ReasonCode.GeneratorLimited"/>). Neither a
    /// pass nor a failure of the target: run it again with more of Gauntlet (cores, segments) or less load.
    /// </summary>
    Invalid,
}

/// <summary>What happened in one scenario.</summary>
public sealed record ScenarioResult
{
    /// <summary>The scenario's name.</summary>
    public required string Name { get; init; }

    /// <summary>The scenario's verdict.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>Why the verdict is not <see cref="Verdict.Passed"/>: a code and a sentence each.</summary>
    public IReadOnlyList<VerdictReason> Reasons { get; init; } = [];

    /// <summary>The scenario's settings, echoed so a result can be read without its scenario file.</summary>
    public required ScenarioConfig Config { get; init; }

    /// <summary>
    /// A hash of the scenario as it was resolved (its operation, load, bounds, thresholds and verifiers, variables
    /// substituted), the same in every segment of one split run and different for another scenario: merge refuses
    /// segments whose fingerprints differ. Null in results written before schema 3.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>Wall-clock start (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Seconds from the first release of a worker or arrival to the moment issuing stopped.</summary>
    public double IssuingSeconds { get; init; }

    /// <summary>Seconds from start to the end of the scenario, grace period included.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Operation counts; see <see cref="Counts"/> for the invariant they obey.</summary>
    public required Counts Counts { get; init; }

    /// <summary>True when started = ok + failed + timedOut + crashed + cutOff held at the end.</summary>
    public bool AccountingBalanced { get; init; }

    /// <summary>Non-ok outcomes grouped by kind, most frequent first.</summary>
    public IReadOnlyList<ErrorKindCount> Errors { get; init; } = [];

    /// <summary>Latency of completed operations (any outcome). In an open model, measured from the intended start.</summary>
    public required LatencySummary Latency { get; init; }

    /// <summary>Open model only: time from the actual start to completion.</summary>
    public LatencySummary? ServiceTime { get; init; }

    /// <summary>Open model only: how late each operation started relative to its schedule.</summary>
    public LatencySummary? SchedulingLag { get; init; }

    /// <summary>Throughput figures over whole seconds.</summary>
    public required ThroughputStats Throughput { get; init; }

    /// <summary>Open model only: arrival figures.</summary>
    public ArrivalStats? Arrivals { get; init; }

    /// <summary>Barrier start only: how far apart the workers' actual starts were.</summary>
    public StartSpread? StartSpread { get; init; }

    /// <summary>One entry per second of the scenario.</summary>
    public IReadOnlyList<TimelinePoint> Timeline { get; init; } = [];

    /// <summary>Each threshold with its actual value and verdict.</summary>
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    /// <summary>Set when the watchdog declared a hang.</summary>
    public HangReport? Hang { get; init; }

    /// <summary>Set when a threshold watched live (<c>abort:</c>) failed and stopped the scenario early; null (left out) otherwise.</summary>
    public ScenarioAbort? Aborted { get; init; }

    /// <summary>Things a reader must know to trust the figures (the generator fell behind, arrivals were dropped, ...).</summary>
    public IReadOnlyList<Warning> Warnings { get; init; } = [];

    /// <summary>Figures the scenario reports beside the engine's (a stress pattern's items per second, GC collections); null when none.</summary>
    public IReadOnlyList<Figure>? Figures { get; init; }

    /// <summary>The warm-up before the measured run (<see cref="Scenarios.Bounds.Warmup"/>): its own figures, kept out of every other figure and threshold; null without one.</summary>
    public WarmupResult? Warmup { get; init; }

    /// <summary>What the resource monitor saw (the target's process tree and Gauntlet itself); null in results written before monitoring existed.</summary>
    public ResourceUsage? Resources { get; init; }

    /// <summary>The target's own metrics read during the run (<see cref="Scenarios.MonitorOptions"/>), one series each; null (left out) when none were read.</summary>
    public IReadOnlyList<TargetMetricSeries>? TargetMetrics { get; init; }

    /// <summary>
    /// Spans of the timeline to mark on charts, such as injected faults; null when there were none. Nullable, unlike
    /// the older lists, so that results written before it existed still read.
    /// </summary>
    public IReadOnlyList<TimelineWindow>? Windows { get; init; }
    /// <summary>The operation history, when the scenario recorded one (it has a verifier).</summary>
    public HistoryInfo? History { get; init; }

    /// <summary>What each verifier found; a failed one fails the scenario. Null (left out) when the scenario has no verifier.</summary>
    public IReadOnlyList<VerificationResult>? Verifications { get; init; }

    /// <summary>HTTP operations only: status codes, bytes in and out, connections.</summary>
    public HttpFigures? Http { get; init; }

    /// <summary>gRPC operations only: calls by status, and for server streaming the messages; null (left out) otherwise.</summary>
    public GrpcFigures? Grpc { get; init; }
    /// <summary>WebSocket operations only: connections, connect time, messages sent, received and lost, bytes; null (left out) otherwise.</summary>
    public WebSocketFigures? WebSocket { get; init; }

    /// <summary>Per operation kind of a weighted mix (or a named request), in the order written; null (left out) otherwise.</summary>
    public IReadOnlyList<OperationKindFigures>? OperationKinds { get; init; }

    /// <summary>Closed and iterations scenarios with two workers or more: each worker as an agent; null (left out) otherwise.</summary>
    public AgentFigures? Agents { get; init; }

    /// <summary>Faults injected into the agents' processes; null (left out) when the scenario injects none.</summary>
    public AgentFaultFigures? AgentFaults { get; init; }

    /// <summary>The recovery step run after the last operation and before the verifiers; null (left out) when there is none.</summary>
    public RecoveryResult? Recovery { get; init; }
}

/// <summary>
/// How the scenario's recovery step ended: the target's own check or repair, run after the last operation and before
/// the verifiers read its state. A recovery that does not succeed fails the scenario; the verifiers still run.
/// </summary>
/// <param name="Ok">True when it succeeded.</param>
/// <param name="Kind">Its error kind when it did not (<c>exit_1</c>, <c>timeout</c>, <c>spawn_ENOENT</c>, ...).</param>
/// <param name="Message">What it said: the failure, or the tail of its output.</param>
/// <param name="Seconds">How long it took.</param>
public sealed record RecoveryResult(bool Ok, string? Kind, string? Message, double Seconds)
{
    /// <summary>What the step ran (its command line), when it says.</summary>
    public string? Step { get; init; }
}

/// <summary>What HTTP operations saw on the wire.</summary>
public sealed record HttpFigures
{
    /// <summary>How requests were sent: <c>raw-http1</c> (keep-alive sockets) or <c>httpclient</c>.</summary>
    public required string Engine { get; init; }
    /// <summary>The HTTP version requested: <c>1.1</c> or <c>2</c>.</summary>
    public required string Version { get; init; }
    /// <summary>Responses by status code, lowest code first.</summary>
    public IReadOnlyList<StatusCodeCount> StatusCodes { get; init; } = [];
    /// <summary>Bytes received (status line, headers and body; exact on <c>raw-http1</c>, headers as HTTP/1.1 text on <c>httpclient</c>).</summary>
    public long BytesIn { get; init; }
    /// <summary>Bytes sent (request line, headers and body; counted the same way as <see cref="BytesIn"/>).</summary>
    public long BytesOut { get; init; }
    /// <summary>Bytes received per second over the scenario's duration.</summary>
    public double BytesInPerSecond { get; init; }
    /// <summary>Bytes sent per second over the scenario's duration.</summary>
    public double BytesOutPerSecond { get; init; }
    /// <summary>Connections opened (<c>raw-http1</c>: the first one of each worker and every reconnect; <c>httpclient</c>: every connection its pool opened).</summary>
    public long ConnectionsOpened { get; init; }
    /// <summary><c>raw-http1</c> only: connections the server closed (a <c>Connection: close</c> reply or an idle close) that were reopened.</summary>
    public long ServerCloses { get; init; }
    /// <summary>Time per phase of a request (connect, TLS, time to first byte, transfer); null in results written before phases were measured.</summary>
    public HttpPhases? Phases { get; init; }
    /// <summary>Responses read as Server-Sent Events (<c>stream: sse</c>); null (left out) otherwise.</summary>
    public SseFigures? Sse { get; init; }
}

/// <summary>How many responses had one status code.</summary>
public sealed record StatusCodeCount(int Code, long Count);

/// <summary>One kind of operation in a weighted mix.</summary>
public sealed record OperationKindFigures
{
    /// <summary>The kind's name as written.</summary>
    public required string Name { get; init; }
    /// <summary>Its weight in the mix.</summary>
    public int Weight { get; init; }
    /// <summary>True when the kind expects the target to reject it (then a rejection counts as ok).</summary>
    public bool ExpectsRejection { get; init; }
    /// <summary>Operations of this kind that ended (cut-off operations may be included).</summary>
    public long Count { get; init; }
    /// <summary>Operations of this kind that ended ok (for a kind that expects rejection: correctly rejected).</summary>
    public long Ok { get; init; }
    /// <summary>Operations of this kind that did not end ok (failed or timed out).</summary>
    public long NotOk { get; init; }
    /// <summary>Service time of this kind's operations (microseconds), without the histogram encoding.</summary>
    public required LatencySummary Latency { get; init; }
}

/// <summary>The settings a scenario ran with.</summary>
public sealed record ScenarioConfig
{
    /// <summary>Load model: <c>closed</c>, <c>open</c> or <c>iterations</c>.</summary>
    public required string Model { get; init; }

    /// <summary>The load profile in one line.</summary>
    public required string Load { get; init; }

    /// <summary>The bounds in one line.</summary>
    public required string Bounds { get; init; }

    /// <summary>Largest number of concurrent workers or in-flight operations.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Issuing window in seconds, when bounded by time.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Per-operation timeout in milliseconds, when set.</summary>
    public double? TimeoutMs { get; init; }

    /// <summary>The threshold expressions as written.</summary>
    public IReadOnlyList<string> Thresholds { get; init; } = [];

    /// <summary>The injected faults in one line (proxy windows, agent faults); null (left out) when there were none.</summary>
    public string? Faults { get; init; }

    /// <summary>The scenario's validity tolerances when any differs from its default; null (left out): the defaults.</summary>
    public ValidityConfig? Validity { get; init; }
}

/// <summary>
/// Operation counts. Invariant: <c>started = ok + failed + timedOut + crashed + cutOff</c>.
/// <see cref="Dropped"/> counts open-model arrivals that never started because the in-flight cap was reached.
/// </summary>
public sealed record Counts
{
    /// <summary>Operations that started.</summary>
    public long Started { get; init; }
    /// <summary>Operations that ended ok.</summary>
    public long Ok { get; init; }
    /// <summary>Operations that ended failed.</summary>
    public long Failed { get; init; }
    /// <summary>Operations that timed out.</summary>
    public long TimedOut { get; init; }
    /// <summary>Operations during which the target crashed.</summary>
    public long Crashed { get; init; }
    /// <summary>Operations still running when the grace period or deadline ended; their fate is unknown.</summary>
    public long CutOff { get; init; }
    /// <summary>Open model: arrivals not started because the in-flight cap was reached.</summary>
    public long Dropped { get; init; }

    /// <summary>Operations that ended (any outcome but cut off).</summary>
    public long Completed => Ok + Failed + TimedOut + Crashed;

    /// <summary>True when every started operation is accounted for.</summary>
    public bool Balanced => Started == Ok + Failed + TimedOut + Crashed + CutOff;
}

/// <summary>One kind of non-ok outcome.</summary>
/// <param name="Kind">The error kind (<c>refused</c>, <c>status_500</c>, <c>timeout</c>, ...).</param>
/// <param name="Status">The outcome status: <c>failed</c>, <c>timedOut</c> or <c>crashed</c>.</param>
/// <param name="Count">Operations that ended with this kind.</param>
/// <param name="SampleMessage">The first message of this kind.</param>
/// <param name="Class">Whether these operations reached their target; <see cref="ErrorClass.Reached"/> in results of schemaVersion 1, which did not say.</param>
public sealed record ErrorKindCount(string Kind, string Status, long Count, string? SampleMessage, ErrorClass Class = ErrorClass.Reached);

/// <summary>
/// Latency distribution, in microseconds, with the encoded histogram so results can be merged exactly. Every time's
/// C# name ends in <c>Micros</c>; result.json keeps the short names (<c>p99</c>, <c>max</c>, ...).
/// </summary>
public sealed record LatencySummary
{
    /// <summary>Number of recorded values.</summary>
    public long Count { get; init; }
    /// <summary>Smallest value, in microseconds.</summary>
    [JsonPropertyName("min")] public double MinMicros { get; init; }
    /// <summary>Mean, in microseconds.</summary>
    [JsonPropertyName("mean")] public double MeanMicros { get; init; }
    /// <summary>Standard deviation, in microseconds.</summary>
    [JsonPropertyName("stdDev")] public double StdDevMicros { get; init; }
    /// <summary>Median, in microseconds.</summary>
    [JsonPropertyName("p50")] public double P50Micros { get; init; }
    /// <summary>90th percentile, in microseconds.</summary>
    [JsonPropertyName("p90")] public double P90Micros { get; init; }
    /// <summary>95th percentile, in microseconds.</summary>
    [JsonPropertyName("p95")] public double P95Micros { get; init; }
    /// <summary>99th percentile, in microseconds.</summary>
    [JsonPropertyName("p99")] public double P99Micros { get; init; }
    /// <summary>99.9th percentile, in microseconds.</summary>
    [JsonPropertyName("p999")] public double P999Micros { get; init; }
    /// <summary>Largest value, in microseconds.</summary>
    [JsonPropertyName("max")] public double MaxMicros { get; init; }
    /// <summary>The HdrHistogram (1 us .. 1 h, 3 significant digits), compressed V2 encoding in base64.</summary>
    public string? Histogram { get; init; }
}

/// <summary>Throughput over whole seconds of the issuing window.</summary>
public sealed record ThroughputStats
{
    /// <summary>Completed operations per second from the scenario's start to its end (issuing and draining in-flight work).</summary>
    public double Overall { get; init; }
    /// <summary>Mean of the per-second completions.</summary>
    public double Mean { get; init; }
    /// <summary>Standard deviation of the per-second completions.</summary>
    public double StdDev { get; init; }
    /// <summary>Coefficient of variation (stddev / mean) of the per-second completions; NaN-free: 0 when fewer than two seconds.</summary>
    public double Cv { get; init; }
    /// <summary>Lowest per-second completions.</summary>
    public double Min { get; init; }
    /// <summary>Highest per-second completions.</summary>
    public double Max { get; init; }
    /// <summary>Number of whole seconds the statistics are taken over.</summary>
    public int Seconds { get; init; }

    /// <summary>
    /// Throughput drift: mean per-second completions of the last window of the issuing time over the first window's,
    /// minus one (-0.1 = the end ran 10% slower than the start); null with too few seconds to compare.
    /// </summary>
    public double? Drift { get; init; }

    /// <summary>
    /// Set with <see cref="Drift"/>: true when the drift is below <c>-10%</c> and beyond noise, so the run slowed down
    /// as it went. Null without a drift (and in results written before it existed).
    /// </summary>
    public bool? Degraded { get; init; }
}

/// <summary>Open model: what the schedule asked for and what the generator achieved.</summary>
public sealed record ArrivalStats
{
    /// <summary>Arrivals the schedule called for while issuing.</summary>
    public long Scheduled { get; init; }
    /// <summary>Arrivals per second requested (average over the schedule's window: from the start to the end of issuing, at most the duration).</summary>
    public double RequestedRate { get; init; }
    /// <summary>Arrivals per second actually dispatched (started + dropped) over the same window.</summary>
    public double AchievedRate { get; init; }
}

/// <summary>How far apart the workers released by a barrier actually started, in microseconds.</summary>
/// <param name="Workers">Workers released together.</param>
/// <param name="SpreadMicros">Latest start minus earliest start, in microseconds.</param>
/// <param name="P50Micros">Median delay from the barrier's release to a worker's start, in microseconds.</param>
/// <param name="MaxMicros">Largest delay from the barrier's release to a worker's start, in microseconds.</param>
public sealed record StartSpread(int Workers, double SpreadMicros, double P50Micros, double MaxMicros);

/// <summary>One second of the scenario.</summary>
public sealed record TimelinePoint
{
    /// <summary>Seconds since the scenario start at the end of this interval.</summary>
    public double Second { get; init; }
    /// <summary>Operations started in this second.</summary>
    public long Started { get; init; }
    /// <summary>Operations completed in this second (any outcome).</summary>
    public long Completed { get; init; }
    /// <summary>Ok outcomes in this second.</summary>
    public long Ok { get; init; }
    /// <summary>Non-ok outcomes (failed, timed out, crashed) in this second.</summary>
    public long Errors { get; init; }
    /// <summary>Open model: arrivals dropped in this second.</summary>
    public long Dropped { get; init; }
    /// <summary>Median latency of operations completed in this second, in microseconds.</summary>
    [JsonPropertyName("p50")] public double P50Micros { get; init; }
    /// <summary>99th percentile latency of operations completed in this second, in microseconds.</summary>
    [JsonPropertyName("p99")] public double P99Micros { get; init; }
    /// <summary>
    /// A segment's result only: this second's latency HdrHistogram, in the encoding of <see cref="LatencySummary.Histogram"/>,
    /// so that a merge takes each second's percentiles from every segment's operations; null (left out) otherwise.
    /// </summary>
    public string? Histogram { get; init; }
    /// <summary>Operations in flight at the end of this second.</summary>
    public long InFlight { get; init; }
    /// <summary>Workers running at the end of this second.</summary>
    public int Workers { get; init; }

    /// <summary>
    /// Gauntlet's own process CPU in this second, as a share of the cores available to it (0.98 = 98% of every core; an
    /// in-process target's work counts in it). Null when not measured: a result written before it existed, a simulated
    /// clock, or an interval too short to read. A merged second has the busiest segment's.
    /// </summary>
    public double? GauntletCpu { get; init; }

    /// <summary>
    /// Open model only: 99th percentile scheduling lag (how late against their schedule operations started) of the
    /// operations completed in this second, in microseconds; null otherwise, or when none completed. A merged second has
    /// the largest of the segments'.
    /// </summary>
    [JsonPropertyName("lagP99")] public double? LagP99Micros { get; init; }

    /// <summary>
    /// Work items waiting for a thread-pool thread at the end of this second (<c>ThreadPool.PendingWorkItemCount</c>): a
    /// figure to read beside <see cref="GauntletCpu"/>, not judged. Null in results written before it existed. A merged
    /// second has the largest of the segments'.
    /// </summary>
    public long? ThreadPoolQueue { get; init; }

    /// <summary>
    /// Why Gauntlet itself, not the target, limited the rate in this second (its CPU, its scheduling lag), judged on the
    /// seconds of the issuing window; null (left out) when it did not. A merged second has every segment's reasons.
    /// </summary>
    public GeneratorLimits? LimitedBy { get; init; }
}

/// <summary>One threshold's verdict.</summary>
public sealed record ThresholdResult(string Expression, string Target, double? Actual, string ActualText, bool Passed, string? Note)
{
    /// <summary>
    /// A threshold judged over a sliding window (<c>p99 &lt; 50ms over 10s</c>): its worst window, whose value is
    /// <see cref="Actual"/>; null (left out) for a threshold judged over the whole run, or one no window could judge.
    /// </summary>
    public WorstWindow? Window { get; init; }
}

/// <summary>The worst of the sliding windows a threshold was judged over, and how many were judged and failed.</summary>
/// <param name="FromSecond">Seconds since the scenario start at the start of the window.</param>
/// <param name="ToSecond">Seconds since the scenario start at the end of the window.</param>
/// <param name="Judged">Windows judged (each start second whose window lies inside the issuing period and had a measurement).</param>
/// <param name="Failed">Windows that failed the threshold.</param>
public sealed record WorstWindow(double FromSecond, double ToSecond, int Judged, int Failed);

/// <summary>Why and when a threshold watched live (<c>abort:</c>) stopped the scenario.</summary>
/// <param name="AtSecond">Seconds since the scenario start when the threshold failed and issuing stopped.</param>
/// <param name="Threshold">The threshold's expression as written.</param>
/// <param name="ActualText">The value that failed it, formatted like the target.</param>
public sealed record ScenarioAbort(double AtSecond, string Threshold, string ActualText)
{
    /// <summary>A windowed threshold: the window that failed it; null for one watched on all the data so far.</summary>
    public WorstWindow? Window { get; init; }
}

/// <summary>What the watchdog saw when it declared a hang.</summary>
public sealed record HangReport
{
    /// <summary>Seconds without a completion that triggered the hang.</summary>
    public double QuietSeconds { get; init; }
    /// <summary>Seconds since the scenario start when the hang was declared.</summary>
    public double AtSecond { get; init; }
    /// <summary>Workers that were running an operation, longest-stuck first (at most <see cref="MaxListed"/>).</summary>
    public IReadOnlyList<StuckWorker> Workers { get; init; } = [];
    /// <summary>How many workers were stuck in total.</summary>
    public int StuckCount { get; init; }

    /// <summary>The most stuck workers listed.</summary>
    public const int MaxListed = 50;
}

/// <summary>A worker caught in an operation by the watchdog.</summary>
public sealed record StuckWorker(int Worker, long OperationId, long Iteration, double RunningSeconds);

/// <summary>
/// The load run before the measured part of a scenario, on the same operation and target, to warm up the generator
/// (JIT tiers, pools) and the target (caches, connection pools). Reported apart; no threshold sees it.
/// </summary>
public sealed record WarmupResult
{
    /// <summary>Seconds of load.</summary>
    public double Seconds { get; init; }

    /// <summary>Its operations, accounted for as the measured run's are.</summary>
    public required Counts Counts { get; init; }

    /// <summary>Operations completed per second over <see cref="Seconds"/>.</summary>
    public double Throughput { get; init; }

    /// <summary>Its latency (us): compare with the measured run's to see what the warm-up kept out.</summary>
    public required LatencySummary Latency { get; init; }
}
