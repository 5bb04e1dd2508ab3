using System.Threading.Channels;
using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Stress.Channels;
using Gauntlet.Stress.Pressure;
using Gauntlet.Stress.Spawn;
using Gauntlet.Testing;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Docs;

/// <summary>
/// The samples of docs/csharp-guide.md, "Stress patterns and breaking-point searches", as written there (only shortened
/// to a few rounds with <c>WithLoad</c>), so that they keep compiling and passing as the API moves.
/// </summary>
public sealed class CsharpGuideStressSamplesTests
{
    private static readonly Runner Runner = new(new RunOptions { Environment = RunHelpers.TestEnvironment });

    [Fact]
    public async Task Mpmc_thrash_sample_passes()
    {
        var scenario = MpmcThrash.Create("mpmc-unbounded", new MpmcThrashOptions
            {
                Producers = 4,
                Consumers = 4,
                ItemsPerProducer = 50_000,
                Channel = () => StressChannel.Unbounded(),      // or StressChannel.Bounded(1024), or your own IStressChannel
            })
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithThresholds("lost == 0", "duplicated == 0", "reordered == 0", "item_rate >= 1/s");

        var result = await Runner.RunAsync(scenario.WithLoad(LoadProfile.IterationsPerWorker(1, 2)));
        result.ShouldPass();
    }

    [Fact]
    public async Task Backpressure_avalanche_samples_pass()
    {
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

        var result = await Runner.RunAsync([blocking.WithLoad(LoadProfile.IterationsPerWorker(1, 1)), dropping.WithLoad(LoadProfile.IterationsPerWorker(1, 1))]);
        result.ShouldPass();
    }

    [Fact]
    public async Task Spawn_storm_and_pressure_samples_pass()
    {
        var storm = SpawnStorm.Create("spawn-storm", new SpawnStormOptions
            {
                Kind = SpawnKind.Tasks,     // or SpawnKind.Threads (each joined within JoinTimeout)
                Batch = 64,                 // spawns per operation, awaited together
                Workers = Environment.ProcessorCount * 2,
            })
            .WithDuration(TimeSpan.FromSeconds(1));

        var pressure = AllocationPressure.Create("alloc", size =>
            {
                var keep = new List<byte[]>();
                for (var i = 0; i < size; i++) keep.Add(new byte[1024]);
                GC.KeepAlive(keep);
            },
            new AllocationPressureOptions { Start = 1000, Growth = 1000, Max = 50_000, Unit = "blocks" });

        var result = await Runner.RunAsync([storm.WithLoad(LoadProfile.IterationsPerWorker(2, 3)), pressure.WithLoad(LoadProfile.IterationsPerWorker(1, 3))]);
        result.ShouldPass();
    }
}
