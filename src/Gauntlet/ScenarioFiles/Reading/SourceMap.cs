using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Yaml;

namespace Gauntlet.ScenarioFiles.Reading;

/// <summary>
/// For one scenario: which node each engine option came from, keyed by the path the engine's own validation uses
/// (<c>bounds.timeout</c>, <c>load.stages[1].duration</c>), so a <see cref="Problem"/> found by
/// <see cref="Scenario.Validate"/> is reported at the line and column of what the user wrote. Also remembers which
/// options failed to read, so the engine does not report again, less clearly, what is already reported.
/// </summary>
internal sealed class SourceMap(Node scenario)
{
    private readonly Dictionary<string, (string Display, Node Node)> _origins = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    /// <summary>True when any option of the scenario failed to read.</summary>
    public bool AnyFailed => _failed.Count > 0;

    /// <summary>Records that the engine option at <paramref name="enginePath"/> was read from <paramref name="node"/>, shown as <paramref name="display"/>.</summary>
    public void Record(string enginePath, string display, Node node) => _origins[enginePath] = (display, node);

    /// <summary>Records that the engine option at <paramref name="enginePath"/> could not be read (and the reason is reported).</summary>
    public void Fail(string enginePath) => _failed.Add(enginePath);

    /// <summary>
    /// True when an engine problem at <paramref name="path"/> follows from an option that failed to read: the same option,
    /// one inside it or one containing it. A scenario-wide problem (<c>bounds</c>: "would never end") follows from any failure.
    /// </summary>
    public bool Follows(string path) =>
        (path == "bounds" && AnyFailed) || _failed.Any(failed => failed == path || Contains(path, failed) || Contains(failed, path));

    /// <summary>The node and display path for an engine path: the option itself, else the nearest enclosing one that was read, else the scenario.</summary>
    public (string Display, Node Node) Locate(string path)
    {
        var rest = "";
        var probe = path;
        while (probe.Length > 0)
        {
            if (_origins.TryGetValue(probe, out var origin))
                return (origin.Display.Length == 0 ? rest.TrimStart('.') : origin.Display + rest, origin.Node);
            var cut = Math.Max(probe.LastIndexOf('.'), probe.LastIndexOf('['));
            if (cut <= 0) break;
            rest = probe[cut..] + rest;
            probe = probe[..cut];
        }
        // "bounds" is the whole scenario ("would never end"); any other path is shown as the engine names it.
        return (path == "bounds" ? "" : path, scenario);
    }

    private static bool Contains(string outer, string inner) =>
        inner.Length > outer.Length && inner.StartsWith(outer, StringComparison.Ordinal) && inner[outer.Length] is '.' or '[';
}
