namespace GuideSamples;

using Gauntlet.Monitoring;
using Gauntlet.Scenarios;

public static class MonitoringSamples
{
    public static Scenario Soak(Scenario scenario)
    {
        // <sample:monitor>
        var soak = scenario
            .WithMonitor(new MonitorOptions { ProcessName = "redis-server", Interval = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromMinutes(1) })
            .WithThresholds("rss_slope < 1MB/min", "max(fds) < 1000", "drift(throughput) > -5%");
        // </sample:monitor>
        return soak;
    }

    public static Scenario StartedProcesses(HttpClient client)
    {
        // <sample:monitor-started>
        var soak = Scenario.Create("cache-soak", new CacheServerOperation(client))
            .WithDuration(TimeSpan.FromMinutes(10))
            .WithMonitor(new MonitorOptions { StartedProcesses = true, Warmup = TimeSpan.FromMinutes(1) })
            .WithThresholds("rss_slope < 1MB/min", "max(fds) < 1000", "error_rate == 0");
        // </sample:monitor-started>
        return soak;
    }
}
