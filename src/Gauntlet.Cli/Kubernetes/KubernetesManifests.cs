using k8s;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// Every object of a cluster run, in the order <c>kubectl apply -f</c> creates them (what a pod mounts before the
/// pod), as one multi-document YAML written by the Kubernetes client's own serializer.
/// </summary>
internal static class KubernetesManifests
{
    public static IReadOnlyList<object> Objects(ClusterRun run)
    {
        var objects = new List<object> { ScenarioConfigMap.Create(run) };
        if (run.Results.Create) objects.Add(ResultsClaim.Create(run));
        objects.Add(SegmentJob.Create(run));
        objects.Add(MergeJob.Create(run));
        return objects;
    }

    public static string Yaml(ClusterRun run) => Header(run) + KubernetesYaml.SerializeAll(Objects(run));

    /// <summary>Comments that say what the file runs, when, and where its report will be; YAML readers skip them.</summary>
    private static string Header(ClusterRun run) => $"""
        # gauntlet kubernetes: {run.Scenario.FileName} as {run.Segments} segment{(run.Segments == 1 ? "" : "s")} (job {run.SegmentJobName}), all starting at {run.StartAtText}.
        # Apply now: a segment whose pod starts after that instant starts at once and reports how late it was.
        #   kubectl apply -f FILE
        # The merged result and reports: merged/ in the folder {run.ResultsFolder} on the claim {run.Results.ClaimName},
        # once job {run.MergeJobName} has finished (it waits at most {Format.Duration(run.MergeWait)}). See docs/scale-out.md.

        """;
}
