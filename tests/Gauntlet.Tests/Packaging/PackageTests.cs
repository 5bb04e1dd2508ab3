using System.Diagnostics;
using System.Xml.Linq;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Packaging;

/// <summary>
/// What `dotnet pack` needs from each packable project (one with a PackageId): a README inside the package (else pack
/// warns "missing a readme" and nuget.org shows an empty page), and pack output that git ignores.
/// </summary>
public sealed class PackageTests
{
    private static readonly string[] Packable =
    [
        "src/Gauntlet/Gauntlet.csproj", "src/Gauntlet.Cli/Gauntlet.Cli.csproj", "src/Gauntlet.Servers/Gauntlet.Servers.csproj",
        "src/Gauntlet.Telemetry/Gauntlet.Telemetry.csproj",
        "src/Gauntlet.Xunit/Gauntlet.Xunit.csproj",
    ];

    public static TheoryData<string> PackableProjects() => [.. Packable];

    [Fact]
    public void Every_project_with_a_package_id_is_listed_here()
    {
        var packable = Directory.GetFiles(Path.Combine(RepositoryPaths.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => XDocument.Load(p).Descendants("PackageId").Any())
            .Select(p => Path.GetRelativePath(RepositoryPaths.RepositoryRoot, p).Replace('\\', '/')).Order();

        Assert.Equal(Packable.Order(), packable);
    }

    [Theory]
    [MemberData(nameof(PackableProjects))]
    public void A_packable_project_packs_an_existing_readme_at_the_package_root(string project)
    {
        var path = Path.Combine(RepositoryPaths.RepositoryRoot, project);
        var xml = XDocument.Load(path);
        var readme = xml.Descendants("PackageReadmeFile").SingleOrDefault()?.Value;
        Assert.False(string.IsNullOrEmpty(readme), $"{project} sets no PackageReadmeFile");

        var packed = xml.Descendants("None").Where(n => (string?)n.Attribute("Pack") == "true" && (string?)n.Attribute("PackagePath") is "/" or "\\" or "")
            .Select(n => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, (string)n.Attribute("Include")!)))
            .Where(f => Path.GetFileName(f) == readme).ToList();
        var file = Assert.Single(packed);
        Assert.True(File.Exists(file), $"{project} packs {file}, which does not exist");
    }

    [Theory]
    [InlineData("nupkg/Gauntlet.0.1.0.nupkg")]
    [InlineData("src/Gauntlet/bin/Release/Gauntlet.0.1.0.nupkg")]
    [InlineData("Gauntlet.Cli.0.1.0.snupkg")]
    [InlineData("artifacts/package/release/x.nupkg")]
    public void Pack_output_is_ignored_by_git(string path)
    {
        var start = new ProcessStartInfo("git", ["check-ignore", "--quiet", "--no-index", path])
        {
            WorkingDirectory = RepositoryPaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(start)!;
        Assert.True(git.WaitForExit(TimeSpan.FromSeconds(30)), "git check-ignore did not finish");
        // 0: ignored; 1: not ignored; anything else: git could not answer (no git, not a work tree).
        Assert.True(git.ExitCode == 0, $"git check-ignore {path} exited {git.ExitCode}: {git.StandardError.ReadToEnd()}");
    }
}
