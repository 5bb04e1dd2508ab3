namespace Gauntlet.Scenarios;

/// <summary>
/// How long and how much a scenario may run. Issuing stops at the first bound reached
/// (<see cref="Duration"/>, <see cref="MaxIterations"/>, the load profile's own end, cancellation);
/// in-flight operations then get <see cref="GracePeriod"/> to finish and are counted as cut off after it.
/// </summary>
public sealed record Bounds
{
    /// <summary>Default <see cref="GracePeriod"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="HangAfter"/>: 30 s without any operation completing.</summary>
    public static readonly TimeSpan DefaultHangAfter = TimeSpan.FromSeconds(30);

    /// <summary>How long to issue operations. Null: as long as the load profile says (its stages, or its iterations).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop issuing after this many operations have been issued in total (in the open model: arrivals, dropped ones included). Null: no limit.</summary>
    public long? MaxIterations { get; init; }

    /// <summary>Per-operation timeout: the operation's cancellation token fires after it, and an operation still running then ends as timed out. Null: none.</summary>
    public TimeSpan? OperationTimeout { get; init; }

    /// <summary>Hard limit on the scenario's wall time, grace period included; work still running then is cut off. Null: none.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>How long in-flight operations may finish after issuing stops.</summary>
    public TimeSpan GracePeriod { get; init; } = DefaultGracePeriod;

    /// <summary>Watchdog: when operations are in flight and none completes for this long, the scenario is ended as hung. Null: no watchdog.</summary>
    public TimeSpan? HangAfter { get; init; } = DefaultHangAfter;

    /// <summary>
    /// Load run for this long before the measured part, on the same operation and target, at the load profile's
    /// concurrency (an open model: at its first rate), and reported apart (<see cref="Results.ScenarioResult.Warmup"/>):
    /// no latency, rate or other threshold sees it. Null: none.
    /// </summary>
    public TimeSpan? Warmup { get; init; }

    internal void Validate(ProblemList problems)
    {
        problems.Positive("duration", Duration);
        problems.Positive("iterations", MaxIterations);
        problems.Positive("timeout", OperationTimeout);
        problems.Positive("deadline", Deadline);
        problems.NotNegative("grace", GracePeriod);
        problems.Positive("hangAfter", HangAfter);
        problems.Positive("warmup", Warmup);
        if (Deadline is { } deadline && Duration is { } duration && deadline < duration)
            problems.Add("deadline", $"is {Format.Duration(deadline)}, shorter than the duration {Format.Duration(duration)}; raise the deadline or shorten the duration");
    }

    /// <summary>One line for reports: <c>duration 10s, timeout 1s, grace 5s</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Warmup is { } w) parts.Add("warm-up " + Format.Duration(w));
        if (Duration is { } d) parts.Add("duration " + Format.Duration(d));
        if (MaxIterations is { } n) parts.Add($"max {n} iterations");
        if (OperationTimeout is { } t) parts.Add("timeout " + Format.Duration(t));
        if (Deadline is { } dl) parts.Add("deadline " + Format.Duration(dl));
        parts.Add("grace " + Format.Duration(GracePeriod));
        if (HangAfter is { } h) parts.Add("hang after " + Format.Duration(h));
        return string.Join(", ", parts);
    }
}
