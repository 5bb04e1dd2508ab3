namespace GuideSamples;

using Gauntlet.Faults;
using Gauntlet.Faults.Proxy;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Tcp;

public static class FaultSamples
{
    /// <summary>
    /// Eight workers against the built-in echo server through a fault proxy for <paramref name="length"/>: latency in
    /// the middle third, replies slowed in the last third, half the new connections refused in the last sixth.
    /// </summary>
    public static async Task<RunResult> UnderFaultAsync(TimeSpan length)
    {
        // <sample:faults>
        var third = length / 3;
        var echo = new TcpOperation(new TcpOptions { Target = TcpOptions.BuiltinEcho, Connect = TcpConnectMode.PerOperation });

        var scenario = Scenario.Create("under-fault", echo)
            .WithLoad(LoadProfile.Closed(8))
            .WithDuration(length)
            .WithFaults(new FaultOptions
            {
                Proxy = new FaultProxyOptions { Seed = 7 },   // optional: whole-run faults and the seed
                Schedule =
                [
                    new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(200), From = third, Until = 2 * third },
                    new FaultProxyOptions { DownstreamLatency = TimeSpan.FromMilliseconds(50), From = 2 * third },   // replies only
                    new FaultProxyOptions { RefuseShare = 0.5, From = length - third / 2 },                            // half the new connections
                ],
            });

        var result = await new Runner().RunAsync(scenario);
        foreach (var window in result.Scenarios[0].Windows ?? [])
            Console.WriteLine($"{window.FromSecond}s-{window.ToSecond}s: {window.Label}");
        // </sample:faults>
        return result;
    }
}
