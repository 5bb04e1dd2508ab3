using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Tests.Scenarios;

public sealed class ClosedProfileTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Ramp_stage_moves_linearly_then_holds()
    {
        var profile = LoadProfile.Ramping(new WorkerStage(S(10), 100), new WorkerStage(S(60), 100));
        Assert.Equal(0, profile.TargetAt(TimeSpan.Zero));
        Assert.Equal(1, profile.TargetAt(S(0.1)));
        Assert.Equal(50, profile.TargetAt(S(5)));
        Assert.Equal(99, profile.TargetAt(S(9.99)));
        Assert.Equal(100, profile.TargetAt(S(10)));
        Assert.Equal(100, profile.TargetAt(S(69)));
        Assert.Equal(S(70), profile.NaturalDuration);
        Assert.Equal(100, profile.MaxConcurrency);
    }

    [Fact]
    public void Ramp_down_keeps_a_worker_until_the_line_crosses_below_it()
    {
        var profile = LoadProfile.Ramping(new WorkerStage(S(1), 10), new WorkerStage(S(10), 0));
        Assert.Equal(10, profile.TargetAt(S(1)));
        Assert.Equal(10, profile.TargetAt(S(1.5)));
        Assert.Equal(9, profile.TargetAt(S(2.01)));
        Assert.Equal(1, profile.TargetAt(S(10.99)));
        Assert.Equal(0, profile.TargetAt(S(11)));
    }

    [Fact]
    public void Next_change_is_when_the_ramp_crosses_the_next_whole_worker()
    {
        var profile = LoadProfile.Ramping(new WorkerStage(S(10), 100));
        var next = profile.NextChangeAfter(S(5));
        Assert.NotNull(next);
        Assert.Equal(5.1, next!.Value.TotalSeconds, 3);
        Assert.Equal(51, profile.TargetAt(next.Value));
        Assert.Null(profile.NextChangeAfter(S(10)));
    }

    [Fact]
    public void Batch_ramp_starts_a_batch_every_interval_until_all_run()
    {
        var profile = LoadProfile.Closed(10_000).WithBatches(100, TimeSpan.FromMilliseconds(5));
        Assert.Equal(100, profile.TargetAt(TimeSpan.Zero));
        Assert.Equal(100, profile.TargetAt(TimeSpan.FromMilliseconds(4.9)));
        Assert.Equal(200, profile.TargetAt(TimeSpan.FromMilliseconds(5)));
        Assert.Equal(10_000, profile.TargetAt(TimeSpan.FromMilliseconds(495)));
        Assert.Equal(9_900, profile.TargetAt(TimeSpan.FromMilliseconds(494)));
        Assert.Equal(TimeSpan.FromMilliseconds(10), profile.NextChangeAfter(TimeSpan.FromMilliseconds(5)));
        Assert.Null(profile.NextChangeAfter(TimeSpan.FromMilliseconds(495)));
    }

    [Fact]
    public void Validation_reports_every_problem_at_once_with_its_path()
    {
        var profile = new ClosedProfile { Workers = 0, Batches = new BatchRamp(0, TimeSpan.Zero), Barrier = true };
        var problems = Scenario.CreateSync("x", _ => { }).WithLoad(profile).WithDuration(S(1)).Validate();
        var paths = problems.Select(p => p.Path).ToList();
        Assert.Contains("load.workers", paths);
        Assert.Contains("load.batches.size", paths);
        Assert.Contains("load.batches.every", paths);
        Assert.Contains("load.barrier", paths);
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void Stage_problems_name_the_stage()
    {
        var profile = LoadProfile.Ramping(new WorkerStage(S(1), 5), new WorkerStage(TimeSpan.Zero, -1));
        var problems = Scenario.CreateSync("x", _ => { }).WithLoad(profile).Validate();
        Assert.Contains(problems, p => p.Path == "load.stages[1].duration");
        Assert.Contains(problems, p => p.Path == "load.stages[1].target" && p.Message.Contains("-1"));
    }

    [Fact]
    public void Describe_is_one_readable_line()
    {
        Assert.Equal("closed: 10000 workers, started in batches of 100 every 5ms",
            LoadProfile.Closed(10_000).WithBatches(100, TimeSpan.FromMilliseconds(5)).Describe());
        Assert.Equal("closed: 0 → 100 workers over 10s, hold 100 for 1m",
            LoadProfile.Ramping(new WorkerStage(S(10), 100), new WorkerStage(S(60), 100)).Describe());
    }
}
