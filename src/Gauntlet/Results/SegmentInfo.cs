namespace Gauntlet.Results;

/// <summary>Which part of a split run a result holds, and how close to the shared start instant it began.</summary>
public sealed record SegmentInfo
{
    /// <summary>The segment's index, from 0 (as Kubernetes numbers an Indexed Job's pods).</summary>
    public int Index { get; init; }

    /// <summary>How many segments the run was split into.</summary>
    public int Count { get; init; }

    /// <summary>The shared start instant the segment waited for (<c>--start-at</c>); null when it started at once.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>
    /// Seconds from <see cref="StartAt"/> to the segment's actual start (positive: late; an instant already past when
    /// the segment was ready gives its lateness); null without <see cref="StartAt"/>.
    /// </summary>
    public double? StartSkewSeconds { get; init; }

    /// <summary>The segment written as on the command line, <c>i/n</c>.</summary>
    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>One segment of a merged result: where it ran, when it began, what it counted.</summary>
public sealed record SegmentRow
{
    /// <summary>The segment's index, from 0.</summary>
    public int Index { get; init; }

    /// <summary>The machine it ran on (its environment's host name).</summary>
    public required string Host { get; init; }

    /// <summary>The folder or file it was read from.</summary>
    public required string Source { get; init; }

    /// <summary>Wall-clock start of its run (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Seconds late against the shared start instant; null when there was none.</summary>
    public double? StartSkewSeconds { get; init; }

    /// <summary>Its operation counts, every scenario added.</summary>
    public required Counts Counts { get; init; }
}
