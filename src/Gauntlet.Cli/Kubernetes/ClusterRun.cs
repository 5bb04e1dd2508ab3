using k8s.Models;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// What the manifests of <c>gauntlet kubernetes</c> describe, validated: a scenario run as <see cref="Segments"/> pods
/// of one Indexed Job that start together at <see cref="StartAt"/>, and a merge job that waits for their results.
/// </summary>
/// <param name="Name">The prefix of every object's name, a DNS label of at most <see cref="MaxNameLength"/> characters.</param>
/// <param name="Namespace">The namespace of every object; null: kubectl's current one.</param>
/// <param name="Image">The container image with the gauntlet tool as its entry point (deploy/Dockerfile).</param>
/// <param name="Segments">How many segments, one pod each (indexes 0 to Segments - 1).</param>
/// <param name="StartAt">The instant every segment starts at (UTC, whole seconds).</param>
/// <param name="Scenario">The scenario file and the files it reads.</param>
/// <param name="RunOptions">What <c>gauntlet run</c> is given besides the segment, the instant and the folder: <c>--scenario</c>, <c>--set</c>.</param>
/// <param name="MergeWait">How long the merge waits for every segment's result.</param>
/// <param name="Results">Where the results go.</param>
/// <param name="Resources">What each segment's pod asks of its node.</param>
internal sealed record ClusterRun(
    string Name,
    string? Namespace,
    string Image,
    int Segments,
    DateTimeOffset StartAt,
    ScenarioBundle Scenario,
    IReadOnlyList<string> RunOptions,
    TimeSpan MergeWait,
    ResultsStorage Results,
    SegmentResources Resources)
{
    /// <summary>
    /// The most segments: Kubernetes' own limit on an Indexed Job's completions when each index has its own backoff
    /// limit (<c>backoffLimitPerIndex</c>).
    /// </summary>
    public const int MaxSegments = 100_000;

    /// <summary>
    /// The longest <see cref="Name"/>: a segment's pod has the host name <c>NAME-segment-INDEX</c> (and a name that starts so), which
    /// must be a DNS label (63 characters) for every index up to <see cref="MaxSegments"/> - 1 (five digits).
    /// </summary>
    public const int MaxNameLength = DnsName.MaxLabelLength - 14;

    /// <summary>The Indexed Job that runs the segments.</summary>
    public string SegmentJobName => Name + "-segment";

    public string MergeJobName => Name + "-merge";

    public string ConfigMapName => Name + "-scenario";

    /// <summary>
    /// This run's folder on the results claim (mounted as /results in every pod): named for the run and its start, so
    /// that runs sharing a claim (<c>--results-claim</c>) never merge each other's segments.
    /// </summary>
    public string ResultsFolder => $"{Name}-{StartAt.UtcDateTime:yyyyMMdd-HHmmss}";

    /// <summary>The start instant as <c>gauntlet run --start-at</c> takes it: ISO 8601, UTC, <c>2026-12-05T14:00:00Z</c>.</summary>
    public string StartAtText => StartAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Where the results go: a ReadWriteMany claim that every pod mounts, made by the manifests (<paramref name="Create"/>,
/// of <paramref name="Size"/> in <paramref name="StorageClass"/>, null: the cluster's default) or one that exists.
/// </summary>
internal sealed record ResultsStorage(string ClaimName, bool Create, ResourceQuantity Size, string? StorageClass)
{
    public const string DefaultSize = "1Gi";
}

/// <summary>
/// What each segment's pod asks of its node: CPU as a request only, since a CPU limit throttles the load generator
/// in bursts (the kernel's CFS quota) and would show up as the target's latency; memory as request and limit.
/// </summary>
internal sealed record SegmentResources(ResourceQuantity? Cpu, ResourceQuantity? Memory);
