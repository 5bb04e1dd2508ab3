namespace Gauntlet.ScenarioFiles;

/// <summary>What a scenario file says about itself, beside its scenarios.</summary>
/// <param name="Name">The suite's <c>name</c>; in a single-scenario file, the scenario's name. Null when not given.</param>
/// <param name="Description">The file's <c>description</c>, if any.</param>
public sealed record SuiteSpec(string? Name, string? Description)
{
    /// <summary>The file as it was named when loaded.</summary>
    public string File { get; init; } = "";

    /// <summary>True when the file has a <c>scenarios:</c> list; false for a single scenario written at the top level.</summary>
    public bool IsSuite { get; init; }

    /// <summary>Each scenario's <c>description</c>, by scenario name; scenarios without one are absent.</summary>
    public IReadOnlyDictionary<string, string> ScenarioDescriptions { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The value of every variable the file declares or uses, after <c>--set</c> overrides, by name. A variable that
    /// only had an inline default (<c>${name:-default}</c>) is absent.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}
