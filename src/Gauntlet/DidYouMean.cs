namespace Gauntlet;

/// <summary>Suggests the known word closest to a misspelt one: scenario keys, metric names, scenario names, variables.</summary>
internal static class DidYouMean
{
    /// <summary>The candidate closest to <paramref name="word"/> when it is close enough to be a likely typo; otherwise null.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        var lower = word.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // "TimeOut" or "errorrate" is that key with the wrong case: always the best guess.
            if (string.Equals(candidate, word, StringComparison.OrdinalIgnoreCase)) return candidate;
            var distance = EditDistance(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // About one edit per three characters: "timout" finds "timeout", "foo" finds nothing.
        return best is not null && bestDistance <= Math.Max(1, Math.Max(lower.Length, best.Length) / 3) ? best : null;
    }

    /// <summary><c>did you mean 'x'?</c>, or the list of what is known when nothing is close.</summary>
    public static string Hint(string word, IReadOnlyCollection<string> candidates) =>
        Closest(word, candidates) is { } meant
            ? $"did you mean '{meant}'?"
            : candidates.Count == 0 ? "nothing is expected here" : "expected one of: " + string.Join(", ", candidates);

    /// <summary>Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
