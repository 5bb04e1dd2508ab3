using Gauntlet.Pipeline;
using Gauntlet.Scenarios;

namespace Gauntlet.Merging;

/// <summary>How <see cref="SegmentMerge"/> merges segment results: what judges them, where the merged result goes, how long to wait.</summary>
public sealed record MergeOptions
{
    /// <summary>
    /// The folder for the merged result: <c>result.json</c>, <c>report.md</c>, <c>report.html</c> (and <c>junit.xml</c>
    /// with <see cref="JUnit"/>, <c>comparison.md</c> with <see cref="Baseline"/>), and the union of the segments'
    /// histories as <c>history.jsonl</c>. Null: nothing is written, and the union goes to a temporary file deleted once verified.
    /// </summary>
    public string? ResultsDirectory { get; init; }

    /// <summary>
    /// The scenarios the segments ran (the scenario file, read with the same variables), matched by name: their
    /// thresholds judge the merged figures and their verifiers run once over the union of the histories. Null: the
    /// thresholds are those the segments' results echo (<c>Config.Thresholds</c>), and verifiers cannot run again,
    /// which the merged result says in a warning.
    /// </summary>
    public IReadOnlyList<Scenario>? Scenarios { get; init; }

    /// <summary>Also write <c>junit.xml</c> into <see cref="ResultsDirectory"/>.</summary>
    public bool JUnit { get; init; }

    /// <summary>An earlier result to judge the merged one against, as <c>gauntlet run --baseline</c> does.</summary>
    public BaselineOptions? Baseline { get; init; }

    /// <summary>
    /// How long to wait for every segment 0 .. n-1 to have written its result.json (polling the folders); null: the
    /// results must all be there already.
    /// </summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>The clock <see cref="Wait"/> is measured on; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
