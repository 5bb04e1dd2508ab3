using k8s.Models;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// The claim every pod of the run mounts as /results: ReadWriteMany, since the segments' pods, on several nodes,
/// write to it at once and the merge's pod reads it.
/// </summary>
internal static class ResultsClaim
{
    public const string Component = "results";

    public static V1PersistentVolumeClaim Create(ClusterRun run) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = RunPod.Metadata(run, run.Results.ClaimName, Component),
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteMany"],
            StorageClassName = run.Results.StorageClass,
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = run.Results.Size },
            },
        },
    };
}
