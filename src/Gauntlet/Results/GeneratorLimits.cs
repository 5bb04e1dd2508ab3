namespace Gauntlet.Results;

/// <summary>
/// Why a second of the timeline was generator-limited: Gauntlet itself, not the target, limited the rate in it
/// (<see cref="TimelinePoint.LimitedBy"/>). At least one reason is true; a second may have both. The thresholds are in
/// docs/concepts.md ("Generator-limited seconds"). A record of flags rather than a list, so that two timeline points
/// with the same figures are equal.
/// </summary>
public sealed record GeneratorLimits
{
    /// <summary>Gauntlet's own process used nearly every core available to it in that second (<see cref="TimelinePoint.GauntletCpu"/>).</summary>
    public bool Cpu { get; init; }

    /// <summary>Open model: operations started late against their schedule beyond the tolerance in that second (<see cref="TimelinePoint.LagP99Micros"/>).</summary>
    public bool SchedulingLag { get; init; }
}
