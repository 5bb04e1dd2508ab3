namespace GuideSamples;

using System.Threading.Channels;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Search;
using Gauntlet.Stress.Channels;
using Gauntlet.Stress.Pressure;
using Gauntlet.Stress.Spawn;
using Gauntlet.Testing;

public static class StressPatterns
{
    public static Scenario Mpmc()
    {
        // <sample:mpmc>
        var scenario = MpmcThrash.Create("mpmc-unbounded", new MpmcThrashOptions
            {
                Producers = 4,
                Consumers = 4,
                ItemsPerProducer = 50_000,
                Channel = () => StressChannel.Unbounded(),      // or StressChannel.Bounded(1024), or your own IStressChannel
            })
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithThresholds("lost == 0", "duplicated == 0", "reordered == 0", "item_rate >= 200000/s");
        // </sample:mpmc>
        return scenario;
    }

    public static async Task RunAsync(Scenario scenario)
    {
        // <sample:mpmc-run>
        var result = await new Runner().RunAsync(scenario);
        result.ShouldPass();
        // </sample:mpmc-run>
    }

    public static Scenario[] Avalanche()
    {
        // <sample:avalanche>
        var blocking = BackpressureAvalanche.Create("avalanche-wait", new BackpressureAvalancheOptions
            {
                Capacity = 64,          // the bounded buffer
                Producers = 4,
                BurstFactor = 20,       // each producer sends 20 x 64 items per burst
                Pause = TimeSpan.FromMilliseconds(1),   // consumers stall after every 64 items, so the buffer stays full
            })
            .WithThresholds("lost == 0", "items_dropped == 0");

        var dropping = BackpressureAvalanche.Create("avalanche-drop", new BackpressureAvalancheOptions
            {
                Capacity = 64, Producers = 4, BurstFactor = 20, Mode = BoundedChannelFullMode.DropOldest,
            })
            .WithThresholds("lost == 0");   // every missing item must be a counted drop
        // </sample:avalanche>
        return [blocking, dropping];
    }

    public static Scenario SpawnStormSample()
    {
        // <sample:spawn-storm>
        var storm = SpawnStorm.Create("spawn-storm", new SpawnStormOptions
            {
                Kind = SpawnKind.Tasks,     // or SpawnKind.Threads (each joined within JoinTimeout)
                Batch = 64,                 // spawns per operation, awaited together
                Workers = Environment.ProcessorCount * 2,
            })
            .WithDuration(TimeSpan.FromSeconds(1));
        // </sample:spawn-storm>
        return storm;
    }

    public static Scenario Pressure()
    {
        // <sample:allocation-pressure>
        var pressure = AllocationPressure.Create("alloc", size =>
            {
                var keep = new List<byte[]>();
                for (var i = 0; i < size; i++) keep.Add(new byte[1024]);
                GC.KeepAlive(keep);
            },
            new AllocationPressureOptions { Start = 1000, Growth = 1000, Max = 50_000, Unit = "blocks" });
        // </sample:allocation-pressure>
        return pressure;
    }

    public static async Task<int> SearchAsync()
    {
        // <sample:search>
        var search = new BreakingPointSearch("countdown",
            new SearchOptions
            {
                Parameter = "depth",
                From = 1_000,
                To = 10_000,
                Mode = SearchMode.Bisect,   // or SearchMode.Step with Step = 500
                Isolate = true,             // each probe in a child process: a crash is a data point
                Require = 5_000,            // the search fails unless depth 5,000 passes
            },
            depth => AllocationPressure.Create("countdown", d => Evaluator.Run(d),
                    new AllocationPressureOptions { Start = depth, StackBytes = 64 * 1024 * 1024, Unit = "depth" })
                .WithLoad(LoadProfile.IterationsPerWorker(1, 3)));

        var result = await new Runner(new RunOptions { ResultsDirectory = "gauntlet-results/countdown" }).RunAsync([], [search]);
        Console.WriteLine(ResultAssertions.Explain(result.Searches![0]));
        return ExitCodes.Of(result);
        // </sample:search>
    }
}

/// <summary>Stands in for the system under test of the search sample (examples/recursion-depth has the real one).</summary>
public static class Evaluator
{
    public static long Run(long depth) => depth <= 0 ? 0 : 1 + Run(depth - 1);
}
