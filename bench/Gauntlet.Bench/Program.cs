using Gauntlet.Engine;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
var scenario = Scenario.CreateSync("empty", _ => { }).WithLoad(LoadProfile.Closed(2)).WithDuration(TimeSpan.FromSeconds(1.5));
var runner = new Runner(new RunOptions { OnProgress = p => Console.WriteLine($"[{p.Point.Second}] {p.Started} inflight {p.Point.InFlight} workers {p.Point.Workers}") });
var result = await runner.RunAsync(scenario);
Console.WriteLine($"{result.Scenarios[0].Counts.Ok} {result.Scenarios[0].DurationSeconds}");
