using Gauntlet.Results;

namespace Gauntlet.Engine;

/// <summary>A once-a-second progress report for a live display: the last second, and totals so far.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Point">The second that just ended.</param>
/// <param name="Started">Operations started so far.</param>
/// <param name="Ok">Operations ok so far.</param>
/// <param name="Errors">Operations failed, timed out or crashed so far.</param>
/// <param name="Dropped">Open model: arrivals dropped so far.</param>
public sealed record ScenarioProgress(string Scenario, TimelinePoint Point, long Started, long Ok, long Errors, long Dropped);

/// <summary>What the engine takes beside the scenarios: a progress callback, the environment to record, and the clock.</summary>
public sealed record EngineOptions
{
    /// <summary>Called once a second from the collector thread; keep it quick.</summary>
    public Action<ScenarioProgress>? OnProgress { get; init; }

    /// <summary>The environment to record; null reads the current machine.</summary>
    public EnvironmentInfo? Environment { get; init; }

    /// <summary>
    /// The clock every bound, delay, timeout, per-second point, monitor sample and fault window follows; default
    /// <see cref="TimeProvider.System"/>. A FakeTimeProvider makes a scenario's time pass only when the test advances it.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
