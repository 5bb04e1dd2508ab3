using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Engine;

internal static class RunHelpers
{
    /// <summary>A fixed environment so engine tests don't probe the machine each time.</summary>
    public static readonly EnvironmentInfo TestEnvironment = new()
    {
        CpuModel = "test",
        Os = "test",
        Kernel = "test",
        Architecture = "test",
        Runtime = "test",
        GauntletVersion = "test",
        MachineName = "test",
        GcMode = "test",
    };

    public static async Task<ScenarioResult> RunOne(Scenario scenario, CancellationToken cancellationToken = default)
    {
        var result = await new Runner(new RunOptions { Environment = TestEnvironment }).RunAsync(scenario, cancellationToken);
        var single = Assert.Single(result.Scenarios);
        // The invariant holds in every test, whatever else it checks.
        Assert.True(single.Counts.Balanced, $"accounting does not balance: {single.Counts}");
        Assert.True(single.AccountingBalanced);
        return single;
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> on <paramref name="clock"/>, advancing it each time the collector waits (at
    /// most 100 ms at a time): the scenario's seconds pass in milliseconds.
    /// </summary>
    public static async Task<ScenarioResult> RunSimulated(SimulatedClock clock, Scenario scenario)
    {
        var running = new Runner(new RunOptions { Environment = TestEnvironment, TimeProvider = clock }).RunAsync(scenario);
        var result = await clock.AdvanceUntilDone(running);
        var single = Assert.Single(result.Scenarios);
        Assert.True(single.Counts.Balanced, $"accounting does not balance: {single.Counts}");
        Assert.True(single.AccountingBalanced);
        return single;
    }

    public static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);
    public static TimeSpan S(double s) => TimeSpan.FromSeconds(s);
}
