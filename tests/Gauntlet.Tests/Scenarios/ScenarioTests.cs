using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Tests.Scenarios;

public sealed class ScenarioTests
{
    [Fact]
    public void A_scenario_with_no_end_is_rejected()
    {
        var problems = Scenario.CreateSync("forever", _ => { }).WithLoad(LoadProfile.Closed(1)).Validate();
        Assert.Contains(problems, p => p.Path == "bounds" && p.Message.Contains("never end"));
    }

    [Fact]
    public void Bad_thresholds_are_reported_with_their_index_and_column()
    {
        var problems = Scenario.CreateSync("x", _ => { }).WithDuration(TimeSpan.FromSeconds(1))
            .WithThresholds("p99 < 50ms", "p99 << 50ms").Validate();
        var problem = Assert.Single(problems);
        Assert.Equal("thresholds[1]", problem.Path);
        Assert.StartsWith("col ", problem.Message);
    }

    [Fact]
    public void Bounds_problems_are_all_reported()
    {
        var scenario = Scenario.CreateSync("x", _ => { }).WithBounds(new Bounds
        {
            Duration = TimeSpan.FromSeconds(10),
            Deadline = TimeSpan.FromSeconds(5),
            OperationTimeout = TimeSpan.Zero,
            GracePeriod = TimeSpan.FromSeconds(-1),
            MaxIterations = 0,
        });
        var paths = scenario.Validate().Select(p => p.Path).ToList();
        Assert.Contains("bounds.deadline", paths);
        Assert.Contains("bounds.timeout", paths);
        Assert.Contains("bounds.grace", paths);
        Assert.Contains("bounds.iterations", paths);
    }

    [Fact]
    public void Iterations_profile_validates_workers_and_count()
    {
        var problems = Scenario.CreateSync("x", _ => { }).WithLoad(new IterationsProfile { Workers = 0, Iterations = -3 }).Validate();
        Assert.Contains(problems, p => p.Path == "load.workers");
        Assert.Contains(problems, p => p.Path == "load.iterations");
    }

    [Fact]
    public void With_methods_return_changed_copies()
    {
        var template = Scenario.CreateSync("a", _ => { }).WithDuration(TimeSpan.FromSeconds(1));
        var changed = template.WithTimeout(TimeSpan.FromMilliseconds(5)).WithThresholds("p99 < 1s");
        Assert.Null(template.Bounds.OperationTimeout);
        Assert.Empty(template.Thresholds);
        Assert.Equal(TimeSpan.FromMilliseconds(5), changed.Bounds.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), changed.Bounds.Duration);
    }

    [Fact]
    public void Outcome_ok_is_the_default_and_failures_need_a_kind()
    {
        Assert.True(default(Outcome).IsOk);
        Assert.Equal(OutcomeStatus.TimedOut, Outcome.TimedOut().Status);
        Assert.Equal("timeout", Outcome.TimedOut().Kind);
        Assert.Throws<ArgumentException>(() => Outcome.Failed(" "));
    }
}
