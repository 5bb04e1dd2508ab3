using Gauntlet.Faults.Proxy;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Faults.Proxy;

/// <summary>How overlapping fault windows combine, and which windows a run reports.</summary>
public sealed class FaultScheduleTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan S = TimeSpan.FromSeconds(1);

    [Fact]
    public void Overlapping_windows_add_latency_and_take_the_highest_share_and_lowest_bandwidth()
    {
        var schedule = new FaultSchedule(
        [
            new FaultProxyOptions { Latency = 10 * Ms, RefuseShare = 0.1, BandwidthBytesPerSecond = 1000, From = 1 * S, Until = 5 * S },
            new FaultProxyOptions { DownstreamLatency = 30 * Ms, RefuseShare = 0.5, BandwidthBytesPerSecond = 500, From = 3 * S, Until = 8 * S },
        ]);

        Assert.Null(schedule.At(-1 * Ms));
        Assert.Null(schedule.At(500 * Ms));
        var first = schedule.At(2 * S)!;
        Assert.Equal((10 * Ms, TimeSpan.Zero), first.Delay(upstream: true));
        Assert.Equal(0.1, first.RefuseShare);
        var both = schedule.At(4 * S)!;
        Assert.Equal(10 * Ms, both.Delay(upstream: true).Latency);
        Assert.Equal(40 * Ms, both.Delay(upstream: false).Latency);
        Assert.Equal(0.5, both.RefuseShare);
        Assert.Equal(500, both.BandwidthBytesPerSecond);
        var second = schedule.At(6 * S)!;
        Assert.Equal(TimeSpan.Zero, second.Delay(upstream: true).Latency);
        Assert.Equal(500, second.BandwidthBytesPerSecond);
        Assert.Null(schedule.At(9 * S));
    }

    [Fact]
    public void Reported_windows_are_cut_at_the_end_of_the_run_and_skip_those_not_yet_open()
    {
        var schedule = new FaultSchedule(
        [
            new FaultProxyOptions(),
            new FaultProxyOptions { Latency = 200 * Ms, From = 10 * S, Until = 20 * S },
            new FaultProxyOptions { BlackholeShare = 1, From = 15 * S },
            new FaultProxyOptions { RefuseShare = 1, From = 40 * S },
        ]);

        var windows = schedule.WindowsUntil(30 * S);

        Assert.Equal(2, windows.Count);
        Assert.Equal((10.0, 20.0), (windows[0].FromSecond, windows[0].ToSecond));
        Assert.Equal("latency 200ms (both ways)", windows[0].Label);
        Assert.Equal((15.0, 30.0), (windows[1].FromSecond, windows[1].ToSecond));
        Assert.Equal("blackhole 100%", windows[1].Label);
    }

    [Fact]
    public void A_latency_per_direction_overrides_the_one_for_both_ways()
    {
        var options = new FaultProxyOptions { Latency = 5 * Ms, Jitter = 1 * Ms, DownstreamLatency = 50 * Ms };

        Assert.Equal((5 * Ms, 1 * Ms), options.Upstream);
        Assert.Equal((50 * Ms, 1 * Ms), options.Downstream);
        Assert.Equal("latency 5ms ±1ms (requests), latency 50ms ±1ms (replies)", options.Describe());
        Assert.Contains(new FaultProxyOptions { LatencyDirection = ProxyDirection.Upstream, UpstreamLatency = Ms }.Validate(), p => p.Path == "direction");
    }
}
