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
    /// <summary>The scenario's clock starts now: <paramref name="timestamp"/> is its <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
    void ScenarioStarted(long timestamp);

    /// <summary>The fault windows in force between the start and <paramref name="timestamp"/> (a Stopwatch timestamp), in seconds from the start.</summary>
    IReadOnlyList<TimelineWindow> WindowsUntil(long timestamp);
}
