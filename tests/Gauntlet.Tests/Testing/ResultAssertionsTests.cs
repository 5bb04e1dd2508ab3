using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Testing;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Testing;

public sealed class ResultAssertionsTests
{
    private static Task<RunResult> Run(params Gauntlet.Thresholds.Threshold[] thresholds) =>
        new Gauntlet.Pipeline.Runner(new Gauntlet.Pipeline.RunOptions { Environment = RunHelpers.TestEnvironment })
            .RunAsync(new Scenario("steady", _ => new ValueTask<Outcome>(Outcome.Ok))
                .WithLoad(LoadProfile.IterationsPerWorker(1, 10))
                .WithThresholds(thresholds));

    [Fact]
    public async Task ShouldPass_returns_a_passing_result()
    {
        var result = await Run("count(ok) == 10");

        Assert.Same(result, result.ShouldPass());
    }

    [Fact]
    public async Task ShouldPass_fails_with_the_acceptance_table_and_the_reason()
    {
        var result = await Run("count(ok) == 10", "count(ok) >= 11");

        var error = Assert.Throws<GauntletAssertionException>(() => result.ShouldPass());

        Assert.Contains("Gauntlet run FAILED: 1 of 1 scenarios did not pass.", error.Message);
        Assert.Contains("steady: FAIL", error.Message);
        Assert.Contains("why: threshold 'count(ok) >= 11' failed: actual 10", error.Message);
        Assert.Contains("Acceptance criteria", error.Message);
        var rows = error.Message.Split('\n').Where(l => l.StartsWith("  steady", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.EndsWith("PASS", rows[0]);
        Assert.Contains("count(ok) >= 11", rows[1]);
        Assert.EndsWith("FAIL", rows[1]);
    }

    [Fact]
    public void Search_assertions_name_the_bracket_and_show_the_curve()
    {
        var search = new SearchResult
        {
            Scenario = "countdown", Parameter = "depth", From = 1000, To = 10000, LargestPassing = 4999, FirstFailing = 5000,
            FailureStatus = ProbeStatus.Crashed, Failure = [new(ReasonCode.Crashed, "crashed at depth 5000: SIGABRT")], Passed = true,
            Probes = [new SearchProbe { Value = 4999, Status = ProbeStatus.Passed }, new SearchProbe { Value = 5000, Status = ProbeStatus.Crashed }],
        };

        Assert.Same(search, search.ShouldPass());
        Assert.Same(search, search.ShouldHoldAtLeast(4999));
        var error = Assert.Throws<GauntletAssertionException>(() => search.ShouldHoldAtLeast(5000));

        Assert.StartsWith("expected depth 5000 to pass, but the largest passing value is 4999", error.Message);
        Assert.Contains("first failing 5000 (CRASH): crashed at depth 5000: SIGABRT", error.Message);
        Assert.Contains("5000  CRASH", error.Message);
    }
}
