using Gauntlet.Stress;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Verification;

namespace Gauntlet.Stress.Channels;

/// <summary>Settings of <see cref="MpmcThrash"/>.</summary>
public sealed record MpmcThrashOptions
{
    /// <summary>Default <see cref="Producers"/> and <see cref="Consumers"/>: 4 each.</summary>
    public const int DefaultSides = 4;

    /// <summary>Default <see cref="ItemsPerProducer"/>: 100,000.</summary>
    public const long DefaultItemsPerProducer = 100_000;

    /// <summary>Tasks sending concurrently in each round.</summary>
    public int Producers { get; init; } = DefaultSides;

    /// <summary>Tasks receiving concurrently in each round.</summary>
    public int Consumers { get; init; } = DefaultSides;

    /// <summary>Items each producer sends per round, numbered from 0.</summary>
    public long ItemsPerProducer { get; init; } = DefaultItemsPerProducer;

    /// <summary>Creates the channel under test, a fresh one per round. Default: an unbounded <c>System.Threading.Channels</c> channel.</summary>
    public Func<IStressChannel> Channel { get; init; } = () => StressChannel.Unbounded();

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        problems.Positive("producers", Producers);
        problems.Positive("consumers", Consumers);
        problems.Positive("itemsPerProducer", ItemsPerProducer);
        if (Channel is null) problems.Add("channel", "is required");
        return problems.All;
    }
}

/// <summary>
/// Multi-producer, multi-consumer thrash: P producers and C consumers hammer one channel. Each round (one operation)
/// sends every producer's numbered items through a fresh channel. The scenario's <c>queue</c> verifier proves that
/// each item arrived exactly once and, per consumer, in its producer's order: its result (in
/// <see cref="Results.ScenarioResult.Verifications"/>) counts what was <c>lost</c>, <c>duplicated</c>,
/// <c>reordered</c> or <c>unexpected</c> over all rounds, with examples such as <c>round 3 producer 1 item 517</c>,
/// and any of them fails the scenario, exactly as the verifier of a YAML scenario does (thresholds such as
/// <c>lost == 0</c> read the same counts). Reports <c>item_rate</c> (a threshold such as
/// <c>item_rate &gt;= 5000000/s</c> sets a throughput floor), and the time each side spent blocked.
/// </summary>
public static class MpmcThrash
{
    /// <summary>Default bounds: 5 s of rounds, each round timed out after 30 s, a hang after 10 s without a round.</summary>
    public static readonly Bounds DefaultBounds = new() { Duration = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(30), HangAfter = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// The scenario: one worker running rounds back to back for 5 s, passing when no round failed
    /// (<c>error_rate == 0</c>) and the queue verifier found every item delivered once and in order. Change it with
    /// the usual <c>With…</c> methods.
    /// </summary>
    /// <exception cref="ScenarioValidationException">The options are invalid.</exception>
    public static Scenario Create(string name, MpmcThrashOptions? options = null)
    {
        options ??= new MpmcThrashOptions();
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        var plan = new TransferPlan(options.Producers, options.Consumers, options.ItemsPerProducer, 0, TimeSpan.Zero);
        var tally = new TransferTally();
        var factory = options.Channel;
        return new Scenario(name, new StressOperation("mpmc-thrash", context => TransferRound.RunAsync(plan, factory, tally, context.CancellationToken), tally))
        {
            Load = LoadProfile.Closed(1),
            Bounds = DefaultBounds,
            Thresholds = ["error_rate == 0"],
            Verifiers = [Verifier.Fed("queue", (name, kind) => tally.Findings().ToResult(name, kind, drained: true))],
        };
    }
}
