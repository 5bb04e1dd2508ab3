using Gauntlet.Results;

namespace Gauntlet.Stress;

/// <summary>
/// Figures a stress pattern measures itself, beside the engine's (items per second, blocking time, GC collections).
/// Its <see cref="StressOperation"/> calls <see cref="Reset"/> at set-up and <see cref="Collect"/> once every operation
/// has ended or been cut off, so one scenario object can run many times (a breaking-point search does).
/// </summary>
internal interface IFigureSource
{
    void Reset();

    IReadOnlyList<Figure> Collect();
}
