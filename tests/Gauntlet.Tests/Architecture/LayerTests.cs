using System.Reflection;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Architecture;

/// <summary>
/// The library's folders form layers whose references only point down (docs/architecture.md). Checked on the compiled
/// assembly (<see cref="AssemblyReferences"/>: signatures and method bodies), so a reference a folder scan of the
/// source would miss (a fully qualified name, a type reached only through a member) still fails the build.
/// </summary>
public sealed class LayerTests
{
    private static readonly Assembly Core = typeof(Scenario).Assembly;

    /// <summary>
    /// Every folder of src/Gauntlet, bottom first. A folder may reference only folders above it in this list (the root
    /// namespace <c>Gauntlet</c>, with Units and Format, sits below all of them). Adding a folder means placing it here.
    /// </summary>
    public static readonly string[] Order =
    [
        // core: the model a C# user builds and reads
        "Results", "Metrics", "Thresholds", "Scenarios",
        // services of the core: each an operation or something the run does to or for one
        "Native", "Verification", "Monitoring", "Sockets", "Faults", "Targets", "Stress",
        // reports read the result model only
        "Reports",
        // the run pipeline
        "Engine", "Search", "Pipeline", "Merging", "TestSuites",
        // scenario files: YAML to the same model
        "ScenarioFiles", "Demo",
    ];

    /// <summary>Folders a report may read, whatever their place in <see cref="Order"/>: the result model, never the engine or a target.</summary>
    private static readonly string[] ReportsMayRead = ["Results", "Metrics"];

    private static readonly Lazy<AssemblyReferences> References = new(() => AssemblyReferences.Read(Core.Location));

    /// <summary>The top folder of a type of the library, "" for the root namespace, null for types outside it.</summary>
    private static string? FolderOf(string fullName)
    {
        var ns = AssemblyReferences.NamespaceOf(fullName);
        if (ns == "Gauntlet") return "";
        return ns.StartsWith("Gauntlet.", StringComparison.Ordinal) ? ns.Split('.')[1] : null;
    }

    /// <summary>Every reference from a type in one folder to a type in another.</summary>
    private static IEnumerable<(string From, string To, string FromFolder, string ToFolder)> CrossFolder() =>
        References.Value.Pairs
            .Select(p => (p.From, p.To, FromFolder: FolderOf(p.From), ToFolder: FolderOf(p.To)))
            .Where(p => p.FromFolder is not null && p.ToFolder is not null && p.FromFolder != p.ToFolder)
            .Select(p => (p.From, p.To, p.FromFolder!, p.ToFolder!));

    [Fact]
    public void References_only_point_down()
    {
        var rank = Order.Select((folder, i) => (folder, i)).ToDictionary(x => x.folder, x => x.i + 1);
        rank[""] = 0;
        var upward = CrossFolder()
            .Where(p => rank.ContainsKey(p.FromFolder) && rank.ContainsKey(p.ToFolder) && rank[p.ToFolder] > rank[p.FromFolder])
            .Select(p => $"{p.From} -> {p.To}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(upward.Count == 0, $"{upward.Count} references point up (docs/architecture.md, LayerTests.Order):\n" + string.Join("\n", upward));
    }

    [Fact]
    public void Reports_read_only_the_result_model()
    {
        var reaching = CrossFolder()
            .Where(p => p.FromFolder == "Reports" && p.ToFolder != "" && !ReportsMayRead.Contains(p.ToFolder))
            .Select(p => $"{p.From} -> {p.To}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(reaching.Count == 0, $"reports read only {string.Join(" and ", ReportsMayRead)}; these reach further:\n" + string.Join("\n", reaching));
    }

    [Fact]
    public void Every_namespace_of_the_library_has_its_place_in_the_order()
    {
        var unplaced = Core.GetTypes()
            .Select(t => FolderOf(t.FullName ?? ""))
            .Where(folder => folder is { Length: > 0 } && !Order.Contains(folder))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(unplaced.Count == 0, $"place these folders in LayerTests.Order and docs/architecture.md: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void The_check_sees_references_in_signatures_and_method_bodies()
    {
        // Known references of today's code, one through a field and one only inside a method body (the engine's
        // worker slot creating an operation context): without them the check above could pass by seeing nothing.
        var pairs = References.Value.Pairs.ToHashSet();

        Assert.Contains(("Gauntlet.Engine.WorkerSlot", "Gauntlet.Scenarios.OperationContext"), pairs);
        Assert.Contains(pairs, p => p.From == "Gauntlet.Scenarios.Scenario" && p.To == "Gauntlet.Scenarios.LoadProfiles.LoadProfile");
        Assert.Contains(CrossFolder(), p => p.FromFolder == "Engine" && p.ToFolder == "Scenarios");
    }
}
