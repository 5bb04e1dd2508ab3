using k8s.Models;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// The Indexed Job that runs the scenario as N segments, one pod each, all at once: pod i runs
/// <c>gauntlet run /scenario/FILE --segment i/N --start-at INSTANT --out /results/segment-i</c>, i from Kubernetes.
/// </summary>
internal static class SegmentJob
{
    /// <summary>The variable Kubernetes sets in an Indexed Job's pods to the pod's index (0 to N - 1).</summary>
    public const string IndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>
    /// Where the index comes from. The Job controller adds the variable itself (since Kubernetes 1.22) unless a
    /// container declares it; declared here, the <c>$(JOB_COMPLETION_INDEX)</c> in the arguments reads as what it is.
    /// </summary>
    private const string IndexAnnotation = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

    public const string Component = "segment";

    public static V1Job Create(ClusterRun run) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = RunPod.Metadata(run, run.SegmentJobName, Component),
        Spec = new V1JobSpec
        {
            CompletionMode = "Indexed",
            Completions = run.Segments,
            // Every segment at once: a segment that waits for a free slot would start after the shared instant.
            Parallelism = run.Segments,
            // A segment runs once: run again, it would start late and load the target twice for its share. The exit
            // code is its verdict (1: a threshold failed), and its result is on the volume either way. Per index
            // (Kubernetes 1.29 and later), so one segment's failure never stops the others mid-run, as reaching a
            // Job-wide limit would; that one then counts at most one failure per segment and never cuts the run short.
            BackoffLimitPerIndex = 0,
            BackoffLimit = run.Segments,
            PodFailurePolicy = RunPod.RetryOnlyDisruptions(),
            // Nothing hangs: past the merge's wait, a segment's result would not be merged anyway.
            ActiveDeadlineSeconds = (long)run.MergeWait.TotalSeconds,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = RunPod.Labels(run, Component) },
                Spec = PodSpec(run),
            },
        },
    };

    /// <summary>The arguments of every segment's pod; Kubernetes puts the pod's index in place of <c>$(JOB_COMPLETION_INDEX)</c>.</summary>
    public static List<string> Args(ClusterRun run)
    {
        var index = $"$({IndexVariable})";
        List<string> args =
        [
            "run", $"{RunPod.ScenarioPath}/{RunPod.Literal(run.Scenario.FileName)}",
            "--segment", $"{index}/{run.Segments}",
            "--start-at", run.StartAtText,
            "--out", $"{RunPod.ResultsPath}/segment-{index}",
        ];
        args.AddRange(run.RunOptions.Select(RunPod.Literal));
        return args;
    }

    private static V1PodSpec PodSpec(ClusterRun run)
    {
        var container = RunPod.Container(run, Args(run), [ScenarioMount(), RunPod.ResultsMount(run)]);
        container.Env =
        [
            new V1EnvVar { Name = IndexVariable, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = IndexAnnotation } } },
        ];
        container.Resources = Resources(run.Resources);
        var spec = RunPod.Spec(container, [ScenarioConfigMap.Volume(run), RunPod.Results(run)]);
        spec.Affinity = SpreadOverNodes(run);
        return spec;
    }

    private static V1VolumeMount ScenarioMount() => new() { Name = RunPod.ScenarioVolume, MountPath = RunPod.ScenarioPath, ReadOnlyProperty = true };

    private static V1ResourceRequirements? Resources(SegmentResources resources)
    {
        if (resources.Cpu is null && resources.Memory is null) return null;
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (resources.Cpu is { } cpu) requests["cpu"] = cpu;
        if (resources.Memory is { } memory) requests["memory"] = limits["memory"] = memory;
        return new V1ResourceRequirements { Requests = requests, Limits = limits.Count == 0 ? null : limits };
    }

    /// <summary>
    /// Segments on different nodes when the cluster has them (preferred, not required: a small cluster still runs
    /// them all), so that N segments are N machines' worth of load rather than one node's.
    /// </summary>
    private static V1Affinity SpreadOverNodes(ClusterRun run) => new()
    {
        PodAntiAffinity = new V1PodAntiAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution =
            [
                new V1WeightedPodAffinityTerm
                {
                    Weight = 100,
                    PodAffinityTerm = new V1PodAffinityTerm
                    {
                        TopologyKey = "kubernetes.io/hostname",
                        LabelSelector = new V1LabelSelector { MatchLabels = RunPod.Labels(run, Component) },
                    },
                },
            ],
        },
    };
}
