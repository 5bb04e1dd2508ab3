namespace Gauntlet.Results;

/// <summary>
/// What the resource monitor saw during a scenario: per-sample figures of the target's process tree (when one was
/// monitored) and of Gauntlet itself, and the figures derived from them. Sizes are in bytes, CPU as a fraction of one
/// core (1.5 = one and a half cores busy), times in seconds since the scenario's start.
/// </summary>
public sealed record ResourceUsage
{
    /// <summary>What was monitored, in words: <c>pid 4242 and its descendants</c>, <c>process 'redis-server' (pid 17)</c>; null when only Gauntlet was.</summary>
    public string? Target { get; init; }

    /// <summary>Seconds between two samples.</summary>
    public double IntervalSeconds { get; init; }

    /// <summary>Seconds from the start ignored by the derived figures (start-up allocations are not a leak).</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>The target's process tree, one entry per sample; empty when no target was monitored.</summary>
    public IReadOnlyList<ResourceSample> Samples { get; init; } = [];

    /// <summary>Gauntlet's own process, one entry per sample (threads and fds included).</summary>
    public IReadOnlyList<ResourceSample> Self { get; init; } = [];

    /// <summary>Figures derived from <see cref="Samples"/>; null when no target was monitored or it was never seen.</summary>
    public ResourceFigures? TargetFigures { get; init; }

    /// <summary>Figures derived from <see cref="Self"/>.</summary>
    public ResourceFigures? SelfFigures { get; init; }

    /// <summary>Things a reader must know about the monitoring itself (the target exited, /proc was unreadable, ...).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>One sample of a process tree. A figure that could not be read is 0 and the sample says so in <see cref="Processes"/> = 0.</summary>
public sealed record ResourceSample
{
    /// <summary>Seconds since the scenario start.</summary>
    public double Second { get; init; }
    /// <summary>Processes in the tree at this sample; 0 when the target was not running.</summary>
    public int Processes { get; init; }
    /// <summary>Resident set size summed over the tree (bytes).</summary>
    public long RssBytes { get; init; }
    /// <summary>CPU used since the previous sample, as a fraction of one core (0.5 = half a core).</summary>
    public double Cpu { get; init; }
    /// <summary>Threads summed over the tree.</summary>
    public int Threads { get; init; }
    /// <summary>Open file descriptors summed over the tree.</summary>
    public int Fds { get; init; }
}

/// <summary>Figures derived from a series of <see cref="ResourceSample"/>s.</summary>
public sealed record ResourceFigures
{
    /// <summary>Samples in which the tree was running.</summary>
    public int SampleCount { get; init; }
    /// <summary>Largest resident set size (bytes).</summary>
    public long MaxRssBytes { get; init; }
    /// <summary>Resident set size at the last sample in which the tree ran (bytes).</summary>
    public long LastRssBytes { get; init; }
    /// <summary>
    /// Growth of the resident set size after the warm-up, by least squares over the samples (bytes per second;
    /// negative when it shrank); null with fewer than <c>3</c> samples after the warm-up.
    /// </summary>
    public double? RssSlopeBytesPerSecond { get; init; }
    /// <summary>Mean CPU over the samples (fraction of one core).</summary>
    public double MeanCpu { get; init; }
    /// <summary>Largest CPU of one sample (fraction of one core).</summary>
    public double MaxCpu { get; init; }
    /// <summary>Largest thread count.</summary>
    public int MaxThreads { get; init; }
    /// <summary>Largest open file descriptor count.</summary>
    public int MaxFds { get; init; }
    /// <summary>Open file descriptors at the last sample after the warm-up minus at the first one.</summary>
    public int FdGrowth { get; init; }
    /// <summary>True when the resident set grew steadily after the warm-up (see docs/reports.md for the rule).</summary>
    public bool LeakSuspected { get; init; }
    /// <summary>True when open file descriptors grew steadily after the warm-up.</summary>
    public bool FdLeakSuspected { get; init; }
}

/// <summary>A span of the scenario's timeline worth marking on charts, such as an injected fault.</summary>
/// <param name="FromSecond">Seconds since the scenario start when it began.</param>
/// <param name="ToSecond">Seconds since the scenario start when it ended.</param>
/// <param name="Label">What happened, in a few words: <c>latency +200ms</c>, <c>agent 3 killed</c>.</param>
public sealed record TimelineWindow(double FromSecond, double ToSecond, string Label);
