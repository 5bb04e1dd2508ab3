using System.Text;
using Gauntlet.Cli.Commands;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Gauntlet.Tests.Kubernetes;

/// <summary>
/// <c>gauntlet kubernetes</c> run in-process, as the tool runs it (<see cref="CommandTree.RunAsync"/>), on a fixed
/// clock, in a folder of its own; and what it wrote, read back through the Kubernetes client's models in strict mode
/// (a field the models do not have fails the read).
/// </summary>
internal sealed class ManifestRun : IDisposable
{
    /// <summary>The fixed "now": with the default 2m start delay, the segments start at 14:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 5, 13, 58, 0, TimeSpan.Zero);

    public const string Image = "registry.example.com/gauntlet:0.1.0";

    public string Folder { get; } = Directory.CreateTempSubdirectory("gauntlet-k8s-").FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/> under the folder, making its folders; returns the full path.</summary>
    public string Write(string relativePath, string text) => Write(relativePath, Encoding.UTF8.GetBytes(text));

    public string Write(string relativePath, byte[] content)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> Gauntlet(DateTimeOffset now, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CommandTree.RunAsync(["kubernetes", .. args], new CliConsole(stdout, stderr, interactive: false), new FakeTimeProvider(now));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the command with <paramref name="args"/> and reads its manifests; fails the test unless it exits 0.</summary>
    public static async Task<Manifests> Generate(params string[] args) => await Generate(Now, args);

    public static async Task<Manifests> Generate(DateTimeOffset now, params string[] args)
    {
        var (exit, stdout, stderr) = await Gauntlet(now, args);
        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.Equal("", stderr);
        return Manifests.Read(stdout);
    }
}

/// <summary>The documents of one generated file, each deserialized strictly into its client model.</summary>
internal sealed record Manifests(string Yaml, V1ConfigMap ConfigMap, V1PersistentVolumeClaim? Claim, V1Job Segments, V1Job Merge)
{
    private static readonly Dictionary<string, Type> Kinds = new(StringComparer.Ordinal)
    {
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["batch/v1/Job"] = typeof(V1Job),
    };

    public static Manifests Read(string yaml)
    {
        // A document ends with its line break, as kubectl's reader keeps it (a block scalar's last one depends on it).
        var documents = yaml.Split("\n---\n").Select(d => d.EndsWith('\n') ? d : d + "\n").ToArray();
        // The whole file as kubectl would take it, and each document on its own, both strict.
        var objects = KubernetesYaml.LoadAllFromString(yaml, Kinds, strict: true);
        Assert.Equal(documents.Length, objects.Count);
        var configMap = KubernetesYaml.Deserialize<V1ConfigMap>(documents[0], strict: true);
        var claim = documents.Length == 4 ? KubernetesYaml.Deserialize<V1PersistentVolumeClaim>(documents[1], strict: true) : null;
        var segments = KubernetesYaml.Deserialize<V1Job>(documents[^2], strict: true);
        var merge = KubernetesYaml.Deserialize<V1Job>(documents[^1], strict: true);
        Assert.Equal(["ConfigMap", .. claim is null ? Array.Empty<string>() : ["PersistentVolumeClaim"], "Job", "Job"], objects.Select(o => ((IKubernetesObject)o).Kind));
        return new Manifests(yaml, configMap, claim, segments, merge);
    }

    public V1Container SegmentContainer => Assert.Single(Segments.Spec.Template.Spec.Containers);

    public V1Container MergeContainer => Assert.Single(Merge.Spec.Template.Spec.Containers);

    /// <summary>A file of the ConfigMap by its path under /scenario, as the volume's items lay it out.</summary>
    public byte[] FileAt(string relativePath)
    {
        var volume = Segments.Spec.Template.Spec.Volumes.Single(v => v.ConfigMap is not null);
        var item = Assert.Single(volume.ConfigMap.Items, i => i.Path == relativePath);
        if (ConfigMap.Data?.TryGetValue(item.Key, out var text) == true) return Encoding.UTF8.GetBytes(text);
        return ConfigMap.BinaryData[item.Key];
    }

    /// <summary>
    /// A segment pod's arguments as the kubelet makes them for index <paramref name="index"/>: <c>$(NAME)</c> is the
    /// variable's value when the container declares it, <c>$$</c> is one '$' (Kubernetes' expansion rules).
    /// </summary>
    public IReadOnlyList<string> SegmentArgs(int index)
    {
        var declared = SegmentContainer.Env?.Select(e => e.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["JOB_COMPLETION_INDEX"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return [.. SegmentContainer.Args.Select(a => Expand(a, name => declared.Contains(name) ? values.GetValueOrDefault(name) : null))];
    }

    private static string Expand(string text, Func<string, string?> value)
    {
        var expanded = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                expanded.Append('$');
                i++;
            }
            else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(' && text.IndexOf(')', i) is var end and > 0)
            {
                var name = text[(i + 2)..end];
                expanded.Append(value(name) ?? text[i..(end + 1)]);
                i = end;
            }
            else expanded.Append(text[i]);
        }
        return expanded.ToString();
    }
}
