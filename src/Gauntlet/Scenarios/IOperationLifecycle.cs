using Gauntlet.Results;

namespace Gauntlet.Scenarios;

/// <summary>
/// Implemented by the object behind a scenario's operation delegate (its <see cref="Delegate.Target"/>) when the
/// operation keeps state for a whole scenario: connections to close, figures beyond outcomes (HTTP status codes,
/// bytes, per-kind counts). The engine calls it once at the start and once at the end of every scenario it runs.
/// </summary>
public interface IOperationLifecycle
{
    /// <summary>The scenario is about to start: forget the figures of any earlier run.</summary>
    void ScenarioStarting();

    /// <summary>
    /// The scenario has ended and every operation either completed or was cut off: close what is still open (a
    /// cut-off operation may still be running and will then fail fast).
    /// </summary>
    void ScenarioEnded();

    /// <summary>Returns <paramref name="result"/> with this operation's figures added; called after <see cref="ScenarioEnded"/>.</summary>
    ScenarioResult AddFigures(ScenarioResult result);
}
