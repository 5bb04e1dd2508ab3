using Gauntlet.Results;

namespace Gauntlet.Scenarios;

/// <summary>
/// Figures a scenario measures itself, beside the engine's (the stress patterns' items per second, blocking time,
/// GC collections). The engine calls <see cref="Reset"/> as the scenario starts and <see cref="Collect"/> once every
/// operation has ended or been cut off, so one scenario object can run many times (a breaking-point search does).
/// </summary>
internal interface IFigureSource
{
    void Reset();

    IReadOnlyList<Figure> Collect();
}
