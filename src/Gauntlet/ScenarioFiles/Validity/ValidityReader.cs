using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.Scenarios;

namespace Gauntlet.ScenarioFiles.Validity;

/// <summary>
/// <c>validity: { dropped: 0.1%, lateP99: 10ms, cpu: 95%, accept: true }</c>: when the load generator, not the target,
/// limited the run enough to make its verdict INVALID, and whether the scenario accepts that (a
/// <see cref="ValidityOptions"/>). Every key is optional; the engine path is <c>validity.*</c>, where the options' own
/// validation reports a value out of range.
/// </summary>
internal static class ValidityReader
{
    public static readonly string[] Keys = ["dropped", "lateP99", "cpu", "accept"];

    private const string Example = "{ dropped: 1%, lateP99: 10ms, cpu: 95%, accept: false }";

    /// <summary>The options; null when <c>validity:</c> is absent (the scenario keeps the defaults) or not a mapping (then reported).</summary>
    public static ValidityOptions? Read(SpecMapping scenario)
    {
        var validity = scenario.Mapping("validity", Keys, enginePath: "validity", example: Example);
        if (validity is null) return null;
        var options = new ValidityOptions();
        if (validity.TryRatio("dropped", out var dropped)) options = options with { Dropped = dropped };
        if (validity.TryDuration("lateP99", out var late)) options = options with { LateP99 = late };
        if (validity.TryRatio("cpu", out var cpu)) options = options with { Cpu = cpu };
        if (validity.TryBool("accept", out var accept)) options = options with { Accept = accept };
        return options;
    }
}
