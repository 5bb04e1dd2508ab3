using System.Text;
using k8s;
using k8s.Models;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// The ConfigMap that carries the scenario file and the files it reads into the pods, and the volume that lays them
/// out under /scenario at their paths relative to the scenario's folder (a key cannot hold a '/', an item's path can).
/// </summary>
internal static class ScenarioConfigMap
{
    public const string Component = "scenario";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static V1ConfigMap Create(ClusterRun run)
    {
        var map = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = RunPod.Metadata(run, run.ConfigMapName, Component),
        };
        foreach (var file in run.Scenario.Files)
        {
            if (AsText(file) is { } text) (map.Data ??= new Dictionary<string, string>(StringComparer.Ordinal))[file.Key] = text;
            else (map.BinaryData ??= new Dictionary<string, byte[]>(StringComparer.Ordinal))[file.Key] = file.Content;
        }
        return map;
    }

    public static V1Volume Volume(ClusterRun run) => new()
    {
        Name = RunPod.ScenarioVolume,
        ConfigMap = new V1ConfigMapVolumeSource
        {
            Name = run.ConfigMapName,
            Items = [.. run.Scenario.Files.Select(f => new V1KeyToPath { Key = f.Key, Path = f.RelativePath })],
        },
    };

    /// <summary>
    /// The file as text, readable in <c>kubectl get configmap -o yaml</c>, when it is UTF-8 that reads back byte for
    /// byte; otherwise null, and it goes in <c>binaryData</c> (base64). Checked by writing and reading it rather than
    /// by listing what the serializer cannot keep: a carriage return, for one, does not survive its block scalars.
    /// </summary>
    private static string? AsText(BundledFile file)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(file.Content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var probe = new V1ConfigMap { Data = new Dictionary<string, string> { [file.Key] = text } };
        var back = KubernetesYaml.Deserialize<V1ConfigMap>(KubernetesYaml.Serialize(probe), strict: true);
        return back.Data?.TryGetValue(file.Key, out var read) == true && read == text ? text : null;
    }
}
