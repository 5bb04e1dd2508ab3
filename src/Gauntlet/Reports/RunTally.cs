using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// What a run holds, counted as every report's header spells it: scenarios and breaking-point searches, each with how
/// many passed. A run of searches only has no scenario of its own, and "0 of 0 scenarios passed" would hide that it did work.
/// </summary>
internal static class RunTally
{
    /// <summary><c>2 of 3 scenarios passed</c> (<c>, 1 INVALID</c> when some were), <c>1 of 1 breaking-point search passed</c>, both joined by <c>; </c>, or <c>nothing ran</c>.</summary>
    public static string Of(RunResult result)
    {
        var parts = new List<string>(2);
        if (result.Scenarios.Count > 0)
        {
            var invalid = result.Scenarios.Count(s => s.Verdict == Verdict.Invalid);
            parts.Add($"{result.Scenarios.Count(s => s.Verdict == Verdict.Passed)} of {result.Scenarios.Count} {Noun(result.Scenarios.Count, "scenario")} passed"
                + (invalid > 0 ? $", {invalid} {VerdictText.Of(Verdict.Invalid)}" : ""));
        }
        if (result.Searches is { Count: > 0 } searches)
            parts.Add($"{searches.Count(s => s.Passed)} of {searches.Count} {Noun(searches.Count, "breaking-point search")} passed");
        return parts.Count == 0 ? "nothing ran" : string.Join("; ", parts);
    }

    /// <summary>What the summary says when the run has no scenario of its own: that it holds searches, or that nothing started.</summary>
    public static string NoScenario(RunResult result) => result.Searches is { Count: > 0 } searches
        ? $"No scenario of its own: the run holds {searches.Count} breaking-point {(searches.Count == 1 ? "search" : "searches")}, " +
          "each of which ran its scenario once per probed value; see below."
        : "No scenario started.";

    private static string Noun(int count, string word) => count == 1 ? word : word.EndsWith("search", StringComparison.Ordinal) ? word + "es" : word + "s";
}
