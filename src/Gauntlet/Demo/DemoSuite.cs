using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.InProcess;
using Gauntlet.Targets.Tcp;

namespace Gauntlet.Demo;

/// <summary>
/// The built-in demo: a short suite of synthetic scenarios, one per load model, that ends in about
/// 15 seconds and shows every kind of figure: a ramp, an open model that catches a stall, a barrier start
/// with errors, and a threshold that fails on purpose so the verdict is visible; then a TCP echo scenario against
/// the built-in echo server, started in-process on an ephemeral loopback port for the run.
/// </summary>
internal static class DemoSuite
{
    /// <summary>
    /// The scenarios the demo expects to fail, and why: the open model's stall is exactly what it is there to catch, so
    /// its tail threshold fails on purpose. The demo passes when every other scenario passes and these fail.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ExpectedToFail { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["open-with-stall"] = "the 500 ms stall breaks p99.9 < 50ms: the open model catches what a closed model hides",
    };

    /// <summary>The demo scenarios, in run order.</summary>
    public static IReadOnlyList<Scenario> Create() =>
    [
        new Scenario("ramp-closed", new SyntheticOperation(new SyntheticOptions
            {
                Latency = TimeSpan.FromMilliseconds(2),
                Distribution = LatencyDistribution.LogNormal,
            }))
            .WithLoad(LoadProfile.Ramping(
                new WorkerStage(TimeSpan.FromSeconds(2), 32),
                new WorkerStage(TimeSpan.FromSeconds(2), 32)))
            .WithTimeout(TimeSpan.FromSeconds(1))
            .WithThresholds("p99 < 100ms", "error_rate < 1%", "count(timed_out) == 0"),

        new Scenario("open-with-stall", new SyntheticOperation(new SyntheticOptions
            {
                Latency = TimeSpan.FromMilliseconds(1),
                Jitter = TimeSpan.FromMilliseconds(0.5),
                StallAfter = TimeSpan.FromSeconds(2),
                StallFor = TimeSpan.FromMilliseconds(500),
            }))
            .WithLoad(LoadProfile.Open(2000, maxInFlight: 2000, duration: TimeSpan.FromSeconds(4)))
            .WithThresholds("dropped == 0", "p50 < 10ms", "p99.9 < 50ms"),

        new Scenario("barrier-iterations", new SyntheticOperation(new SyntheticOptions
            {
                Latency = TimeSpan.FromMilliseconds(3),
                Distribution = LatencyDistribution.Exponential,
                ErrorRate = 0.002,
                ErrorKind = "conflict",
            }))
            .WithLoad(LoadProfile.IterationsPerWorker(10, 200).WithBarrier())
            .WithThresholds("count(ok) >= 1990", "success_rate >= 99%"),

        // The 10k-client echo pattern at demo scale: each connection opens, sends 64 B, checks the echo and closes.
        new TcpOperation(new TcpOptions { Target = TcpOptions.BuiltinEcho, Payload = TcpPayload.Generated(64), Expect = TcpExpectation.Echo })
            .ToScenario("tcp-echo-batches")
            .WithLoad(new IterationsProfile { Workers = 1000, Iterations = 1 }.WithBatches(100, TimeSpan.FromMilliseconds(5)))
            .WithDeadline(TimeSpan.FromSeconds(10))
            .WithThresholds("count(ok) == 1000", "error_rate == 0%"),
    ];
}
