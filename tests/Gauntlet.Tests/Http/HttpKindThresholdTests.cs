using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Engine;
using static Gauntlet.Tests.Http.HttpRuns;

namespace Gauntlet.Tests.Http;

/// <summary>Thresholds narrowed to one kind of a weighted HTTP mix, judged on a real run against the test server.</summary>
public sealed class HttpKindThresholdTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    private HttpOperation Mix() => new(new HttpOperationOptions(
    [
        Request(server.Url + "/ok") with { Name = "valid" },
        Request(server.Url + "/status/400") with { Name = "invalid", ExpectsRejection = true },
        Request(server.Url + "/status/503") with { Name = "broken" },
    ]));

    [Fact]
    public async Task Per_kind_thresholds_are_judged_on_each_kinds_own_figures()
    {
        var operation = Mix();
        var scenario = Scenario.Create("mix", operation)
            .WithLoad(LoadProfile.Closed(2))
            .WithMaxIterations(60)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithDeadline(TimeSpan.FromSeconds(30))
            .WithThresholds("count(valid) == 20", "count(invalid) == 20", "error_rate(invalid) == 0", "success_rate(valid) == 100%",
                "error_rate(broken) == 100%", "p99(valid) < 30s", "p75(invalid) < 30s", "error_rate(valid) > 50%", "error_rate < 1%");

        var result = await RunHelpers.RunOne(scenario);

        var verdicts = result.Thresholds.ToDictionary(t => t.Expression);
        foreach (var passing in new[] { "count(valid) == 20", "count(invalid) == 20", "error_rate(invalid) == 0", "success_rate(valid) == 100%", "error_rate(broken) == 100%", "p99(valid) < 30s", "p75(invalid) < 30s" })
            Assert.True(verdicts[passing].Passed, $"{passing}: actual {verdicts[passing].ActualText} {verdicts[passing].Note}");
        Assert.False(verdicts["error_rate(valid) > 50%"].Passed);
        Assert.Equal("0%", verdicts["error_rate(valid) > 50%"].ActualText);
        // The whole scenario's error rate counts the broken kind: a third of the operations failed.
        Assert.False(verdicts["error_rate < 1%"].Passed);
        Assert.Equal(20, result.Counts.Failed);
    }

    [Fact]
    public void An_unknown_kind_in_a_csharp_scenario_is_a_validation_problem_with_a_did_you_mean()
    {
        var operation = Mix();
        var scenario = Scenario.Create("mix", operation).WithMaxIterations(10).WithThresholds("p99(vaild) < 50ms", "count(valid) == 10");

        var problem = Assert.Single(scenario.Validate());

        Assert.Equal("thresholds[0]", problem.Path);
        Assert.Contains("unknown operation kind 'vaild'", problem.Message);
        Assert.Contains("did you mean 'p99(valid)'?", problem.Message);
    }

    [Fact]
    public void A_single_unnamed_request_has_no_kinds_to_name()
    {
        var operation = new HttpOperation(Get(server.Url + "/ok"));

        Assert.Empty(operation.KindNames);
        Assert.Equal(["valid", "invalid", "broken"], Mix().KindNames);
    }
}
