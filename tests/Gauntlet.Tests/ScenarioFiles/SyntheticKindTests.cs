using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Operations;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

public sealed class SyntheticKindTests
{
    [Fact]
    public async Task Synthetic_options_reach_the_operation()
    {
        var scenario = LoadsOne("""
            operation:
              synthetic: { latency: 0ms, errorRate: 100%, errorKind: conflict, seed: 7 }
            duration: 1s
            """);
        var outcome = await scenario.Operation.RunAsync(new Gauntlet.Engine.WorkerSlot(0, 0).Context);
        Assert.Equal(OutcomeStatus.Failed, outcome.Status);
        Assert.Equal("conflict", outcome.Kind);
    }

    [Fact]
    public async Task Synthetic_latency_is_waited()
    {
        var scenario = LoadsOne("operation: { synthetic: { latency: 30ms, distribution: fixed } }\nduration: 1s\n");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await scenario.Operation.RunAsync(new Gauntlet.Engine.WorkerSlot(0, 0).Context);
        Assert.True(outcome.IsOk);
        Assert.InRange(watch.Elapsed.TotalMilliseconds, 29, 1000);
    }

    [Fact]
    public void Registry_finds_every_kind_and_each_example_loads()
    {
        Assert.Contains("synthetic", OperationKinds.All.Keys);
        foreach (var kind in OperationKinds.All.Values)
        {
            Assert.Equal(kind.Name, kind.Example.Split(':')[0]);
            LoadsOne($"operation: {{ {kind.Example} }}\nduration: 1s\n");
        }
    }

    [Fact]
    public void Each_scenario_gets_its_own_operation_so_a_stall_is_not_shared()
    {
        var result = Loads("""
            defaults:
              operation: { synthetic: { latency: 1ms, stallAfter: 1s, stallFor: 100ms } }
              duration: 1s
            scenarios:
              - name: a
              - name: b
            """);
        Assert.NotSame(result.Scenarios[0].Operation, result.Scenarios[1].Operation);
    }
}
