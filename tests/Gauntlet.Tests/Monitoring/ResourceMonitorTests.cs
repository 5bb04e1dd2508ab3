using Gauntlet.Engine;
using Gauntlet.Monitoring;
using Gauntlet.Scenarios;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Monitoring;

/// <summary>The monitor against real child processes that leak at a known rate.</summary>
public sealed class ResourceMonitorTests
{
    private const double MiB = 1024 * 1024;

    [Fact]
    public async Task Rss_slope_of_a_child_leaking_4MiB_per_second_is_within_10_percent()
    {
        const double rate = 4 * MiB;
        using var child = await LeakyChild.StartAsync("leak.pl", (long)rate, 256 * 1024, 30);
        using var monitor = new ResourceMonitor(new MonitorOptions { Pid = child.Pid, Interval = TimeSpan.FromMilliseconds(250), Warmup = TimeSpan.FromSeconds(1) });
        monitor.Start();
        await Task.Delay(TimeSpan.FromSeconds(7));
        var usage = monitor.Stop(7);

        var figures = usage.TargetFigures;
        Assert.NotNull(figures);
        // The shell and perl: the tree, not only the pid.
        Assert.Contains(usage.Samples, s => s.Processes == 2);
        Assert.NotNull(figures.RssSlopeBytesPerSecond);
        var slope = figures.RssSlopeBytesPerSecond.Value;
        Assert.InRange(slope, rate * 0.9, rate * 1.1);
        Assert.True(figures.LeakSuspected, $"slope {slope / MiB:0.00} MiB/s should be flagged as a leak");
        Assert.False(figures.FdLeakSuspected);
        Assert.Equal($"pid {child.Pid} and its descendants", usage.Target);
        // Gauntlet's own process is always sampled.
        Assert.NotNull(usage.SelfFigures);
        Assert.True(usage.SelfFigures.MaxRssBytes > 0);
    }

    [Fact]
    public async Task A_child_that_opens_files_without_closing_them_fails_max_fds_and_is_flagged()
    {
        using var child = await LeakyChild.StartAsync("fds.pl", 25, 30);
        var scenario = Scenario.Create("fd-leak", _ => Task.Delay(5))
            .WithDuration(TimeSpan.FromSeconds(4))
            .WithMonitor(new MonitorOptions { Pid = child.Pid, Interval = TimeSpan.FromMilliseconds(200), Warmup = TimeSpan.FromSeconds(0.5) })
            .WithThresholds("max(fds) < 40", "growth(fds) >= 50", "max(rss) < 1GB");
        var result = await RunHelpers.RunOne(scenario);

        var figures = result.Resources?.TargetFigures;
        Assert.NotNull(figures);
        // 25 a second between the first and the last sample after the warm-up (the child paces itself by the clock).
        var after = result.Resources!.Samples.Where(s => s.Second >= 0.5 && s.Processes > 0).ToList();
        var expected = 25 * (after[^1].Second - after[0].Second);
        Assert.True(expected >= 60, $"only {after[^1].Second - after[0].Second:0.0}s sampled after the warm-up");
        Assert.InRange(figures.FdGrowth, expected * 0.85 - 2, expected * 1.15 + 2);
        Assert.True(figures.MaxFds >= 90, $"max fds {figures.MaxFds}");
        Assert.True(figures.FdLeakSuspected);
        Assert.Contains(result.Warnings, w => w.Message.Contains("file descriptor leak", StringComparison.Ordinal));
        var max = Assert.Single(result.Thresholds, t => t.Expression == "max(fds) < 40");
        Assert.False(max.Passed);
        Assert.Equal(figures.MaxFds, max.Actual);
        Assert.True(Assert.Single(result.Thresholds, t => t.Expression == "growth(fds) >= 50").Passed);
        Assert.True(Assert.Single(result.Thresholds, t => t.Expression == "max(rss) < 1GB").Passed);
        Assert.Equal(Gauntlet.Results.Verdict.Failed, result.Verdict);
    }

    [Fact]
    public async Task A_pid_that_does_not_exist_leaves_target_figures_out_with_a_note_and_resource_thresholds_unmeasured()
    {
        var scenario = Scenario.Create("ghost", _ => Task.Delay(2))
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithMonitor(new MonitorOptions { Pid = int.MaxValue - 1, Interval = TimeSpan.FromMilliseconds(200) })
            .WithThresholds("max(rss) < 1GB");
        var result = await RunHelpers.RunOne(scenario);

        Assert.NotNull(result.Resources);
        Assert.Null(result.Resources.TargetFigures);
        Assert.Contains(result.Resources.Notes, n => n.Contains("never found running", StringComparison.Ordinal));
        var threshold = Assert.Single(result.Thresholds);
        Assert.False(threshold.Passed);
        Assert.Equal(Gauntlet.Thresholds.Threshold.NotMeasuredNote, threshold.Note);
    }

    [Fact]
    public async Task Without_a_target_the_resource_thresholds_read_gauntlets_own_process()
    {
        var scenario = Scenario.Create("in-process", _ => Task.Delay(2))
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithMonitor(new MonitorOptions { Interval = TimeSpan.FromMilliseconds(200) })
            .WithThresholds("max(rss) > 1MB", "max(threads) >= 1");
        var result = await RunHelpers.RunOne(scenario);

        Assert.Null(result.Resources!.Target);
        Assert.Empty(result.Resources.Samples);
        Assert.True(result.Resources.Self.Count >= 4, $"{result.Resources.Self.Count} self samples in 1 s at 200 ms");
        Assert.All(result.Thresholds, t => Assert.True(t.Passed, t.Expression + ": " + t.ActualText));
    }

    [Fact]
    public void Options_report_every_problem()
    {
        var problems = new Scenario("x", _ => ValueTask.FromResult(Outcome.Ok))
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithMonitor(new MonitorOptions { Pid = 0, ProcessName = "a/b", Interval = TimeSpan.FromMilliseconds(10), Warmup = TimeSpan.FromSeconds(-1) })
            .Validate()
            .Select(p => p.ToString())
            .ToList();
        Assert.Contains(problems, p => p.StartsWith("monitor: watch one target", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("monitor.pid:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("monitor.process:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("monitor.interval:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("monitor.warmup:", StringComparison.Ordinal));
    }
}
