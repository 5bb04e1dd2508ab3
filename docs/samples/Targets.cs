namespace GuideSamples;

using System.Net;
using Gauntlet.Faults.Proxy;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Servers;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.InProcess;
using Gauntlet.Targets.Tcp;

public static class TargetSamples
{
    public static async Task<RunResult> TcpAsync()
    {
        // <sample:tcp>
        var echo = new TcpOperation(new TcpOptions
        {
            Target = "127.0.0.1:7000",                  // or TcpOptions.BuiltinEcho
            Payload = TcpPayload.Generated(64),         // or TcpPayload.TryText / TryHex, templates with {op}
            Expect = TcpExpectation.Echo,               // or Exactly, ByteCount, UpTo(delimiter), Matching(regex)
            Proxy = new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(50) },   // optional
        });

        var scenario = Scenario.Create("echo-10k", echo)
            .WithLoad(LoadProfile.IterationsPerWorker(10_000, 1).WithBatches(100, TimeSpan.FromMilliseconds(5)))
            .WithDeadline(TimeSpan.FromSeconds(45))
            .WithThresholds("count(ok) == 10000");

        var result = await new Runner().RunAsync(scenario);
        // </sample:tcp>
        return result;
    }

    public static async Task<RunResult> HttpsMixAsync()
    {
        // <sample:https-mix>
        using var certificate = ServerCertificate.CreateSelfSigned();
        await using var server = await BuiltinHttpServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), certificate);
        var url = server.Address.ToString().TrimEnd('/');   // https://127.0.0.1:PORT

        var mix = new HttpOperation(new HttpOperationOptions(
            [
                new HttpRequestKind(Template.Constant(url + "/json")) { Name = "valid" },
                new HttpRequestKind(Template.Constant(url + "/status/400")) { Name = "invalid", ExpectsRejection = true },
            ])
            { Version = HttpVersionChoice.Http2, Insecure = true });

        var scenario = Scenario.Create("error-recovery", mix)
            .WithLoad(LoadProfile.Closed(4))
            .WithMaxIterations(200)
            .WithThresholds("count(valid) == 100", "error_rate(invalid) == 0", "p99(valid) < 50ms");

        var result = await new Runner().RunAsync(scenario);
        // </sample:https-mix>
        return result;
    }

    public static async Task<RunResult> CalibrateAsync()
    {
        // <sample:synthetic>
        var target = new SyntheticOperation(new SyntheticOptions
        {
            Latency = TimeSpan.FromMilliseconds(5),
            Distribution = LatencyDistribution.LogNormal,
            ErrorRate = 0.01,
            StallAfter = TimeSpan.FromSeconds(2),
            StallFor = TimeSpan.FromMilliseconds(500),
        });

        var scenario = Scenario.Create("calibrate-open", target)
            .WithLoad(LoadProfile.Open(perSecond: 1000, maxInFlight: 1000, duration: TimeSpan.FromSeconds(5)))
            .WithThresholds("p99 < 50ms", "error_rate < 2%", "dropped == 0");

        var result = await new Runner().RunAsync(scenario);
        // </sample:synthetic>
        return result;
    }
}
