using Gauntlet.Results;

namespace Gauntlet.Tests.Reports;

/// <summary>Run results built by hand for the report tests; every figure is chosen so a test can look for it.</summary>
internal static class ReportSamples
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static EnvironmentInfo Environment() => Results.SampleResults.Environment();

    public static RunResult Run(params ScenarioResult[] scenarios) => new()
    {
        Environment = Environment(),
        StartedAt = Start,
        FinishedAt = Start.AddSeconds(75.5),
        Scenarios = scenarios,
    };

    public static LatencySummary Latency(double p50, double p99, long count = 1000) => new()
    {
        Count = count,
        MinMicros = p50 / 4,
        MeanMicros = p50 * 1.1,
        StdDevMicros = p50 / 2,
        P50Micros = p50,
        P90Micros = p50 * 2,
        P95Micros = p50 * 3,
        P99Micros = p99,
        P999Micros = p99 * 2,
        MaxMicros = p99 * 3,
    };

    /// <summary>A closed model that passed: 10,000 operations, all ok, 5 seconds.</summary>
    public static ScenarioResult ClosedPassed(string name = "rapid-list") => new()
    {
        Name = name,
        Verdict = Verdict.Passed,
        Config = new ScenarioConfig
        {
            Model = "closed", Load = "16 workers", Bounds = "5s, timeout 1s, grace 5s", MaxConcurrency = 16,
            DurationSeconds = 5, TimeoutMs = 1000, Thresholds = ["p99 < 50ms", "error_rate < 0.1%"],
        },
        StartedAt = Start,
        IssuingSeconds = 5,
        DurationSeconds = 5.02,
        Counts = new Counts { Started = 10_000, Ok = 10_000 },
        AccountingBalanced = true,
        Latency = Latency(p50: 8_000, p99: 11_380),
        Throughput = new ThroughputStats { Overall = 1992.03, Mean = 2000, StdDev = 20, Cv = 0.01, Min = 1970, Max = 2030, Seconds = 5 },
        Timeline = Timeline(5, second => new TimelinePoint
        {
            Second = second, Started = 2000, Completed = 2000, Ok = 2000, P50Micros = 8_000, P99Micros = 11_000, InFlight = 16, Workers = 16,
        }),
        Thresholds =
        [
            new ThresholdResult("p99 < 50ms", "50ms", 11_380, "11.38ms", true, null),
            new ThresholdResult("error_rate < 0.1%", "0.1%", 0, "0%", true, null),
        ],
    };

    /// <summary>
    /// An open model that failed: 45,000 started, errors whose messages hold "|" and a newline, dropped arrivals,
    /// a warning, and thresholds that failed.
    /// </summary>
    public static ScenarioResult OpenFailed() => new()
    {
        Name = "checkout",
        Verdict = Verdict.Failed,
        Reasons = [new(ReasonCode.ThresholdMissed, "threshold 'p99 < 50ms' failed: actual 61.2ms"), new(ReasonCode.ThresholdMissed, "threshold 'error_rate <= 0.1%' failed: actual 0.36%")],
        Config = new ScenarioConfig
        {
            Model = "open", Load = "750/s for 60s, max 256 in flight", Bounds = "60s, timeout 2s, grace 5s", MaxConcurrency = 256,
            DurationSeconds = 60, TimeoutMs = 2000, Thresholds = ["p99 < 50ms", "error_rate <= 0.1%", "throughput >= 400/s"],
        },
        StartedAt = Start.AddSeconds(6),
        IssuingSeconds = 60,
        DurationSeconds = 65.25,
        Counts = new Counts { Started = 44_990, Ok = 44_800, Failed = 120, TimedOut = 40, Crashed = 2, CutOff = 28, Dropped = 10 },
        AccountingBalanced = true,
        Errors =
        [
            new ErrorKindCount("http_503", "failed", 100, "503 Service Unavailable | retry later\nsecond line"),
            new ErrorKindCount("timeout", "timedOut", 40, null),
            new ErrorKindCount("odd|kind", "crashed", 2, "<script>alert(1)</script> *bold* `tick`"),
        ],
        Latency = Latency(p50: 5_000, p99: 61_200, count: 44_962),
        ServiceTime = Latency(p50: 4_000, p99: 40_100, count: 44_962),
        SchedulingLag = Latency(p50: 30, p99: 12_000, count: 44_962),
        Throughput = new ThroughputStats { Overall = 749.8, Mean = 750.1, StdDev = 12.25, Cv = 0.016331, Min = 701, Max = 790, Seconds = 60 },
        Arrivals = new ArrivalStats { Scheduled = 45_000, RequestedRate = 750, AchievedRate = 749.83 },
        Timeline = Timeline(3, second => new TimelinePoint
        {
            Second = second, Started = 750, Completed = 740, Ok = second == 2 ? 700 : 740, Errors = second == 2 ? 40 : 0,
            P50Micros = 5_000, P99Micros = 9_000, InFlight = 10, Workers = 10,
        }),
        Thresholds =
        [
            new ThresholdResult("p99 < 50ms", "50ms", 61_200, "61.2ms", false, "p99 of 44,962 completed | operations"),
            new ThresholdResult("error_rate <= 0.1%", "0.1%", 0.0036, "0.36%", false, null),
            new ThresholdResult("throughput >= 400/s", "400/s", 749.8, "749.8/s", true, null),
        ],
        Warnings = [new(WarningCode.SchedulingLag, "The load generator fell behind: scheduling lag p99 was 12ms."), new(WarningCode.ArrivalsDropped, "10 arrivals were dropped at the in-flight cap.")],
    };

    /// <summary>A closed model the watchdog ended: 3 workers stuck, 2 listed.</summary>
    public static ScenarioResult Hung() => new()
    {
        Name = "deadlock",
        Verdict = Verdict.Hung,
        Reasons = [new(ReasonCode.Hung, "no operation completed for 10s: the watchdog ended the scenario")],
        Config = new ScenarioConfig { Model = "closed", Load = "4 workers", Bounds = "30s, hang after 10s", MaxConcurrency = 4 },
        StartedAt = Start,
        IssuingSeconds = 12.5,
        DurationSeconds = 17.5,
        Counts = new Counts { Started = 1_203, Ok = 1_200, CutOff = 3 },
        AccountingBalanced = true,
        Latency = Latency(p50: 900, p99: 2_000, count: 1_200),
        Throughput = new ThroughputStats { Overall = 68.6, Mean = 100, Seconds = 12 },
        Hang = new HangReport
        {
            QuietSeconds = 10, AtSecond = 12.5, StuckCount = 3,
            Workers = [new StuckWorker(2, 1_201, 300, 10.5), new StuckWorker(3, 1_202, 301, 10.25)],
        },
    };

    /// <summary>A scenario cancelled with Ctrl-C.</summary>
    public static ScenarioResult Interrupted() => ClosedPassed("cancelled") with
    {
        Verdict = Verdict.Interrupted,
        Reasons = [new(ReasonCode.Interrupted, "the run was interrupted")],
        Counts = new Counts { Started = 5_000, Ok = 4_990, CutOff = 10 },
        Thresholds = [],
    };

    /// <summary>A target metric read three times (12MB, 30.5MB, 20MB) with two failed reads.</summary>
    public static TargetMetricSeries HeapMetric() => new()
    {
        Name = "gc_heap_bytes", Source = "http://127.0.0.1:9090/metrics", Unit = "bytes", FailedReads = 2,
        Points = [new(1, 12_000_000), new(2, 30_500_000), new(3, 20_000_000)],
    };

    public static IReadOnlyList<TimelinePoint> Timeline(int seconds, Func<int, TimelinePoint> point)
    {
        var points = new TimelinePoint[seconds];
        for (var i = 0; i < seconds; i++) points[i] = point(i + 1);
        return points;
    }

    /// <summary>200 steady seconds of 100 ops; errors only in second 137, a p99 spike in second 50.</summary>
    public static IReadOnlyList<TimelinePoint> LongTimeline() => Timeline(200, second => new TimelinePoint
    {
        Second = second,
        Started = 100,
        Completed = 100,
        Ok = second == 137 ? 93 : 100,
        Errors = second == 137 ? 7 : 0,
        P50Micros = 1_000,
        P99Micros = second == 50 ? 90_000 : 2_000 + second % 7 * 100,
        InFlight = second == 120 ? 64 : 8,
        Workers = 8,
    });
}
