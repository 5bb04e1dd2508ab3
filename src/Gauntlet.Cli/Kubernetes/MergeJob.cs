using k8s.Models;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// The job that merges the segments' results into one: it starts with them and runs
/// <c>gauntlet merge /results --wait BOUND --out /results/merged</c>, which waits (at most BOUND) until every
/// segment's result.json is there. The report stays on the results claim.
/// </summary>
internal static class MergeJob
{
    public const string Component = "merge";

    /// <summary>Beyond the wait: time for the merge itself (the verifiers run over every segment's history) and the reports.</summary>
    public static readonly TimeSpan MergeTime = TimeSpan.FromMinutes(10);

    /// <summary>Where the merged result and reports go, on the results claim.</summary>
    public const string MergedFolder = RunPod.ResultsPath + "/merged";

    public static V1Job Create(ClusterRun run) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = RunPod.Metadata(run, run.MergeJobName, Component),
        Spec = new V1JobSpec
        {
            Completions = 1,
            Parallelism = 1,
            // A merge that ran gave its verdict as its exit code; running it again would give the same one.
            BackoffLimit = 0,
            PodFailurePolicy = RunPod.RetryOnlyDisruptions(),
            ActiveDeadlineSeconds = (long)(run.MergeWait + MergeTime).TotalSeconds,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = RunPod.Labels(run, Component) },
                Spec = RunPod.Spec(RunPod.Container(run, Args(run), [RunPod.ResultsMount(run)]), [RunPod.Results(run)]),
            },
        },
    };

    public static List<string> Args(ClusterRun run) =>
        ["merge", RunPod.ResultsPath, "--wait", Format.Duration(run.MergeWait), "--out", MergedFolder];
}
