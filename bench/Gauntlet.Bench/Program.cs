using Gauntlet.Engine;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
for (var round = 0; round < 3; round++)
{
    var scenario = new Scenario("empty", static _ => new ValueTask<Outcome>(Outcome.Ok)).WithLoad(LoadProfile.Closed(2)).WithDuration(TimeSpan.FromSeconds(3));
    var result = await new Runner().RunAsync(scenario);
    var s = result.Scenarios[0];
    Console.WriteLine($"{s.Counts.Ok / s.IssuingSeconds / 1e6:0.00} M/s  p50 {s.Latency.P50} balanced {s.Counts.Balanced}");
}
