using Gauntlet.Results;

namespace Gauntlet.Scenarios;

/// <summary>
/// Implemented by what injects faults on a schedule: the fault proxy, or what a scenario's <see cref="Operation.SetUpAsync"/>
/// returns when it starts one. The engine starts the schedule's clock with the scenario's own, so a window set "from
/// 10s" opens 10 s into the timeline, and asks at the end which windows were in force, for
/// <see cref="ScenarioResult.Windows"/>.
/// </summary>
public interface IFaultWindows
{
    /// <summary>The scenario's clock starts now, on <paramref name="time"/>: windows open and close as it passes.</summary>
    void ScenarioStarted(TimeProvider time);

    /// <summary>The fault windows in force between the start and <paramref name="elapsed"/> after it, in seconds from the start.</summary>
    IReadOnlyList<TimelineWindow> WindowsUntil(TimeSpan elapsed);
}
