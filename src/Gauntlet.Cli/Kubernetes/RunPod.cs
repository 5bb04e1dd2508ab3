using k8s.Models;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>What the objects of one cluster run share: their metadata and labels, the volumes and the container's shape.</summary>
internal static class RunPod
{
    public const string ContainerName = "gauntlet";
    public const string ScenarioVolume = "scenario";
    public const string ResultsVolume = "results";
    public const string ScenarioPath = "/scenario";
    public const string ResultsPath = "/results";

    /// <summary>
    /// The group that owns the results volume in the pods (<c>fsGroup</c>): the .NET images' non-root user
    /// (<c>APP_UID</c>, 1654), as which deploy/Dockerfile runs the tool, so that it may write its results.
    /// </summary>
    public const long ResultsGroup = 1654;

    /// <summary>Metadata with the run's labels, so <c>kubectl get all -l app.kubernetes.io/instance=NAME</c> finds every part.</summary>
    public static V1ObjectMeta Metadata(ClusterRun run, string name, string component) => new()
    {
        Name = name,
        NamespaceProperty = run.Namespace,
        Labels = Labels(run, component),
    };

    public static Dictionary<string, string> Labels(ClusterRun run, string component) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = "gauntlet",
        ["app.kubernetes.io/instance"] = run.Name,
        ["app.kubernetes.io/component"] = component,
    };

    /// <summary>The gauntlet container: the image's entry point is the tool, so only <paramref name="args"/> are given.</summary>
    public static V1Container Container(ClusterRun run, IList<string> args, IList<V1VolumeMount> mounts) => new()
    {
        Name = ContainerName,
        Image = run.Image,
        Args = args,
        VolumeMounts = mounts,
    };

    /// <summary>
    /// This run's folder on the results claim, as /results: every pod of the run sees the same folder, and no other
    /// run's (kubelet makes the folder on first use).
    /// </summary>
    public static V1VolumeMount ResultsMount(ClusterRun run) => new() { Name = ResultsVolume, MountPath = ResultsPath, SubPath = run.ResultsFolder };

    public static V1Volume Results(ClusterRun run) => new()
    {
        Name = ResultsVolume,
        PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = run.Results.ClaimName },
    };

    /// <summary>A pod that runs once: never restarted in place, its group may write the results volume.</summary>
    public static V1PodSpec Spec(V1Container container, IList<V1Volume> volumes) => new()
    {
        RestartPolicy = "Never",
        Containers = [container],
        Volumes = volumes,
        SecurityContext = new V1PodSecurityContext { FsGroup = ResultsGroup },
    };

    /// <summary>
    /// A pod evicted, preempted or on a drained node is replaced without counting as a failure (its segment then runs
    /// late, and its result says by how much); any other failure is final: the exit code is the verdict.
    /// </summary>
    public static V1PodFailurePolicy RetryOnlyDisruptions() => new()
    {
        Rules =
        [
            new V1PodFailurePolicyRule
            {
                Action = "Ignore",
                OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
            },
        ],
    };

    /// <summary>A user's text in <c>args</c>, where Kubernetes expands <c>$(NAME)</c> and reads <c>$$</c> as one '$'.</summary>
    public static string Literal(string text) => text.Replace("$", "$$", StringComparison.Ordinal);
}
