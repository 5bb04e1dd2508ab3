using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Reading;

namespace Gauntlet.ScenarioFiles.Operations;

/// <summary>
/// One kind of operation a scenario file can name under <c>operation:</c> (<c>synthetic</c>; later <c>process</c>,
/// <c>tcp</c>, <c>http</c>). Adding a kind is adding one class that implements this interface, anywhere in the
/// library (beside its target, ideally): <see cref="OperationKinds"/> finds it. It needs a public parameterless
/// constructor.
/// </summary>
internal interface IOperationKind
{
    /// <summary>The key under <c>operation:</c>, e.g. <c>synthetic</c>.</summary>
    string Name { get; }

    /// <summary>The keys its mapping accepts; any other is reported with a did-you-mean.</summary>
    IReadOnlyCollection<string> Keys { get; }

    /// <summary>A short, valid example for messages, e.g. <c>synthetic: { latency: 2ms }</c>.</summary>
    string Example { get; }

    /// <summary>
    /// Reads the kind's options from <paramref name="options"/> and returns the operation, or null when an option is
    /// wrong. Every problem is reported through <paramref name="options"/> (its typed getters and
    /// <see cref="SpecMapping.Report"/>), never thrown. Called once per scenario, so per-run state is not shared
    /// between scenarios.
    /// </summary>
    Operation? Build(SpecMapping options);
}
