namespace Gauntlet.Bench.Engine;

/// <summary>How long and how often each engine measurement runs: the full run (under three minutes) or the quick smoke run.</summary>
internal sealed record EngineSettings
{
    public required bool Quick { get; init; }

    /// <summary>Closed model: rounds of (Gauntlet, bare loop, bare loop with timing), each this long.</summary>
    public required int ClosedRounds { get; init; }
    public required TimeSpan ClosedDuration { get; init; }

    /// <summary>Open model: the headline rate runs this long; the lower rates run <see cref="OpenLowRateDuration"/>.</summary>
    public required TimeSpan OpenDuration { get; init; }
    public required TimeSpan OpenLowRateDuration { get; init; }

    /// <summary>Memory: the same scenario for a short and a long run, each in a fresh process.</summary>
    public required TimeSpan MemoryShort { get; init; }
    public required TimeSpan MemoryLong { get; init; }

    /// <summary>Workers in the closed model and threads in its bare-loop peer: one per core of the reference 2-core machine.</summary>
    public const int ClosedWorkers = 2;

    /// <summary>The headline open-model rate and in-flight cap, and the lower rates checked with the same table.</summary>
    public const double OpenRate = 100_000;
    public const int OpenMaxInFlight = 1000;
    public static readonly double[] OpenLowRates = [10_000, 1_000];

    /// <summary>Arrival rate of the open-model memory case.</summary>
    public const double MemoryOpenRate = 50_000;

    public static readonly EngineSettings Full = new()
    {
        Quick = false,
        ClosedRounds = 3,
        ClosedDuration = TimeSpan.FromSeconds(5),
        OpenDuration = TimeSpan.FromSeconds(10),
        OpenLowRateDuration = TimeSpan.FromSeconds(5),
        MemoryShort = TimeSpan.FromSeconds(2),
        MemoryLong = TimeSpan.FromSeconds(10),
    };

    public static readonly EngineSettings QuickRun = new()
    {
        Quick = true,
        ClosedRounds = 1,
        ClosedDuration = TimeSpan.FromSeconds(1),
        OpenDuration = TimeSpan.FromSeconds(2),
        OpenLowRateDuration = TimeSpan.FromSeconds(1),
        MemoryShort = TimeSpan.FromSeconds(1),
        MemoryLong = TimeSpan.FromSeconds(3),
    };
}
