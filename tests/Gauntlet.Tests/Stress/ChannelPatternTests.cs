using System.Threading.Channels;
using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Stress.Channels;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Stress;

public sealed class ChannelPatternTests
{
    private const long OneMillion = 1_000_000;

    private static double Figure(ScenarioResult result, string key) =>
        Assert.Single(result.Figures!, f => f.Key == key).Value;

    private static Task<ScenarioResult> OneRound(Gauntlet.Scenarios.Scenario scenario) =>
        RunOne(scenario.WithLoad(LoadProfile.IterationsPerWorker(1, 1)));

    [Fact]
    public async Task Mpmc_thrash_over_a_correct_channel_delivers_every_item_once()
    {
        var result = await OneRound(MpmcThrash.Create("mpmc", new MpmcThrashOptions { Producers = 3, Consumers = 2, ItemsPerProducer = 50_000 }));

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(1, result.Counts.Ok);
        Assert.Equal(150_000, Figure(result, "items_sent"));
        Assert.Equal(150_000, Figure(result, "items_received"));
        Assert.Equal(0, Figure(result, "lost"));
        Assert.Equal(0, Figure(result, "duplicated"));
        Assert.True(Figure(result, "item_rate") > 0);
    }

    [Fact]
    public async Task Mpmc_thrash_catches_one_item_lost_in_a_million()
    {
        var scenario = MpmcThrash.Create("mpmc", new MpmcThrashOptions
        {
            Producers = 2, Consumers = 2, ItemsPerProducer = OneMillion / 2,
            Channel = () => new LosingChannel(StressChannel.Unbounded(), at: 777_777),
        }).WithThresholds("lost == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var error = Assert.Single(result.Errors);
        Assert.Equal("lost", error.Kind);
        Assert.Contains("1 of 1000000 items lost", error.SampleMessage);
        Assert.Equal(1, Figure(result, "lost"));
        Assert.Equal(0, Figure(result, "duplicated"));
        var threshold = Assert.Single(result.Thresholds, t => t.Expression == "lost == 0");
        Assert.False(threshold.Passed);
        Assert.Equal(1, threshold.Actual);
    }

    [Fact]
    public async Task Mpmc_thrash_catches_one_item_duplicated_in_a_million()
    {
        var scenario = MpmcThrash.Create("mpmc", new MpmcThrashOptions
        {
            Producers = 2, Consumers = 2, ItemsPerProducer = OneMillion / 2,
            Channel = () => new DuplicatingChannel(StressChannel.Unbounded(), at: 424_242),
        });

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal("duplicated", Assert.Single(result.Errors).Kind);
        Assert.Equal(1, Figure(result, "duplicated"));
        Assert.Equal(0, Figure(result, "lost"));
        Assert.Equal(OneMillion + 1, Figure(result, "items_received"));
    }

    [Fact]
    public async Task Mpmc_thrash_catches_two_items_of_one_producer_swapped()
    {
        var scenario = MpmcThrash.Create("mpmc", new MpmcThrashOptions
        {
            Producers = 1, Consumers = 1, ItemsPerProducer = OneMillion,
            Channel = () => new ReorderingChannel(StressChannel.Unbounded(), at: 500_001),
        });

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var error = Assert.Single(result.Errors);
        Assert.Equal("reordered", error.Kind);
        // Send 500,001 is item 500,000; it arrives after item 500,001.
        Assert.Contains("producer 0 item 500000 after item 500001", error.SampleMessage);
        Assert.Equal(1, Figure(result, "reordered"));
        Assert.Equal(0, Figure(result, "lost"));
    }

    [Fact]
    public async Task Throughput_floor_on_item_rate_fails_the_scenario_when_missed()
    {
        var scenario = MpmcThrash.Create("mpmc", new MpmcThrashOptions { Producers = 1, Consumers = 1, ItemsPerProducer = 10_000 })
            .WithThresholds("item_rate >= 1000000000000/s");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var floor = Assert.Single(result.Thresholds, t => t.Expression.StartsWith("item_rate", StringComparison.Ordinal));
        Assert.False(floor.Passed);
        Assert.Equal(Figure(result, "item_rate"), floor.Actual!.Value, 1);
    }

    [Fact]
    public async Task Avalanche_in_wait_mode_blocks_producers_and_loses_nothing()
    {
        var scenario = BackpressureAvalanche.Create("avalanche", new BackpressureAvalancheOptions
        {
            Capacity = 16, Producers = 2, BurstFactor = 20, Pause = TimeSpan.FromMilliseconds(1),
        }).WithThresholds("lost == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(640, Figure(result, "items_received"));
        Assert.Equal(0, Figure(result, "items_dropped"));
        Assert.Equal(0, Figure(result, "lost"));
        // 20 pauses of at least 1 ms with a full buffer of 16: the producers must have waited.
        Assert.True(Figure(result, "producer_blocked") > 0);
        Assert.True(Figure(result, "producer_blocked_max") > 0);
    }

    [Fact]
    public async Task Avalanche_in_drop_mode_counts_every_drop_and_passes()
    {
        var scenario = BackpressureAvalanche.Create("avalanche", new BackpressureAvalancheOptions
        {
            Capacity = 16, Producers = 2, BurstFactor = 50, Mode = BoundedChannelFullMode.DropWrite, Pause = TimeSpan.FromMilliseconds(2),
        });

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Passed, result.Verdict);
        var dropped = Figure(result, "items_dropped");
        Assert.True(dropped > 0, "a burst of 50 buffers into a stalled consumer must drop");
        Assert.Equal(1600, Figure(result, "items_received") + dropped);
        Assert.Equal(0, Figure(result, "lost"));
    }

    [Fact]
    public async Task Avalanche_catches_a_buffer_that_loses_an_item_in_wait_mode()
    {
        var scenario = BackpressureAvalanche.Create("avalanche", new BackpressureAvalancheOptions
        {
            Capacity = 16, Producers = 2, BurstFactor = 10, Pause = TimeSpan.Zero,
            Channel = (capacity, mode) => new LosingChannel(StressChannel.Bounded(capacity, mode), at: 100),
        });

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal("lost", Assert.Single(result.Errors).Kind);
        Assert.Equal(1, Figure(result, "lost"));
    }

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        var error = Assert.Throws<Gauntlet.Scenarios.ScenarioValidationException>(() =>
            MpmcThrash.Create("mpmc", new MpmcThrashOptions { Producers = 0, ItemsPerProducer = -1 }));
        Assert.Equal(["producers", "itemsPerProducer"], error.Problems.Select(p => p.Path));
    }
}
