using Gauntlet.Results;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Gauntlet.Tests.Results;

/// <summary>Result documents for tests: one with every optional part set, one minimal.</summary>
internal static class SampleResults
{
    public static EnvironmentInfo Environment() => new()
    {
        CpuModel = "AMD EPYC 7B13",
        LogicalCores = 8,
        MemoryBytes = 32L * 1024 * 1024 * 1024,
        Os = "Debian GNU/Linux 12 (bookworm)",
        Kernel = "6.1.0-18-amd64",
        Architecture = "X64",
        Runtime = ".NET 10.0.0",
        GauntletVersion = "0.1.0",
        MachineName = "bench-01",
        GcMode = "server, concurrent",
    };

    /// <summary>A closed-model scenario with only the required parts.</summary>
    public static RunResult Minimal() => new()
    {
        Environment = Environment(),
        StartedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 10, TimeSpan.Zero),
        Scenarios =
        [
            new ScenarioResult
            {
                Name = "echo",
                Verdict = Verdict.Passed,
                Config = new ScenarioConfig { Model = "closed", Load = "4 workers", Bounds = "10s" },
                Counts = new Counts { Started = 10, Ok = 10 },
                AccountingBalanced = true,
                Latency = new LatencySummary { Count = 10, MinMicros = 100, MeanMicros = 150, P50Micros = 150, P90Micros = 190, P95Micros = 195, P99Micros = 199, P999Micros = 200, MaxMicros = 200 },
                Throughput = new ThroughputStats { Overall = 1, Mean = 1, Min = 1, Max = 1, Seconds = 10 },
            },
        ],
    };

    /// <summary>Every optional part set, in both scenarios, with awkward values (fractions, unicode, large counts).</summary>
    public static RunResult Full()
    {
        var start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);
        return new RunResult
        {
            Environment = Environment(),
            StartedAt = start,
            FinishedAt = start.AddSeconds(75.5),
            Interrupted = true,
            Scenarios =
            [
                new ScenarioResult
                {
                    Name = "checkout — open model",
                    Fingerprint = "sha256:3f2a9c",
                    Verdict = Verdict.Failed,
                    Reasons = [new(ReasonCode.ThresholdMissed, "p99 < 50ms failed: actual 61.2ms"), new(ReasonCode.ThresholdMissed, "lost == 0 failed: actual 3")],
                    Config = new ScenarioConfig
                    {
                        Model = "open",
                        Load = "500/s for 30s, then 1000/s for 30s, max 256 in flight",
                        Bounds = "60s, timeout 2s, grace 5s",
                        MaxConcurrency = 256,
                        DurationSeconds = 60,
                        TimeoutMs = 2000,
                        Thresholds = ["p99 < 50ms", "error_rate <= 0.1%", "throughput >= 400/s"],
                        Faults = "latency 200ms (both ways) from 10s until 20s; kill a random agent every 2s (no restart)",
                        Validity = new ValidityConfig { Dropped = 0.005, LateP99Micros = 25_000, Cpu = 0.9, Accept = true },
                    },
                    StartedAt = start.AddMilliseconds(5),
                    IssuingSeconds = 60.000123,
                    DurationSeconds = 65.25,
                    Counts = new Counts { Started = 44_990, Ok = 44_800, Failed = 120, TimedOut = 40, Crashed = 2, CutOff = 28, Dropped = 10 },
                    AccountingBalanced = true,
                    Errors =
                    [
                        new ErrorKindCount("http_503", "failed", 100, "503 Service Unavailable"),
                        new ErrorKindCount("timeout", "timedOut", 40, null),
                        new ErrorKindCount("connection_reset", "failed", 20, "Connection reset by peer \"quoted\" \u00e9"),
                    ],
                    Latency = Latency(histogram: true, scale: 1),
                    ServiceTime = Latency(histogram: true, scale: 0.8),
                    SchedulingLag = Latency(histogram: false, scale: 0.01),
                    Throughput = new ThroughputStats { Overall = 749.8, Mean = 750.1, StdDev = 12.25, Cv = 0.016331, Min = 701, Max = 790, Seconds = 60, Drift = -0.125, Degraded = true },
                    Arrivals = new ArrivalStats { Scheduled = 45_000, RequestedRate = 750, AchievedRate = 749.9999 },
                    StartSpread = new StartSpread(256, 1234.5, 300.25, 1200.125),
                    Timeline =
                    [
                        new TimelinePoint { Second = 1, Started = 500, Completed = 480, Ok = 479, Errors = 1, Dropped = 0, P50Micros = 950, P99Micros = 4100, Histogram = "HISTFAAAACB4nJNpmSzMwMDAwgABzFCaEUzOmsEAAAkFAYY=", InFlight = 20, Workers = 20, GauntletCpu = 0.41, LagP99Micros = 120, ThreadPoolQueue = 0 },
                        new TimelinePoint { Second = 2.0005, Started = 510, Completed = 512, Ok = 500, Errors = 12, Dropped = 10, P50Micros = 1010.5, P99Micros = 61_200, InFlight = 18, Workers = 18,
                            GauntletCpu = 0.9712, LagP99Micros = 14_000, ThreadPoolQueue = 37, LimitedBy = new GeneratorLimits { Cpu = true, SchedulingLag = true } },
                    ],
                    Thresholds =
                    [
                        new ThresholdResult("p99 < 50ms", "50ms", 61_200, "61.2ms", false, "p99 of 44,962 completed operations"),
                        new ThresholdResult("error_rate <= 0.1%", "0.1%", 0.0036, "0.36%", false, null),
                        new ThresholdResult("throughput >= 400/s", "400/s", 749.8, "749.8/s", true, null),
                        new ThresholdResult("p99 < 80ms over 10s", "80ms", 92_100, "92.1ms", false, "worst window 20s-30s; 3 of 51 windows failed") { Window = new WorstWindow(20, 30, 51, 3) },
                    ],
                    Aborted = new ScenarioAbort(31, "p99 < 80ms over 10s", "92.1ms") { Window = new WorstWindow(21, 31, 1, 1) },
                    Hang = new HangReport
                    {
                        QuietSeconds = 10,
                        AtSecond = 55.5,
                        StuckCount = 3,
                        Workers = [new StuckWorker(7, 40_001, 155, 10.5), new StuckWorker(12, 40_010, 160, 9.75)],
                    },
                    Warnings = [new(WarningCode.SchedulingLag, "The load generator fell behind: scheduling lag p99 was 12ms."), new(WarningCode.ArrivalsDropped, "10 arrivals were dropped at the in-flight cap.")],
                    Figures = [new Figure("item_rate", 1234567.8, Figure.RateUnit, "items received per second"), new Figure("lost", 0, Figure.CountUnit, "items lost")],
                    Warmup = new WarmupResult
                    {
                        Seconds = 5.0,
                        Counts = new Counts { Started = 9_000, Ok = 8_990, Failed = 10 },
                        Throughput = 1800.0,
                        Latency = Latency(histogram: false, scale: 2),
                    },
                    Resources = new ResourceUsage
                    {
                        Target = "pid 4242 and its descendants",
                        IntervalSeconds = 1,
                        WarmupSeconds = 6.5,
                        Samples =
                        [
                            new ResourceSample { Second = 0.001, Processes = 2, RssBytes = 104_857_600, Cpu = 0, Threads = 12, Fds = 40 },
                            new ResourceSample { Second = 1.002, Processes = 3, RssBytes = 110_100_480, Cpu = 1.25, Threads = 14, Fds = 52 },
                        ],
                        Self = [new ResourceSample { Second = 0.001, Processes = 1, RssBytes = 52_428_800, Cpu = 0.5, Threads = 20, Fds = 80 }],
                        TargetFigures = new ResourceFigures
                        {
                            SampleCount = 2, MaxRssBytes = 110_100_480, LastRssBytes = 110_100_480, RssSlopeBytesPerSecond = 5_242_880.5,
                            MeanCpu = 1.25, MaxCpu = 1.25, MaxThreads = 14, MaxFds = 52, FdGrowth = 12, LeakSuspected = true, FdLeakSuspected = true,
                        },
                        SelfFigures = new ResourceFigures { SampleCount = 1, MaxRssBytes = 52_428_800, LastRssBytes = 52_428_800, MaxThreads = 20, MaxFds = 80 },
                        Notes = ["the target was no longer running at 1.5s"],
                    },
                    Windows = [new TimelineWindow(10, 20.5, "latency +200ms \"proxy\"")],
                    TargetMetrics =
                    [
                        new TargetMetricSeries
                        {
                            Name = "queue_depth{queue=\"orders\"}",
                            Source = "http://127.0.0.1:9100/metrics",
                            Unit = "bytes",
                            Points = [new TargetMetricPoint(0, 3), new TargetMetricPoint(1.001, 0.5)],
                            FailedReads = 2,
                        },
                    ],
                    History = new HistoryInfo { File = "/results/history.jsonl", Entries = 45_000, Faults = 12, StallSeconds = 0.25 },
                    Verifications =
                    [
                        new VerificationResult
                        {
                            Name = "store",
                            Kind = "set",
                            Passed = false,
                            Summary = "1,000 acknowledged writes, 997 present; 3 lost",
                            Counts = [new VerificationCount("acknowledged", 1000), new VerificationCount("lost", 3)],
                            Examples = [new VerificationExamples("lost", ["w1-7", "w4-2", "w9-30"])],
                        },
                        new VerificationResult { Name = "ids", Kind = "unique-ids", Passed = false, Summary = "the final read failed", Error = "the final read failed: IOException: gone" },
                        new VerificationResult
                        {
                            Name = "linearizable",
                            Kind = "linearizable",
                            Passed = false,
                            Summary = "not linearizable on key k0: no order of the operations explains operation 3 (worker 2: read [k0 1])",
                            Counts = [new VerificationCount("operations", 3), new VerificationCount("violations", 1)],
                            Counterexample = new LinearizabilityCounterexample
                            {
                                Model = "kv",
                                Key = "k0",
                                TimeUnit = "microseconds",
                                StuckOperation = 3,
                                Operations =
                                [
                                    new CounterexampleOperation(2, 1, "write", "[k0 2]", 200, 300, 2),
                                    new CounterexampleOperation(3, 2, "read", "[k0 1]", 400, 500, null),
                                    new CounterexampleOperation(4, 3, "write", "[k0 3]", 350, null, null),
                                ],
                                PrefixLength = 2,
                                Prefix = [new LinearizedStep(1, 1, 0, "write", "[k0 1]", "1"), new LinearizedStep(2, 2, 1, "write", "[k0 2]", "2")],
                                KeyOperations = 4,
                            },
                        },
                    ],
                },
                new ScenarioResult
                {
                    Name = "barrier",
                    Verdict = Verdict.Hung,
                    Config = new ScenarioConfig { Model = "closed", Load = "64 workers, barrier start", Bounds = "1000 iterations" },
                    Counts = new Counts { Started = 64, Ok = 60, CutOff = 4 },
                    AccountingBalanced = true,
                    Latency = Latency(histogram: true, scale: 3),
                    Throughput = new ThroughputStats(),
                    StartSpread = new StartSpread(64, 88, 12, 88),
                    Http = new HttpFigures
                    {
                        Engine = "raw-http1",
                        Version = "1.1",
                        StatusCodes = [new StatusCodeCount(200, 60), new StatusCodeCount(400, 2)],
                        BytesIn = 6_400,
                        BytesOut = 3_200,
                        BytesInPerSecond = 640.5,
                        BytesOutPerSecond = 320.25,
                        ConnectionsOpened = 66,
                        ServerCloses = 2,
                        Phases = new HttpPhases
                        {
                            Connect = Latency(histogram: true, scale: 1),
                            Tls = Latency(histogram: false, scale: 1),
                            Ttfb = Latency(histogram: true, scale: 2),
                            Transfer = Latency(histogram: true, scale: 3),
                        },
                        Sse = new SseFigures
                        {
                            Streams = 62,
                            Events = 1_302,
                            Cut = 2,
                            FirstEvent = Latency(histogram: true, scale: 2),
                            Gap = Latency(histogram: true, scale: 1),
                            EventsPerStream = Latency(histogram: true, scale: 1),
                        },
                    },
                    Grpc = new GrpcFigures
                    {
                        Method = "gauntlet.echo.Echo/Stream",
                        Shape = "server streaming",
                        Channels = 2,
                        Statuses = [new GrpcStatusCount("OK", 0, 60), new GrpcStatusCount("DEADLINE_EXCEEDED", 4, 2)],
                        MessagesReceived = 600,
                        StreamsEnded = 62,
                        MessagesPerCall = 9.68,
                        MaxMessagesPerCall = 10,
                        FirstMessage = Latency(histogram: false, scale: 1),
                        MessageGap = Latency(histogram: false, scale: 3),
                    },
                    WebSocket = new WebSocketFigures
                    {
                        ConnectionsOpened = 5,
                        ServerCloses = 1,
                        ConnectTime = Latency(histogram: true, scale: 4),
                        MessagesSent = 64,
                        MessagesReceived = 63,
                        MessagesLost = 1,
                        BytesOut = 4_096,
                        BytesIn = 4_032,
                        BytesInPerSecond = 403.2,
                        BytesOutPerSecond = 409.6,
                    },
                    OperationKinds =
                    [
                        new OperationKindFigures { Name = "invalid", Weight = 2, ExpectsRejection = true, Count = 62, Ok = 60, NotOk = 2, Latency = Latency(histogram: false, scale: 2) },
                    ],
                    Agents = new AgentFigures
                    {
                        Launched = 3,
                        Started = 2,
                        NeverStarted = [2],
                        Retired = [1],
                        Operations = new AgentSpread(4, 30, 31, 2, 0),
                        P99Micros = new AgentSpread(900, 1_200.5, 48_000, 0, 1),
                        Rows =
                        [
                            new AgentRow(0, 31, 30, 1, 0, 0, 0, 0, 0, new AgentLatency(31, 700, 900, 950)),
                            new AgentRow(1, 27, 25, 0, 1, 1, 0, 0, 2, new AgentLatency(27, 1_100, 48_000, 48_500)),
                            new AgentRow(2, 4, 0, 4, 0, 0, 0, 4, 0, null),
                        ],
                    },
                    AgentFaults = new AgentFaultFigures
                    {
                        Delivered = [new AgentFaultCount("kill", 1), new AgentFaultCount("pause", 1)],
                        Missed = 3,
                        Events =
                        [
                            new InjectedFault("pause", 1, 4100, 12, 0.25, 0.55, false),
                            new InjectedFault("kill", 1, 4131, 20, 1.5, 1.5, true),
                        ],
                    },
                    Recovery = new RecoveryResult(false, "exit_1", "check failed; stderr ends: 2 malformed lines", 0.125) { Step = "./store check" },
                },
            ],
            Segment = new SegmentInfo { Index = 1, Count = 4, StartAt = start.AddSeconds(-2), StartSkewSeconds = 0.0125 },
            Segments =
            [
                new SegmentRow { Index = 0, Host = "pod-0", Source = "/results/segment-0", StartedAt = start, StartSkewSeconds = 0.0105, Counts = new Counts { Started = 12, Ok = 11, Failed = 1 } },
            ],
            Baseline = new BaselineVerdict
            {
                Path = "baseline/result.json",
                Regressed = true,
                Regressions = ["checkout: p99 1.2ms -> 3.4ms (2.8x, p < 0.001)"],
                Missing = ["warmup"],
            },
            Searches =
            [
                new SearchResult
                {
                    Scenario = "countdown",
                    Parameter = "depth",
                    Mode = SearchMode.Bisect,
                    From = 1000,
                    To = 10000,
                    Step = 1,
                    Isolated = true,
                    LargestPassing = 6666,
                    FirstFailing = 6667,
                    FailureStatus = ProbeStatus.Crashed,
                    Failure = [new(ReasonCode.Crashed, "crashed at depth 6667: the probe process died with SIGABRT (exit 134)")],
                    Probes =
                    [
                        new SearchProbe { Value = 6666, Status = ProbeStatus.Passed, Throughput = 14.5, P99Micros = 52000, ErrorRate = 0, Started = 3, DurationSeconds = 1.5, ExitCode = 0 },
                        new SearchProbe { Value = 6667, Status = ProbeStatus.Crashed, DurationSeconds = 0.9, Reasons = [new(ReasonCode.Crashed, "crashed at depth 6667")], ExitCode = 134 },
                    ],
                    Require = 5000,
                    Passed = false,
                    Reasons = [new(ReasonCode.Interrupted, "interrupted: the search was cancelled before it finished")],
                },
            ],
        };
    }

    private static LatencySummary Latency(bool histogram, double scale)
    {
        var h = new LongHistogram(1, 3_600_000_000, 3);
        for (var i = 1; i <= 1000; i++) h.RecordValue((long)(i * 100 * scale) + 1);
        return new LatencySummary
        {
            Count = h.TotalCount,
            MinMicros = 101 * scale,
            MeanMicros = h.GetMean(),
            StdDevMicros = h.GetStdDeviation(),
            P50Micros = h.GetValueAtPercentile(50),
            P90Micros = h.GetValueAtPercentile(90),
            P95Micros = h.GetValueAtPercentile(95),
            P99Micros = h.GetValueAtPercentile(99),
            P999Micros = h.GetValueAtPercentile(99.9),
            MaxMicros = h.GetMaxValue(),
            Histogram = histogram ? Encode(h) : null,
        };
    }

    // The encoding docs/result-schema.md describes: HdrHistogram compressed V2, base64.
    // ByteBuffer.Allocate(byte[]) copies the array, so the encoded bytes are read back from the buffer itself.
    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        buffer.Position = 0;
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = buffer.Get();
        return Convert.ToBase64String(bytes);
    }
}
