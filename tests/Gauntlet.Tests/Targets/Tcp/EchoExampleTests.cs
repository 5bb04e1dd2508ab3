using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Targets.Tcp;

/// <summary>examples/echo-10k reproduces the seed report's set-up, and passes as its README says (at a CI-sized scale).</summary>
public sealed class EchoExampleTests
{
    private static readonly string File = Path.Combine(RepositoryPaths.Examples, "echo-10k", "scenario.yaml");

    [Fact]
    public void The_example_holds_the_reports_set_up()
    {
        var loaded = ScenarioFile.Load(File);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var scenario = Assert.Single(loaded.Scenarios);
        var load = Assert.IsType<IterationsProfile>(scenario.Load);
        Assert.Equal(10_000, load.Workers);
        Assert.Equal(1, load.Iterations);
        Assert.Equal(new BatchRamp(100, TimeSpan.FromMilliseconds(5)), load.Batches);
        Assert.Equal(TimeSpan.FromSeconds(45), scenario.Bounds.Deadline);
        var tcp = Assert.IsType<Gauntlet.Targets.Tcp.TcpOperation>(scenario.Operation);
        Assert.Equal(64, tcp.Options.Payload.MaxLength);
        Assert.Contains("count(ok) == 10000", scenario.Thresholds);
    }

    [Fact]
    public async Task At_1000_clients_it_passes_with_every_echo_accounted_for()
    {
        var loaded = ScenarioFile.Load(File, new Dictionary<string, string> { ["clients"] = "1000" });
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));

        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(loaded.Scenarios);

        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal(Verdict.Passed, scenario.Verdict);
        Assert.Equal(1000, scenario.Counts.Started);
        Assert.Equal(1000, scenario.Counts.Ok);
        Assert.All(scenario.Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText}"));
    }
}
