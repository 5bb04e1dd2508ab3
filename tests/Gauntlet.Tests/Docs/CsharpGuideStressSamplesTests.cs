using Gauntlet.Pipeline;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Testing;
using Gauntlet.Tests.Engine;
using GuideSamples;

namespace Gauntlet.Tests.Docs;

/// <summary>
/// The scenarios of docs/csharp-guide.md, "Stress patterns and breaking-point searches", built by the guide's own
/// sample code (docs/samples/StressPatterns.cs) and run shortened to a few rounds with <c>WithLoad</c>, so that they
/// keep compiling and passing as the API moves.
/// </summary>
public sealed class CsharpGuideStressSamplesTests
{
    private static readonly Runner Runner = new(new RunOptions { Environment = RunHelpers.TestEnvironment });

    [Fact]
    public async Task Mpmc_thrash_sample_passes()
    {
        var documented = StressPatterns.Mpmc();
        // The guide's item-rate floor (200,000/s) is for a quiet machine; the test keeps every other threshold and a floor any machine meets.
        var scenario = documented with { Thresholds = [.. documented.Thresholds.Where(t => t.Metric != "item_rate"), "item_rate >= 1/s"] };
        Assert.Equal(documented.Thresholds.Count, scenario.Thresholds.Count);

        var result = await Runner.RunAsync(scenario.WithLoad(LoadProfile.IterationsPerWorker(1, 2)));
        result.ShouldPass();
    }

    [Fact]
    public async Task Backpressure_avalanche_samples_pass()
    {
        var result = await Runner.RunAsync(StressPatterns.Avalanche().Select(s => s.WithLoad(LoadProfile.IterationsPerWorker(1, 1))));

        Assert.Equal(["avalanche-wait", "avalanche-drop"], result.Scenarios.Select(s => s.Name));
        result.ShouldPass();
    }

    [Fact]
    public async Task Spawn_storm_and_pressure_samples_pass()
    {
        var result = await Runner.RunAsync([
            StressPatterns.SpawnStormSample().WithLoad(LoadProfile.IterationsPerWorker(2, 3)),
            StressPatterns.Pressure().WithLoad(LoadProfile.IterationsPerWorker(1, 3)),
        ]);

        Assert.Equal(2, result.Scenarios.Count);
        result.ShouldPass();
    }
}
