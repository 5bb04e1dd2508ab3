using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Search;

/// <summary>What a breaking-point search varies, between which bounds, and how.</summary>
public sealed record SearchOptions
{
    /// <summary>Default <see cref="ProbeTimeout"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The parameter's name in reports: <c>workers</c>, <c>rate</c>, <c>depth</c>, <c>payload</c>.</summary>
    public string Parameter { get; init; } = "value";

    /// <summary>Lower bound, inclusive.</summary>
    public long From { get; init; }

    /// <summary>Upper bound, inclusive.</summary>
    public long To { get; init; }

    /// <summary>Stepping upwards from <see cref="From"/>, or bisecting between the bounds (the default: fewest probes).</summary>
    public SearchMode Mode { get; init; } = SearchMode.Bisect;

    /// <summary>Step mode: the increment. Bisect mode: stop when the bracket is this narrow; 1 (the default) finds the limit exactly.</summary>
    public long Step { get; init; } = 1;

    /// <summary>
    /// Runs each probe in a child process (this program, run again), so that a probe that crashes the process is a
    /// data point rather than the end of the search. See <see cref="BreakingPointSearch"/> for what the child runs.
    /// </summary>
    public bool Isolate { get; init; }

    /// <summary>Isolated probes: a child still running after this is killed and the probe counts as hung.</summary>
    public TimeSpan ProbeTimeout { get; init; } = DefaultProbeTimeout;

    /// <summary>When set, the search fails unless this value (or a larger one) passes: a floor for CI.</summary>
    public long? Require { get; init; }

    /// <summary>Every problem with these options.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        if (string.IsNullOrWhiteSpace(Parameter)) problems.Add("parameter", "is required: name what the search varies, such as workers or depth");
        if (To < From) problems.Add("to", $"is {To}, below from {From}; the upper bound must be at least the lower one");
        problems.Positive("step", Step);
        if (!Enum.IsDefined(Mode)) problems.Add("mode", $"is not a SearchMode: {(int)Mode}");
        problems.Positive("probeTimeout", ProbeTimeout);
        if (Require is { } require && (require < From || require > To)) problems.Add("require", $"is {require}, outside the searched range {From}..{To}");
        return problems.All;
    }

    /// <summary>One line for reports: <c>workers from 1 to 64, bisect to 1</c>.</summary>
    public string Describe() =>
        $"{Parameter} from {From} to {To}, " + (Mode == SearchMode.Step ? $"step {Step}" : $"bisect to {Step}") + (Isolate ? ", isolated" : "");
}
