using Gauntlet.Scenarios;

namespace Gauntlet.Cli.Commands;

/// <summary>Picks scenarios by name for <c>--scenario</c>, with a suggestion when a name is not found.</summary>
internal static class ScenarioSelection
{
    public static IReadOnlyList<Scenario>? Select(IReadOnlyList<Scenario> all, string[]? names, out string? error)
    {
        error = null;
        if (names is null || names.Length == 0) return all;
        var selected = new List<Scenario>();
        foreach (var name in names)
        {
            var match = all.FirstOrDefault(s => s.Name == name);
            if (match is null)
            {
                var hint = DidYouMean.Closest(name, all.Select(s => s.Name)) is { } closest ? $"did you mean '{closest}'? " : "";
                error = $"no scenario named '{name}'; {hint}the file has: {string.Join(", ", all.Select(s => s.Name))}";
                return null;
            }
            if (!selected.Contains(match)) selected.Add(match);
        }
        return selected;
    }
}
