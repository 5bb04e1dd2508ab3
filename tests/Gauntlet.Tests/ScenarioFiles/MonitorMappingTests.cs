using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

public sealed class MonitorMappingTests
{
    [Fact]
    public void Monitor_key_sets_the_target_interval_and_warm_up()
    {
        var scenario = LoadsOne("""
            name: watched
            operation: { synthetic: { latency: 1ms } }
            duration: 10s
            monitor: { process: redis-server, interval: 500ms, warmup: 3s }
            thresholds: ["rss_slope < 1MB/min", "drift(throughput) > -5%", "max(fds) < 1000"]
            """);
        Assert.Equal("redis-server", scenario.Monitor.ProcessName);
        Assert.Null(scenario.Monitor.Pid);
        Assert.Equal(TimeSpan.FromMilliseconds(500), scenario.Monitor.Interval);
        Assert.Equal(TimeSpan.FromSeconds(3), scenario.Monitor.Warmup);
        Assert.Equal(3, scenario.Thresholds.Count);
    }

    [Fact]
    public void Monitor_in_defaults_applies_to_every_scenario_and_a_scenario_may_override_it()
    {
        var loaded = Loads("""
            defaults:
              operation: { synthetic: { latency: 1ms } }
              duration: 1s
              monitor: { pid: 4242 }
            scenarios:
              - name: a
              - name: b
                monitor: { process: nginx }
            """);
        Assert.Equal(4242, loaded.Scenarios[0].Monitor.Pid);
        Assert.Null(loaded.Scenarios[1].Monitor.Pid);
        Assert.Equal("nginx", loaded.Scenarios[1].Monitor.ProcessName);
    }

    [Fact]
    public void Without_monitor_the_scenario_samples_gauntlet_itself_each_second()
    {
        var scenario = LoadsOne("""
            name: plain
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            """);
        Assert.False(scenario.Monitor.HasTarget);
        Assert.Equal(TimeSpan.FromSeconds(1), scenario.Monitor.Interval);
    }

    [Fact]
    public void Monitor_started_follows_the_processes_the_scenario_starts()
    {
        var scenario = LoadsOne("""
            name: spawner
            operation: { process: { command: [sleep, "0.1"] } }
            duration: 1s
            monitor: { started: true, interval: 200ms }
            """);
        Assert.True(scenario.Monitor.StartedProcesses);
        Assert.True(scenario.Monitor.HasTarget);
        Assert.Null(scenario.Monitor.Pid);
        Assert.Equal(TimeSpan.FromMilliseconds(200), scenario.Monitor.Interval);
    }

    [Fact]
    public void Monitor_started_beside_a_pid_is_reported_at_the_monitor_key()
    {
        var errors = Errors("""
            name: spawner
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            monitor: { started: true, pid: 4242 }
            """);
        Assert.Contains(errors, e => e.Contains("monitor: watch one target: the processes the scenario started are one already", StringComparison.Ordinal));
    }
}
