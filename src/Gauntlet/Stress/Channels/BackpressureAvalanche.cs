using Gauntlet.Stress;
using System.Threading.Channels;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Verification;

namespace Gauntlet.Stress.Channels;

/// <summary>Settings of <see cref="BackpressureAvalanche"/>.</summary>
public sealed record BackpressureAvalancheOptions
{
    /// <summary>Default <see cref="Capacity"/>: 64 items.</summary>
    public const int DefaultCapacity = 64;

    /// <summary>Default <see cref="BurstFactor"/>: each burst is 100 times the buffer.</summary>
    public const int DefaultBurstFactor = 100;

    /// <summary>Default <see cref="Pause"/>: 1 ms.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(1);

    /// <summary>Items the bounded buffer holds.</summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary>What a full buffer does: wait (nothing may be lost), or drop an item (every drop is counted).</summary>
    public BoundedChannelFullMode Mode { get; init; } = BoundedChannelFullMode.Wait;

    /// <summary>Tasks sending the burst concurrently.</summary>
    public int Producers { get; init; } = 4;

    /// <summary>Tasks draining the buffer.</summary>
    public int Consumers { get; init; } = 1;

    /// <summary>The burst per producer, as a multiple of <see cref="Capacity"/>: far beyond what the buffer holds.</summary>
    public int BurstFactor { get; init; } = DefaultBurstFactor;

    /// <summary>The consumers stall for <see cref="Pause"/> after every <see cref="Capacity"/> items, so the buffer fills and stays full.</summary>
    public TimeSpan Pause { get; init; } = DefaultPause;

    /// <summary>Creates the buffer under test from (capacity, mode), a fresh one per burst. Default: a bounded <c>System.Threading.Channels</c> channel.</summary>
    public Func<int, BoundedChannelFullMode, IStressChannel> Channel { get; init; } = StressChannel.Bounded;

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        problems.Positive("capacity", Capacity);
        problems.Positive("producers", Producers);
        problems.Positive("consumers", Consumers);
        problems.Positive("burstFactor", BurstFactor);
        problems.NotNegative("pause", Pause);
        if (!Enum.IsDefined(Mode)) problems.Add("mode", $"is not a BoundedChannelFullMode: {(int)Mode}");
        if (Channel is null) problems.Add("channel", "is required");
        return problems.All;
    }
}

/// <summary>
/// Backpressure avalanche: bursts far beyond a bounded buffer, with consumers that stall so the buffer stays full.
/// The scenario's <c>queue</c> verifier proves what the mode promises over every burst (one operation each): in
/// <see cref="BoundedChannelFullMode.Wait"/> mode every item arrives exactly once and in order (<c>lost == 0</c>);
/// in a drop mode every missing item was dropped by the channel and counted (<c>items_dropped</c>, the verifier's
/// <c>dropped</c>), and nothing else went missing. Reports how long producers were blocked
/// (<c>producer_blocked</c>, <c>producer_blocked_max</c>) and the item rate.
/// </summary>
public static class BackpressureAvalanche
{
    /// <summary>
    /// The scenario: one worker sending bursts for 5 s, passing when no burst failed and the queue verifier found
    /// nothing lost, duplicated or reordered. Bounds as <see cref="MpmcThrash.DefaultBounds"/>.
    /// </summary>
    /// <exception cref="ScenarioValidationException">The options are invalid.</exception>
    public static Scenario Create(string name, BackpressureAvalancheOptions? options = null)
    {
        options ??= new BackpressureAvalancheOptions();
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        var plan = new TransferPlan(options.Producers, options.Consumers, (long)options.Capacity * options.BurstFactor,
            options.Pause > TimeSpan.Zero ? options.Capacity : 0, options.Pause);
        var tally = new TransferTally();
        var (capacity, mode, make) = (options.Capacity, options.Mode, options.Channel);
        return new Scenario(name, new StressOperation("backpressure-avalanche", context => TransferRound.RunAsync(plan, () => make(capacity, mode), tally, context.CancellationToken), tally))
        {
            Load = LoadProfile.Closed(1),
            Bounds = MpmcThrash.DefaultBounds,
            Thresholds = ["error_rate == 0"],
            Verifiers = [Verifier.Fed("queue", (name, kind) => tally.Findings().ToResult(name, kind, drained: true))],
        };
    }
}
