using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Tests.Engine;

public sealed class SmokeTests
{
    [Fact]
    public async Task Closed_model_runs_and_balances()
    {
        var scenario = Scenario.Create("empty", _ => { })
            .WithLoad(LoadProfile.Closed(2))
            .WithDuration(TimeSpan.FromSeconds(1.5));
        var result = await new Runner().RunAsync(scenario);
        var s = result.Scenarios.Single();
        Assert.True(s.Counts.Balanced);
        Assert.True(s.Counts.Ok > 1000, $"ok {s.Counts.Ok}");
        Assert.Equal(Verdict.Passed, s.Verdict);
        Console.WriteLine($"{s.Counts.Ok} ok in {s.DurationSeconds}s, timeline {s.Timeline.Count}");
    }
}
