using System.Text.Json.Serialization;

namespace Gauntlet.Results;

/// <summary>How one probe of a breaking-point search ended. A closed set that every output format spells the same way.</summary>
public enum ProbeStatus
{
    /// <summary>The scenario passed at this value.</summary>
    Passed,
    /// <summary>A threshold or check failed at this value.</summary>
    Failed,
    /// <summary>The watchdog declared a hang, or an isolated probe outlived its time limit and was killed.</summary>
    Hung,
    /// <summary>The probe's process died (an isolated probe: a signal, an abnormal exit, no result written).</summary>
    Crashed,
    /// <summary>The search was cancelled while this probe ran.</summary>
    Interrupted,
}

/// <summary>How a breaking-point search chose the values it probed.</summary>
public enum SearchMode
{
    /// <summary>From the lower bound upwards by a fixed step, until the first failure.</summary>
    Step,
    /// <summary>Both bounds, then halving the bracket between the largest pass and the smallest failure.</summary>
    Bisect,
}

/// <summary>The outcome of a breaking-point search over one scenario parameter.</summary>
public sealed record SearchResult
{
    /// <summary>The scenario searched.</summary>
    public required string Scenario { get; init; }

    /// <summary>The parameter varied: <c>workers</c>, <c>rate</c>, or a user-defined name (a variable, a depth, a size).</summary>
    public required string Parameter { get; init; }

    /// <summary>How values were chosen.</summary>
    public SearchMode Mode { get; init; }

    /// <summary>Lower bound of the search (inclusive).</summary>
    public long From { get; init; }

    /// <summary>Upper bound of the search (inclusive).</summary>
    public long To { get; init; }

    /// <summary>Step mode: the increment. Bisect mode: the resolution at which bisection stops (1 finds the limit exactly).</summary>
    public long Step { get; init; }

    /// <summary>True when every probe ran in its own child process.</summary>
    public bool Isolated { get; init; }

    /// <summary>The largest value that passed; null when even the lower bound failed.</summary>
    public long? LargestPassing { get; init; }

    /// <summary>The smallest value that failed; null when every probed value passed.</summary>
    public long? FirstFailing { get; init; }

    /// <summary>How the first failing probe ended; null when none failed.</summary>
    public ProbeStatus? FailureStatus { get; init; }

    /// <summary>Why the first failing probe failed, one sentence each (thresholds missed, crash signal, hang).</summary>
    public IReadOnlyList<VerdictReason> Failure { get; init; } = [];

    /// <summary>Every probe, ordered by value: the curve of throughput, p99 and error rate against the parameter.</summary>
    public IReadOnlyList<SearchProbe> Probes { get; init; } = [];

    /// <summary>
    /// The search's own verdict: true unless it was interrupted, or a required value (<c>require</c>) did not pass.
    /// Finding a failure is what a search is for, so a failing probe alone does not fail the search.
    /// </summary>
    public bool Passed { get; init; }

    /// <summary>Why <see cref="Passed"/> is false: a code and a sentence each.</summary>
    public IReadOnlyList<VerdictReason> Reasons { get; init; } = [];

    /// <summary>The value that had to pass for the search to pass; null when none was required.</summary>
    public long? Require { get; init; }
}

/// <summary>One point of a search: the scenario run at one value of the parameter.</summary>
public sealed record SearchProbe
{
    /// <summary>The parameter's value.</summary>
    public long Value { get; init; }

    /// <summary>How the probe ended.</summary>
    public ProbeStatus Status { get; init; }

    /// <summary>Completed operations per second over the probe's run; 0 when it crashed.</summary>
    public double Throughput { get; init; }

    /// <summary>99th percentile latency, in microseconds; 0 when nothing completed.</summary>
    [JsonPropertyName("p99")] public double P99Micros { get; init; }

    /// <summary>Non-ok outcomes over started operations (0.01 = 1%).</summary>
    public double ErrorRate { get; init; }

    /// <summary>Operations started.</summary>
    public long Started { get; init; }

    /// <summary>Seconds the probe took, process start included when isolated.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Why the probe did not pass: a code and a sentence each; empty when it passed.</summary>
    public IReadOnlyList<VerdictReason> Reasons { get; init; } = [];

    /// <summary>Isolated probes: the child process's exit code; null in process.</summary>
    public int? ExitCode { get; init; }
}
