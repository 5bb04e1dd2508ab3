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

    /// <summary>The pattern's queue verifier: the one place a round's deliveries are judged.</summary>
    private static VerificationResult Queue(ScenarioResult result) =>
        Assert.Single(result.Verifications ?? [], v => v.Kind == "queue");

    private static long Count(VerificationResult verification, string name) =>
        verification.Count(name) ?? throw new Xunit.Sdk.XunitException($"the queue verifier has no count '{name}'");

    private static IReadOnlyList<string> Examples(VerificationResult verification, string category) =>
        verification.Examples.SingleOrDefault(e => e.Category == category)?.Values ?? [];

    [Fact]
    public async Task Mpmc_thrash_over_a_correct_channel_delivers_every_item_once()
    {
        var result = await OneRound(MpmcThrash.Create("mpmc", new MpmcThrashOptions { Producers = 3, Consumers = 2, ItemsPerProducer = 50_000 })
            .WithThresholds("lost == 0", "duplicated == 0", "reordered == 0"));

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(1, result.Counts.Ok);
        Assert.Equal(150_000, Figure(result, "items_sent"));
        Assert.Equal(150_000, Figure(result, "items_received"));
        var queue = Queue(result);
        Assert.True(queue.Passed, queue.Summary);
        Assert.Equal(150_000, Count(queue, "acknowledged"));
        Assert.Equal(150_000, Count(queue, "dequeued"));
        Assert.Equal(0, Count(queue, "lost"));
        Assert.Equal(0, Count(queue, "duplicated"));
        Assert.Equal(0, Count(queue, "reordered"));
        Assert.All(result.Thresholds, t => Assert.Equal(0, t.Actual));
        // The verifier is fed by the consumers: no history file is written for a million items.
        Assert.Null(result.History);
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
        // The round itself completed: the verdict is the verifier's, as for a YAML scenario.
        Assert.Equal(1, result.Counts.Ok);
        var queue = Queue(result);
        Assert.False(queue.Passed);
        Assert.Equal(1, Count(queue, "lost"));
        Assert.Equal(0, Count(queue, "duplicated"));
        Assert.Equal(0, Count(queue, "reordered"));
        Assert.Equal(0, Count(queue, "unexpected"));
        Assert.Equal(OneMillion, Count(queue, "acknowledged"));
        Assert.Equal(OneMillion - 1, Count(queue, "dequeued"));
        var lost = Assert.Single(Examples(queue, "lost"));
        Assert.Matches(@"^round 1 producer [01] item \d+$", lost);
        Assert.Contains(result.Reasons, r => r.Message.StartsWith("verifier 'queue' failed: 1,000,000 acknowledged enqueues, 999,999 dequeues; 1 lost", StringComparison.Ordinal));
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
        }).WithThresholds("duplicated == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var queue = Queue(result);
        Assert.Equal(1, Count(queue, "duplicated"));
        Assert.Equal(0, Count(queue, "lost"));
        Assert.Equal(0, Count(queue, "reordered"));
        Assert.Equal(OneMillion + 1, Count(queue, "dequeued"));
        Assert.Matches(@"^round 1 producer [01] item \d+ \(×2\)$", Assert.Single(Examples(queue, "duplicated")));
        Assert.Equal(OneMillion + 1, Figure(result, "items_received"));
        Assert.Equal(1, Assert.Single(result.Thresholds, t => t.Expression != "error_rate == 0").Actual);
    }

    [Fact]
    public async Task Mpmc_thrash_catches_two_items_of_one_producer_swapped()
    {
        var scenario = MpmcThrash.Create("mpmc", new MpmcThrashOptions
        {
            Producers = 1, Consumers = 1, ItemsPerProducer = OneMillion,
            Channel = () => new ReorderingChannel(StressChannel.Unbounded(), at: 500_001),
        }).WithThresholds("reordered == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var queue = Queue(result);
        Assert.Equal(1, Count(queue, "reordered"));
        Assert.Equal(0, Count(queue, "lost"));
        Assert.Equal(0, Count(queue, "duplicated"));
        // Send 500,001 is item 500,000; it arrives after item 500,001.
        Assert.Equal(["round 1 producer 0 item 500000 taken by consumer 0 after round 1 producer 0 item 500001"], Examples(queue, "reordered"));
        Assert.Equal(1, Assert.Single(result.Thresholds, t => t.Expression != "error_rate == 0").Actual);
    }

    [Fact]
    public async Task Mpmc_thrash_sums_the_verifier_over_rounds_and_names_the_round()
    {
        var scenario = MpmcThrash.Create("mpmc", new MpmcThrashOptions
        {
            Producers = 1, Consumers = 1, ItemsPerProducer = 1000,
            Channel = () => new LosingChannel(StressChannel.Unbounded(), at: 10),
        }).WithLoad(LoadProfile.IterationsPerWorker(1, 3));

        var result = await RunOne(scenario);

        Assert.Equal(3, result.Counts.Ok);
        var queue = Queue(result);
        Assert.Equal(3, Count(queue, "lost"));
        Assert.Equal(3000, Count(queue, "acknowledged"));
        Assert.Equal(["round 1 producer 0 item 9", "round 2 producer 0 item 9", "round 3 producer 0 item 9"], Examples(queue, "lost"));
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
        var queue = Queue(result);
        Assert.True(queue.Passed, queue.Summary);
        Assert.Equal(640, Count(queue, "dequeued"));
        Assert.Equal(0, Count(queue, "lost"));
        Assert.Equal(0, Count(queue, "dropped"));
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
        }).WithThresholds("lost == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Passed, result.Verdict);
        var dropped = Figure(result, "items_dropped");
        Assert.True(dropped > 0, "a burst of 50 buffers into a stalled consumer must drop");
        Assert.Equal(1600, Figure(result, "items_received") + dropped);
        var queue = Queue(result);
        Assert.True(queue.Passed, queue.Summary);
        Assert.Equal((long)dropped, Count(queue, "dropped"));
        Assert.Equal(0, Count(queue, "lost"));
        Assert.Contains("dropped by the queue by design", queue.Summary);
    }

    [Fact]
    public async Task Avalanche_catches_a_buffer_that_loses_an_item_in_wait_mode()
    {
        var scenario = BackpressureAvalanche.Create("avalanche", new BackpressureAvalancheOptions
        {
            Capacity = 16, Producers = 2, BurstFactor = 10, Pause = TimeSpan.Zero,
            Channel = (capacity, mode) => new LosingChannel(StressChannel.Bounded(capacity, mode), at: 100),
        }).WithThresholds("lost == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var queue = Queue(result);
        Assert.Equal(1, Count(queue, "lost"));
        Assert.Equal(0, Count(queue, "duplicated"));
        Assert.Single(Examples(queue, "lost"));
        Assert.Equal(1, Assert.Single(result.Thresholds, t => t.Expression != "error_rate == 0").Actual);
    }

    [Fact]
    public async Task Avalanche_catches_a_buffer_that_loses_an_item_beside_its_counted_drops()
    {
        var scenario = BackpressureAvalanche.Create("avalanche", new BackpressureAvalancheOptions
        {
            Capacity = 16, Producers = 2, BurstFactor = 50, Mode = BoundedChannelFullMode.DropWrite, Pause = TimeSpan.FromMilliseconds(2),
            Channel = (capacity, mode) => new LosingChannel(StressChannel.Bounded(capacity, mode), at: 5),
        });

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var queue = Queue(result);
        Assert.True(Count(queue, "dropped") > 0);
        Assert.Equal(1, Count(queue, "lost"));
    }

    [Fact]
    public async Task Avalanche_catches_a_buffer_that_duplicates_an_item()
    {
        var scenario = BackpressureAvalanche.Create("avalanche", new BackpressureAvalancheOptions
        {
            Capacity = 16, Producers = 2, BurstFactor = 10, Pause = TimeSpan.Zero,
            Channel = (capacity, mode) => new DuplicatingChannel(StressChannel.Bounded(capacity, mode), at: 100),
        }).WithThresholds("duplicated == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var queue = Queue(result);
        Assert.Equal(1, Count(queue, "duplicated"));
        Assert.Equal(0, Count(queue, "lost"));
        Assert.Equal(321, Count(queue, "dequeued"));
        Assert.Equal(1, Assert.Single(result.Thresholds, t => t.Expression != "error_rate == 0").Actual);
    }

    [Fact]
    public async Task Avalanche_catches_a_buffer_that_reorders_two_items()
    {
        var scenario = BackpressureAvalanche.Create("avalanche", new BackpressureAvalancheOptions
        {
            Capacity = 16, Producers = 1, Consumers = 1, BurstFactor = 10, Pause = TimeSpan.Zero,
            Channel = (capacity, mode) => new ReorderingChannel(StressChannel.Bounded(capacity, mode), at: 51),
        }).WithThresholds("reordered == 0");

        var result = await OneRound(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        var queue = Queue(result);
        Assert.Equal(1, Count(queue, "reordered"));
        Assert.Equal(0, Count(queue, "lost"));
        Assert.Equal(["round 1 producer 0 item 50 taken by consumer 0 after round 1 producer 0 item 51"], Examples(queue, "reordered"));
        Assert.Equal(1, Assert.Single(result.Thresholds, t => t.Expression != "error_rate == 0").Actual);
    }

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        var error = Assert.Throws<Gauntlet.Scenarios.ScenarioValidationException>(() =>
            MpmcThrash.Create("mpmc", new MpmcThrashOptions { Producers = 0, ItemsPerProducer = -1 }));
        Assert.Equal(["producers", "itemsPerProducer"], error.Problems.Select(p => p.Path));
    }
}
