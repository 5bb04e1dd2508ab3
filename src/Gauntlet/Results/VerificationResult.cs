namespace Gauntlet.Results;

/// <summary>
/// What one verifier found in a scenario's history and the target's final state. Counts are named
/// (<c>lost</c>, <c>duplicated</c>, <c>unexpected</c>, <c>recovered</c>, <c>reordered</c>, ...) so thresholds can name them.
/// </summary>
public sealed record VerificationResult
{
    /// <summary>The verifier's name (its kind unless it was given another).</summary>
    public required string Name { get; init; }

    /// <summary><c>set</c>, <c>counter</c>, <c>unique-ids</c>, <c>queue</c> or <c>linearizable</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>True when the history and the final state agree.</summary>
    public bool Passed { get; init; }

    /// <summary>One line saying what was found.</summary>
    public required string Summary { get; init; }

    /// <summary>The verifier's counts, in a fixed order per kind.</summary>
    public IReadOnlyList<VerificationCount> Counts { get; init; } = [];

    /// <summary>Up to <see cref="MaxExamples"/> examples per problem category.</summary>
    public IReadOnlyList<VerificationExamples> Examples { get; init; } = [];

    /// <summary>Why the verifier could not judge (the final read failed or timed out, a check ran out of time); it then fails.</summary>
    public string? Error { get; init; }

    /// <summary>For a <c>linearizable</c> verifier that failed: the smallest window of operations it found no order for, and the longest linearizable prefix.</summary>
    public LinearizabilityCounterexample? Counterexample { get; init; }

    /// <summary>Examples kept per category.</summary>
    public const int MaxExamples = 20;

    /// <summary>The count named <paramref name="name"/>, or null when this verifier does not report it.</summary>
    public long? Count(string name)
    {
        foreach (var count in Counts)
            if (count.Name == name) return count.Value;
        return null;
    }
}

/// <summary>A named count, e.g. <c>lost = 3</c>.</summary>
public sealed record VerificationCount(string Name, long Value);

/// <summary>Examples of one category of problem: the values (or operation ids) concerned.</summary>
public sealed record VerificationExamples(string Category, IReadOnlyList<string> Values);

/// <summary>Where a scenario's history went and how big it is.</summary>
public sealed record HistoryInfo
{
    /// <summary>The history's file name in the results folder.</summary>
    public const string FileName = "history.jsonl";

    /// <summary>The JSON Lines file holding it; null when it was a temporary file, deleted after verification.</summary>
    public string? File { get; init; }

    /// <summary>Operations recorded: one per started operation.</summary>
    public long Entries { get; init; }

    /// <summary>Injected faults recorded beside the operations (lines with id 0 and a <c>fault:</c> function).</summary>
    public long Faults { get; init; }

    /// <summary>Time workers waited for the history writer; above zero the writer slowed the run down.</summary>
    public double StallSeconds { get; init; }
}
