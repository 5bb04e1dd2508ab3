namespace Gauntlet.Tests.Docs;

/// <summary>The guide's "On simulated time" sample runs its 30 s scenario on a FakeTimeProvider, not on the wall clock.</summary>
public sealed class SimulatedTimeSampleTests
{
    [Fact]
    public async Task The_simulated_time_sample_runs_thirty_seconds_of_timeline_in_a_few_real_seconds()
    {
        var real = System.Diagnostics.Stopwatch.StartNew();
        var result = await GuideSamples.SimulatedTime.RunAsync();
        var scenario = Assert.Single(result.Scenarios);

        Assert.InRange(scenario.IssuingSeconds, 30, 30.2);
        Assert.InRange(scenario.Timeline.Count, 30, 31);
        Assert.True(scenario.Counts.Ok > 0 && scenario.Counts.Ok <= 4 * 302, $"ok {scenario.Counts.Ok}");
        Assert.Equal(0, scenario.Counts.TimedOut);
        Assert.True(real.Elapsed < TimeSpan.FromSeconds(25), $"took {real.Elapsed} of real time");
    }
}
