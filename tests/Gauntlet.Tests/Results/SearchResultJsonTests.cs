using Gauntlet.Results;

namespace Gauntlet.Tests.Results;

public sealed class SearchResultJsonTests
{
    [Fact]
    public void Figures_and_searches_survive_a_round_trip()
    {
        var original = SampleResults.Full();

        var back = ResultFile.Deserialize(ResultFile.Serialize(original));

        Assert.Equal(original.Scenarios[0].Figures, back.Scenarios[0].Figures);
        var search = Assert.Single(back.Searches!);
        var expected = original.Searches![0];
        Assert.Equal((expected.LargestPassing, expected.FirstFailing, expected.FailureStatus, expected.Mode), (search.LargestPassing, search.FirstFailing, search.FailureStatus, search.Mode));
        Assert.Equal(expected.Failure, search.Failure);
        Assert.Equal(expected.Probes.Select(p => (p.Value, p.Status, p.ExitCode, p.Throughput)), search.Probes.Select(p => (p.Value, p.Status, p.ExitCode, p.Throughput)));
    }

    [Fact]
    public void Probe_status_and_mode_are_written_as_camel_case_strings()
    {
        var json = ResultFile.Serialize(SampleResults.Full());

        Assert.Contains("\"failureStatus\": \"crashed\"", json);
        Assert.Contains("\"mode\": \"bisect\"", json);
        Assert.Contains("\"unit\": \"/s\"", json);
    }

    [Fact]
    public void A_result_without_searches_or_figures_leaves_them_out()
    {
        var json = ResultFile.Serialize(SampleResults.Minimal());

        Assert.DoesNotContain("\"searches\"", json);
        Assert.DoesNotContain("\"figures\"", json);
    }

    [Fact]
    public void A_failed_search_fails_the_run_and_a_search_alone_can_pass_it()
    {
        var passing = new SearchResult { Scenario = "s", Parameter = "n", Passed = true };
        var failing = passing with { Passed = false };
        var empty = SampleResults.Minimal() with { Scenarios = [] };

        Assert.True((empty with { Searches = [passing] }).Passed);
        Assert.False((empty with { Searches = [passing, failing] }).Passed);
        Assert.False(empty.Passed);
    }
}
