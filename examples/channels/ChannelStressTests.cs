using System.Threading.Channels;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Stress.Channels;
using Gauntlet.Stress.Spawn;
using Gauntlet.Testing;

namespace Channels.Tests;

// The three nimsync stress patterns (shared/seeds/001: spawn storm, MPMC thrash, backpressure avalanche) against
// System.Threading.Channels, bounded and unbounded, each with a throughput floor as the failure line. The floors are
// set far below what a laptop does so that a busy CI machine passes; raise them to your own baseline.
// Stress tests compete for the CPU: run them one class at a time (the collection below) and apart from other tests.
[Collection("stress")]
[Trait("Category", "Stress")]
public sealed class ChannelStressTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Spawn_storm_of_tasks_keeps_every_task_and_a_creation_floor()
    {
        var scenario = SpawnStorm.Create("spawn-storm", new SpawnStormOptions { Kind = SpawnKind.Tasks, Batch = 64 })
            .WithDuration(Short)
            .WithThresholds("count(failed) == 0");

        var result = await RunAsync(scenario);

        result.ShouldPass();
        Assert.True(Figure(result, "spawn_rate") >= 10_000, $"spawn rate {Figure(result, "spawn_rate")}/s is below the floor of 10000/s");
    }

    [Theory]
    [InlineData("unbounded")]
    [InlineData("bounded-1024")]
    public async Task Mpmc_thrash_delivers_every_item_once_in_order_above_the_floor(string kind)
    {
        Func<IStressChannel> channel = kind == "unbounded" ? () => StressChannel.Unbounded() : () => StressChannel.Bounded(1024);
        var scenario = MpmcThrash.Create($"mpmc-{kind}", new MpmcThrashOptions { Producers = 4, Consumers = 4, ItemsPerProducer = 50_000, Channel = channel })
            .WithDuration(Short)
            .WithThresholds("lost == 0", "duplicated == 0", "reordered == 0", "item_rate >= 200000/s");

        var result = await RunAsync(scenario);

        result.ShouldPass();
        Assert.Equal(Figure(result, "items_sent"), Figure(result, "items_received"));
    }

    [Fact]
    public async Task Backpressure_avalanche_blocks_producers_and_loses_nothing()
    {
        var scenario = BackpressureAvalanche.Create("avalanche-wait", new BackpressureAvalancheOptions { Capacity = 64, Producers = 4, BurstFactor = 20 })
            .WithDuration(Short)
            .WithThresholds("lost == 0", "items_dropped == 0", "item_rate >= 1000/s");

        var result = await RunAsync(scenario);

        result.ShouldPass();
        Assert.True(Figure(result, "producer_blocked") > 0, "a burst 20 times the buffer must block the producers");
    }

    [Fact]
    public async Task Backpressure_avalanche_in_drop_oldest_mode_accounts_for_every_drop()
    {
        var scenario = BackpressureAvalanche.Create("avalanche-drop", new BackpressureAvalancheOptions
            {
                Capacity = 64, Producers = 4, BurstFactor = 20, Mode = BoundedChannelFullMode.DropOldest,
            })
            .WithDuration(Short)
            .WithThresholds("lost == 0", "item_rate >= 1000/s");

        var result = await RunAsync(scenario);

        result.ShouldPass();
        Assert.True(Figure(result, "items_dropped") > 0, "a stalled consumer under a burst 20 times the buffer must see drops");
        Assert.Equal(Figure(result, "items_sent"), Figure(result, "items_received") + Figure(result, "items_dropped"));
    }

    private async Task<RunResult> RunAsync(Gauntlet.Scenarios.Scenario scenario)
    {
        var result = await new Runner().RunAsync(scenario);
        foreach (var s in result.Scenarios)
        {
            output.WriteLine($"{s.Name}: {s.Verdict}, {s.Counts.Ok} rounds ok of {s.Counts.Started}");
            foreach (var f in s.Figures ?? []) output.WriteLine($"  {f.Key} = {f.Value} {f.Unit}");
        }
        return result;
    }

    private static double Figure(RunResult result, string key) => result.Scenarios[0].Figures!.Single(f => f.Key == key).Value;
}
