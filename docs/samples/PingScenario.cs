namespace GuideSamples;

using Gauntlet.Faults;
using Gauntlet.Faults.Proxy;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

public static class PingScenario
{
    /// <summary>The guide's own operation behind a fault proxy that adds 20 ms each way, for <paramref name="length"/>.</summary>
    public static Scenario Create(TimeSpan length)
    {
        // <sample:own-operation-faults>
        var scenario = Scenario.Create("ping", new PingOperation())
            .WithLoad(LoadProfile.Closed(4))
            .WithDuration(length)
            .WithFaults(new FaultOptions { Proxy = new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(20) } })
            .WithThresholds("error_rate == 0", "p50 >= 20ms");
        // </sample:own-operation-faults>
        return scenario;
    }
}
