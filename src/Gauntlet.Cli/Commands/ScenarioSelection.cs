using Gauntlet.Scenarios;

namespace Gauntlet.Cli.Commands;

/// <summary>Picks scenarios by name for <c>--scenario</c>, with a suggestion when a name is not found.</summary>
internal static class ScenarioSelection
{
    /// <summary>Scenarios and searches by name (a search is named after its scenario); all of both when no name is given.</summary>
    public static bool Select(IReadOnlyList<Scenario> scenarios, IReadOnlyList<Gauntlet.Search.BreakingPointSearch> searches, string[]? names,
        out IReadOnlyList<Scenario> selectedScenarios, out IReadOnlyList<Gauntlet.Search.BreakingPointSearch> selectedSearches, out string? error)
    {
        selectedScenarios = scenarios;
        selectedSearches = searches;
        error = null;
        if (names is null || names.Length == 0) return true;
        var searchNames = searches.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var forScenarios = names.Where(n => !searchNames.Contains(n)).ToArray();
        selectedSearches = [.. searches.Where(s => names.Contains(s.Name, StringComparer.Ordinal))];
        if (forScenarios.Length == 0)
        {
            selectedScenarios = [];
            return true;
        }
        // Unknown names are reported against every name the file has, searches included.
        var all = scenarios.Concat(searches.Select(s => new Scenario(s.Name, _ => ValueTask.FromResult(Outcome.Ok)))).ToList();
        var picked = Select(all, forScenarios, out error);
        if (picked is null) return false;
        selectedScenarios = [.. picked.Where(p => scenarios.Contains(p))];
        return true;
    }

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
