using System.Net;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Tcp;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Targets.Tcp;

internal static class TcpTestKit
{
    /// <summary>Runs <paramref name="options"/> with set-up (built-in server, probe) on <paramref name="workers"/> × <paramref name="perWorker"/> operations.</summary>
    public static Task<ScenarioResult> RunAsync(TcpOptions options, int workers, long perWorker, TimeSpan? timeout = null, BatchRamp? batches = null) =>
        RunHelpers.RunOne(new TcpOperation(options).ToScenario("tcp-test")
            .WithLoad(new IterationsProfile { Workers = workers, Iterations = perWorker, Batches = batches })
            .WithTimeout(timeout ?? TimeSpan.FromSeconds(20))
            .WithGracePeriod(TimeSpan.FromSeconds(10)));

    /// <summary>Runs without the probe, for targets that misbehave on purpose.</summary>
    public static Task<ScenarioResult> RunRawAsync(TcpOptions options, int workers, long perWorker) =>
        RunHelpers.RunOne(new Scenario("tcp-raw", new TcpOperation(options with { Probe = false }))
            .WithLoad(new IterationsProfile { Workers = workers, Iterations = perWorker })
            .WithTimeout(TimeSpan.FromSeconds(20)));

    public static string Target(IPEndPoint endpoint) => $"{endpoint.Address}:{endpoint.Port}";

    /// <summary>Failures by error kind.</summary>
    public static Dictionary<string, long> Kinds(ScenarioResult result) =>
        result.Errors.ToDictionary(e => e.Kind, e => e.Count);
}
