using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Search;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Search;

public sealed class BreakingPointSearchTests
{
    private static readonly EngineOptions Quiet = new() { Environment = RunHelpers.TestEnvironment };

    /// <summary>A scenario that fails (one operation, kind <c>too_deep</c>) from <paramref name="limit"/> on, and records every value run.</summary>
    private static Func<long, Scenario> FailsFrom(long limit, List<long> probed) => value =>
    {
        lock (probed) probed.Add(value);
        return new Scenario("depth", _ => new ValueTask<Outcome>(value >= limit ? Outcome.Failed("too_deep", $"{value} is too deep") : Outcome.Ok))
            .WithLoad(LoadProfile.IterationsPerWorker(1, 3))
            .WithThresholds("error_rate == 0");
    };

    [Theory]
    [InlineData(6144)]
    [InlineData(5001)]
    [InlineData(6999)]
    public async Task Bisection_finds_a_known_limit_exactly(long limit)
    {
        var probed = new List<long>();
        var search = new BreakingPointSearch("depth", new SearchOptions { Parameter = "depth", From = 1000, To = 10_000 }, FailsFrom(limit, probed), Quiet);

        var result = await search.RunAsync();

        Assert.Equal(limit - 1, result.LargestPassing);
        Assert.Equal(limit, result.FirstFailing);
        Assert.Equal(ProbeStatus.Failed, result.FailureStatus);
        Assert.Contains(result.Failure, r => r.Message.Contains("error_rate == 0", StringComparison.Ordinal));
        Assert.True(result.Passed);
        // log2(9000) is about 13: bisection must not degrade into a scan.
        Assert.InRange(probed.Count, 3, 16);
        Assert.Equal(probed.Distinct().Order(), result.Probes.Select(p => p.Value));
        Assert.All(result.Probes, p => Assert.Equal(p.Value < limit ? ProbeStatus.Passed : ProbeStatus.Failed, p.Status));
    }

    [Fact]
    public async Task Step_mode_stops_at_the_first_failure_and_keeps_the_curve()
    {
        var probed = new List<long>();
        var search = new BreakingPointSearch("depth", new SearchOptions { Parameter = "depth", From = 1000, To = 10_000, Mode = SearchMode.Step, Step = 1000 },
            FailsFrom(5500, probed), Quiet);

        var result = await search.RunAsync();

        Assert.Equal([1000, 2000, 3000, 4000, 5000, 6000], probed);
        Assert.Equal(5000, result.LargestPassing);
        Assert.Equal(6000, result.FirstFailing);
        var failing = result.Probes[^1];
        Assert.Equal(1.0, failing.ErrorRate);
        Assert.Equal(3, failing.Started);
        Assert.All(result.Probes.SkipLast(1), p => Assert.Equal(0, p.ErrorRate));
        Assert.All(result.Probes, p => Assert.True(p.Throughput > 0));
    }

    [Fact]
    public async Task Step_mode_probes_the_upper_bound_when_the_step_overshoots_it()
    {
        var probed = new List<long>();
        var search = new BreakingPointSearch("depth", new SearchOptions { From = 1, To = 10, Mode = SearchMode.Step, Step = 4 }, FailsFrom(100, probed), Quiet);

        var result = await search.RunAsync();

        Assert.Equal([1, 5, 9, 10], probed);
        Assert.Equal(10, result.LargestPassing);
        Assert.Null(result.FirstFailing);
        Assert.Null(result.FailureStatus);
    }

    [Fact]
    public async Task A_failing_lower_bound_ends_the_search_with_no_passing_value()
    {
        var probed = new List<long>();
        var search = new BreakingPointSearch("depth", new SearchOptions { From = 10, To = 100, Require = 10 }, FailsFrom(5, probed), Quiet);

        var result = await search.RunAsync();

        Assert.Equal([10], probed);
        Assert.Null(result.LargestPassing);
        Assert.Equal(10, result.FirstFailing);
        Assert.False(result.Passed);
        Assert.Contains("even 10 failed", Assert.Single(result.Reasons).Message);
    }

    [Fact]
    public async Task A_hung_probe_is_reported_as_hung_with_the_stuck_worker()
    {
        var search = new BreakingPointSearch("stall", new SearchOptions { Parameter = "workers", From = 1, To = 2, Mode = SearchMode.Step },
            value => new Scenario("stall", async ctx =>
                {
                    if (value >= 2) await Task.Delay(TimeSpan.FromSeconds(5), ctx.CancellationToken);
                    return Outcome.Ok;
                })
                .WithLoad(LoadProfile.IterationsPerWorker(1, 1))
                .WithHangDetection(TimeSpan.FromMilliseconds(300))
                .WithGracePeriod(TimeSpan.FromSeconds(3)), Quiet);

        var result = await search.RunAsync();

        Assert.Equal(1, result.LargestPassing);
        Assert.Equal(2, result.FirstFailing);
        Assert.Equal(ProbeStatus.Hung, result.FailureStatus);
        Assert.Contains("worker 0", result.Failure[0].Message);
    }

    [Fact]
    public async Task A_scenario_that_cannot_be_built_at_a_value_is_a_failed_probe()
    {
        var template = new Scenario("workers", _ => new ValueTask<Outcome>(Outcome.Ok)).WithLoad(LoadProfile.IterationsPerWorker(1, 1));
        var search = new BreakingPointSearch("workers", new SearchOptions { Parameter = "workers", From = -1, To = 2, Mode = SearchMode.Step },
            SearchParameter.Workers(template), Quiet);

        var result = await search.RunAsync();

        Assert.Equal(-1, result.FirstFailing);
        Assert.Contains("could not be built at workers -1", result.Failure[0].Message);
    }

    [Fact]
    public async Task Workers_parameter_changes_the_worker_count()
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, byte>();
        var template = new Scenario("workers", ctx =>
            {
                seen[ctx.WorkerId] = 0;
                return new ValueTask<Outcome>(Outcome.Ok);
            })
            .WithLoad(LoadProfile.IterationsPerWorker(1, 2));
        var at = SearchParameter.Workers(template);

        var result = await new Runner(new RunOptions { Environment = Quiet.Environment }).RunAsync(at(5));

        Assert.Equal(10, result.Scenarios[0].Counts.Ok);
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public void Invalid_options_name_each_problem()
    {
        var error = Assert.Throws<ScenarioValidationException>(() =>
            new BreakingPointSearch("x", new SearchOptions { From = 10, To = 5, Step = 0 }, _ => throw new InvalidOperationException()));
        Assert.Equal(["search.to", "search.step"], error.Problems.Select(p => p.Path));
    }

    [Fact]
    public async Task Isolated_probes_refuse_to_run_inside_a_test_host_with_a_clear_message()
    {
        var search = new BreakingPointSearch("x", new SearchOptions { From = 1, To = 2, Isolate = true },
            _ => new Scenario("x", _ => new ValueTask<Outcome>(Outcome.Ok)).WithMaxIterations(1), Quiet);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => search.RunAsync());

        Assert.Contains("test host", error.Message);
    }

    [Fact]
    public void A_console_program_is_not_a_test_host_and_a_test_project_is()
    {
        Assert.True(ProbeProcess.IsTestHost(typeof(BreakingPointSearchTests).Assembly));
        Assert.False(ProbeProcess.IsTestHost(typeof(BreakingPointSearch).Assembly));
        Assert.False(ProbeProcess.IsTestHost(null));
    }
}
