using System.Text.Json.Serialization;

namespace Gauntlet.Results;

/// <summary>
/// A scenario's validity tolerances as it ran with them (<c>validity:</c>, <see cref="Scenarios.ValidityOptions"/>),
/// echoed so that <c>gauntlet merge</c> judges the merged run by the same ones. Left out of the result
/// (<see cref="ScenarioConfig.Validity"/> null) when every tolerance has its default.
/// </summary>
public sealed record ValidityConfig
{
    /// <summary>Open model: the share of the arrivals that may be dropped (0.01 = 1%).</summary>
    public double Dropped { get; init; }

    /// <summary>Open model: the whole run's p99 scheduling lag above which the run is invalid, in microseconds.</summary>
    [JsonPropertyName("lateP99")] public double LateP99Micros { get; init; }

    /// <summary>Gauntlet's CPU share at or above which a second makes the run invalid, in every model; null: the default (an open model only).</summary>
    public double? Cpu { get; init; }

    /// <summary>True: generator limits are warnings, not an invalid verdict.</summary>
    public bool Accept { get; init; }
}
