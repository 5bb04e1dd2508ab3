namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>Where the spec tests find their files: the corpus copied beside the assembly, and the repository's examples.</summary>
internal static class RepositoryPaths
{
    /// <summary>tests/fixtures/scenario-files as copied to the output folder by the test project.</summary>
    public static string Corpus => Path.Combine(AppContext.BaseDirectory, "fixtures", "scenario-files");

    /// <summary>The repository root: the nearest folder above the test assembly that holds Gauntlet.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Gauntlet.sln"))) return folder.FullName;
            }
            throw new DirectoryNotFoundException($"no Gauntlet.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string Examples => Path.Combine(RepositoryRoot, "examples");
}
