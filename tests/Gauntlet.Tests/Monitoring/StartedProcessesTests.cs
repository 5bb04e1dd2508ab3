using Gauntlet.Monitoring;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Process;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Monitoring;

/// <summary>The monitor following the processes a scenario started, without being given a pid.</summary>
public sealed class StartedProcessesTests
{
    private const double MiB = 1024 * 1024;

    private static string Fixture(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "monitor", name);
        Assert.True(File.Exists(path), $"fixture missing: {path}");
        return path;
    }

    [Fact]
    public async Task Rss_slope_of_a_child_the_setup_started_is_within_10_percent_without_a_pid()
    {
        const double rate = 4 * MiB;
        // The server leaks 4 MiB a second for at most 60 s; the scenario stops it long before.
        var server = new LeakyServerOperation(new ProcessLaunch("perl", [Fixture("leak.pl"), $"{(long)rate}", $"{256 * 1024}", "60"]));
        var scenario = Scenario.Create("leaky-server", server)
            .WithDuration(TimeSpan.FromSeconds(7))
            .WithMonitor(new MonitorOptions { StartedProcesses = true, Interval = TimeSpan.FromMilliseconds(250), Warmup = TimeSpan.FromSeconds(1) })
            .WithThresholds("rss_slope > 3MB/s", "rss_slope < 5MB/s");

        var result = await RunHelpers.RunOne(scenario);

        // The set-up's child was stopped (SIGTERM to its group) by the tear-down, not left running.
        var leaky = server.Started;
        Assert.NotNull(leaky);
        var exit = await leaky.Exited.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(ProcessEnding.Signaled, exit.Ending);
        Assert.True(exit.Cancelled);

        var usage = result.Resources;
        Assert.NotNull(usage);
        Assert.Equal("the processes the scenario started and their descendants", usage.Target);
        var figures = usage.TargetFigures;
        Assert.NotNull(figures);
        Assert.All(usage.Samples.Where(s => s.Processes > 0), s => Assert.Equal(1, s.Processes));
        Assert.True(usage.Samples.Count(s => s.Processes > 0) >= 20, $"{usage.Samples.Count(s => s.Processes > 0)} samples with the child running");
        Assert.NotNull(figures.RssSlopeBytesPerSecond);
        Assert.InRange(figures.RssSlopeBytesPerSecond.Value, rate * 0.9, rate * 1.1);
        Assert.True(figures.LeakSuspected);
        // Perl's RSS, not Gauntlet's (a .NET process holds far more than 30 MiB at the start).
        Assert.True(usage.Samples.First(s => s.Processes > 0).RssBytes < 30 * MiB, $"first sample {usage.Samples.First(s => s.Processes > 0).RssBytes / MiB:0.0} MiB");
        Assert.All(result.Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText}"));
    }

    [Fact]
    public async Task Per_operation_children_are_sampled_as_the_aggregate_of_those_running()
    {
        var operation = new ProcessOperation(ProcessOptions.Command("sleep", "0.4"));
        var scenario = new Scenario("sleepers", operation)
            .WithLoad(LoadProfile.Closed(2))
            .WithDuration(TimeSpan.FromSeconds(3))
            .WithMonitor(new MonitorOptions { StartedProcesses = true, Interval = TimeSpan.FromMilliseconds(100), Warmup = TimeSpan.Zero });

        var result = await RunHelpers.RunOne(scenario);

        Assert.True(result.Counts.Ok >= 4, $"{result.Counts.Ok} sleeps ok");
        var usage = result.Resources!;
        var running = usage.Samples.Where(s => s.Processes > 0).ToList();
        Assert.True(running.Count >= 10, $"{running.Count} samples saw a child");
        // Two workers: never more than two children at once, and mostly both.
        Assert.All(usage.Samples, s => Assert.InRange(s.Processes, 0, 2));
        Assert.Contains(usage.Samples, s => s.Processes == 2);
        // sleep's RSS (a few MiB each), not Gauntlet's own.
        Assert.True(usage.TargetFigures!.MaxRssBytes < 20 * MiB, $"max rss {usage.TargetFigures.MaxRssBytes / MiB:0.0} MiB");
        Assert.True(usage.SelfFigures!.MaxRssBytes > usage.TargetFigures.MaxRssBytes);
        // A sample between two children is not the target exiting.
        Assert.DoesNotContain(usage.Notes, n => n.Contains("no longer running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_scenario_that_starts_no_process_has_no_target_figures_and_says_why()
    {
        var scenario = Scenario.Create("in-process", _ => Task.Delay(2))
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithMonitor(new MonitorOptions { StartedProcesses = true, Interval = TimeSpan.FromMilliseconds(200) })
            .WithThresholds("max(rss) < 1GB");

        var result = await RunHelpers.RunOne(scenario);

        Assert.Null(result.Resources!.TargetFigures);
        Assert.Contains(result.Resources.Notes, n => n.StartsWith("the scenario started no process", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Resources.Notes, n => n.Contains("check the pid", StringComparison.Ordinal));
        var threshold = Assert.Single(result.Thresholds);
        Assert.False(threshold.Passed);
        Assert.Equal(Gauntlet.Thresholds.Threshold.NotMeasuredNote, threshold.Note);
    }

    [Fact]
    public async Task Processes_started_outside_a_scenario_are_not_the_scenarios()
    {
        // Started before the run, on this test's flow, where no scenario is current: the monitor must not follow it.
        await using var outsider = BackgroundProcess.Start(new ProcessLaunch("sleep", ["30"]));
        Assert.Null(ScenarioProcesses.Current);
        var scenario = Scenario.Create("quiet", _ => Task.Delay(2))
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithMonitor(new MonitorOptions { StartedProcesses = true, Interval = TimeSpan.FromMilliseconds(200) });

        var result = await RunHelpers.RunOne(scenario);

        Assert.All(result.Resources!.Samples, s => Assert.Equal(0, s.Processes));
        Assert.False(outsider.Exited.IsCompleted);
    }

    [Fact]
    public void Started_processes_and_a_pid_exclude_each_other()
    {
        var problems = new Scenario("x", _ => ValueTask.FromResult(Outcome.Ok))
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithMonitor(new MonitorOptions { StartedProcesses = true, Pid = 42 })
            .Validate();
        var problem = Assert.Single(problems);
        Assert.Equal("monitor", problem.Path);
        Assert.Contains("the processes the scenario started are one already", problem.Message);
    }

    /// <summary>An operation of one's own whose set-up starts a server beside the run and whose tear-down stops it.</summary>
    private sealed class LeakyServerOperation(ProcessLaunch launch) : Operation
    {
        public BackgroundProcess? Started { get; private set; }

        public override string Name => "leaky-server";

        public override ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
        {
            Started = BackgroundProcess.Start(launch);
            return ValueTask.CompletedTask;
        }

        public override async ValueTask<Outcome> RunAsync(OperationContext context)
        {
            await Task.Delay(5, context.CancellationToken);
            return Outcome.Ok;
        }

        public override async ValueTask TearDownAsync()
        {
            if (Started is not null) await Started.DisposeAsync();
        }
    }
}
