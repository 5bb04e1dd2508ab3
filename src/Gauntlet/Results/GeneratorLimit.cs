namespace Gauntlet.Results;

/// <summary>
/// Why a second of the timeline was generator-limited: Gauntlet itself, not the target, limited the rate in it. A closed
/// set that every report spells the same way; a second may have both (<see cref="TimelinePoint.LimitedBy"/>). The
/// thresholds are in docs/concepts.md ("Generator-limited seconds").
/// </summary>
public enum GeneratorLimit
{
    /// <summary>Gauntlet's own process used nearly every core available to it in that second (<see cref="TimelinePoint.GauntletCpu"/>).</summary>
    Cpu,

    /// <summary>Open model: operations started late against their schedule beyond the tolerance in that second (<see cref="TimelinePoint.LagP99Micros"/>).</summary>
    SchedulingLag,
}
