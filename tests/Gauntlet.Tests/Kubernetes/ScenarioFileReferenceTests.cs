using Gauntlet.ScenarioFiles;
using Gauntlet.Scenarios;
using Mono.Cecil;

namespace Gauntlet.Tests.Kubernetes;

/// <summary>
/// What <c>gauntlet kubernetes</c> relies on below the CLI: the scenario reader lists the files a scenario reads (so
/// they can be shipped with it), and the core library stays free of the Kubernetes client.
/// </summary>
public sealed class ScenarioFileReferenceTests : IDisposable
{
    private readonly ManifestRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public void The_reader_lists_each_body_and_feeder_file_as_written_resolved_and_where_named()
    {
        _run.Write("payload.json", "{}");
        _run.Write("data/users.csv", "name\nada\n");
        _run.Write("ids.json", "[1, 2]");
        var file = _run.Write("orders.yaml", """
            name: orders
            variables: { folder: data }
            operation:
              http:
                url: "http://orders.internal/{{user}}/{{id}}"
                bodyFile: payload.json
                feeders:
                  user: { csv: "${folder}/users.csv" }
                  id: { json: ids.json }
            duration: 10s
            """);

        var loaded = ScenarioFile.Load(file);

        Assert.True(loaded.Ok, string.Join('\n', loaded.Errors));
        Assert.Equal(
            [
                new SpecFileReference("data/users.csv", Path.Combine(_run.Folder, "data/users.csv"), file, 8, 20),
                new SpecFileReference("ids.json", Path.Combine(_run.Folder, "ids.json"), file, 9, 19),
                new SpecFileReference("payload.json", Path.Combine(_run.Folder, "payload.json"), file, 6, 15),
            ],
            loaded.Files);
    }

    [Fact]
    public void A_file_that_reads_nothing_lists_nothing()
    {
        var loaded = ScenarioFile.Parse("operation: { synthetic: { latency: 1ms } }\nduration: 1s\n", "plain.yaml");

        Assert.True(loaded.Ok);
        Assert.Empty(loaded.Files);
    }

    [Fact]
    public void The_core_library_does_not_reference_the_Kubernetes_client()
    {
        using var module = ModuleDefinition.ReadModule(typeof(Scenario).Assembly.Location);

        Assert.DoesNotContain(module.AssemblyReferences, r => r.Name.StartsWith("KubernetesClient", StringComparison.Ordinal));
        Assert.Contains(typeof(Gauntlet.Cli.Kubernetes.ClusterRun).Assembly.GetReferencedAssemblies(), r => r.Name == "KubernetesClient");
    }
}
