namespace Gauntlet.Scenarios;

/// <summary>
/// Implemented by the object behind a scenario's operation delegate (found through wrappers by <see cref="OperationTarget"/>) when its
/// operations come in named kinds that the result reports one by one (a weighted HTTP mix): the names a threshold may
/// narrow a metric to, as in <c>p99(valid) &lt; 50ms</c>. <see cref="Scenario.Validate"/> checks such thresholds against them.
/// </summary>
public interface INamedOperationKinds
{
    /// <summary>The kinds' names, in the order written; empty when the result reports no kinds.</summary>
    IReadOnlyList<string> OperationKindNames { get; }
}
