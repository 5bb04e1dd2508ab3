using Gauntlet.Scenarios;

namespace Gauntlet.Spec.Operations;

/// <summary>
/// Implemented by the object behind an operation delegate that must prepare its target before a run (start a
/// built-in server, check limits, probe the address). An <see cref="IOperationKind"/> returns only the delegate; the
/// scenario reader finds this interface on the delegate's target and sets <see cref="Scenario.Setup"/> from it, so
/// <see cref="IOperationKind"/> stays one method.
/// </summary>
internal interface IPreparesTarget
{
    /// <summary>See <see cref="Scenario.Setup"/>.</summary>
    ValueTask<IAsyncDisposable?> SetUpAsync(Scenario scenario, CancellationToken cancellationToken);
}
