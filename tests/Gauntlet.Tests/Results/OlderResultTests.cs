using System.Text.Json.Nodes;
using Gauntlet.Results;

namespace Gauntlet.Tests.Results;

/// <summary>Results written before monitoring existed still read, with the new members at their "nothing" values.</summary>
public sealed class OlderResultTests
{
    [Fact]
    public void A_result_without_resources_windows_drift_or_degraded_reads_as_unmonitored()
    {
        var node = JsonNode.Parse(ResultFile.Serialize(SampleResults.Full()))!;
        foreach (var scenario in node["scenarios"]!.AsArray())
        {
            var members = scenario!.AsObject();
            members.Remove("resources");
            members.Remove("windows");
            members["throughput"]!.AsObject().Remove("drift");
            members["throughput"]!.AsObject().Remove("degraded");
        }

        var result = ResultFile.Deserialize(node.ToJsonString());

        var first = result.Scenarios[0];
        Assert.Null(first.Resources);
        Assert.Null(first.Windows);
        Assert.Null(first.Throughput.Drift);
        Assert.Null(first.Throughput.Degraded);
        Assert.Equal(RunResult.CurrentSchemaVersion, result.SchemaVersion);
    }

    [Fact]
    public void Resources_and_windows_survive_a_round_trip()
    {
        var original = SampleResults.Full().Scenarios[0];
        var back = ResultFile.Deserialize(ResultFile.Serialize(SampleResults.Full())).Scenarios[0];

        Assert.Equal(original.Resources!.TargetFigures, back.Resources!.TargetFigures);
        Assert.Equal(original.Resources.Samples, back.Resources.Samples);
        Assert.Equal(original.Resources.Notes, back.Resources.Notes);
        Assert.Equal(original.Windows, back.Windows);
        Assert.Equal(-0.125, back.Throughput.Drift);
    }
}
