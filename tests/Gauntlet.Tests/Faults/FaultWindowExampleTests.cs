using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Faults;

/// <summary>examples/fault-window passes as its README says, with both fault windows in the result where the schedule put them.</summary>
public sealed class FaultWindowExampleTests
{
    [Fact]
    public async Task The_example_passes_and_its_windows_are_in_the_result()
    {
        var loaded = ScenarioFile.Load(Path.Combine(RepositoryPaths.Examples, "fault-window", "scenario.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));

        var run = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(loaded.Scenarios);

        var result = Assert.Single(run.Scenarios);
        Assert.True(result.Verdict == Verdict.Passed, string.Join("; ", result.Reasons));
        Assert.Equal(2, result.Windows!.Count);
        Assert.Equal((3.0, 6.0, "latency 200ms (replies)"), (result.Windows[0].FromSecond, result.Windows[0].ToSecond, result.Windows[0].Label));
        Assert.Equal((4.0, 5.0, "refuse 50%"), (result.Windows[1].FromSecond, result.Windows[1].ToSecond, result.Windows[1].Label));
        var errorsOutside = result.Timeline.Where(p => p.Second <= 4.05 || p.Second > 6.05).Sum(p => p.Errors);
        Assert.Equal(0, errorsOutside);
    }
}
