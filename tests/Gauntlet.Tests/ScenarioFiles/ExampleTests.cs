using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>The scenario files in examples/ load, and one of them runs to the verdict its README states.</summary>
public sealed class ExampleTests
{
    private static List<string> ExampleFiles() =>
        [.. Directory.GetFiles(RepositoryPaths.Examples, "*.yaml", SearchOption.AllDirectories)
            // Test suites for `gauntlet test` (a top-level tests: list) are loaded by the test runner's tests.
            .Where(file => !File.ReadAllLines(file).Any(line => line.StartsWith("tests:", StringComparison.Ordinal)))
            .Select(file => Path.GetRelativePath(RepositoryPaths.Examples, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> Files() => [.. ExampleFiles()];

    [Fact]
    public void There_is_an_example_per_load_model_and_a_suite()
    {
        Assert.Superset(new HashSet<string>(
            ["closed-ramp/scenario.yaml", "open-rate/scenario.yaml", "iterations-barrier/scenario.yaml", "suite/suite.yaml"]),
            ExampleFiles().ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_loads_without_errors_and_has_a_readme(string file)
    {
        var path = Path.Combine(RepositoryPaths.Examples, file);
        var result = ScenarioFile.Load(path);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.True(result.Scenarios.Count + result.Searches.Count > 0, $"{file} has neither a scenario nor a search");
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "README.md")), $"{file} has no README.md beside it");
    }

    [Fact]
    public async Task Iterations_barrier_example_runs_and_passes_as_its_readme_says()
    {
        var loaded = ScenarioFile.Load(Path.Combine(RepositoryPaths.Examples, "iterations-barrier", "scenario.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));

        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(loaded.Scenarios);

        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal("iterations-barrier", scenario.Name);
        Assert.Equal(Verdict.Passed, scenario.Verdict);
        Assert.True(result.Passed);
        Assert.Equal(1000, scenario.Counts.Started);
        Assert.Equal(1000, scenario.Counts.Ok + scenario.Counts.Failed);
        Assert.All(scenario.Errors, e => Assert.Equal("conflict", e.Kind));
        Assert.NotNull(scenario.StartSpread);
        Assert.Equal(3, scenario.Thresholds.Count);
        Assert.All(scenario.Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText}"));
    }

    [Fact]
    public void Open_rate_example_takes_its_rate_from_set()
    {
        var loaded = ScenarioFile.Load(Path.Combine(RepositoryPaths.Examples, "open-rate", "scenario.yaml"),
            new Dictionary<string, string> { ["rate"] = "1000/s" });
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal(1000, Assert.IsType<Gauntlet.Scenarios.LoadProfiles.OpenProfile>(loaded.Scenarios[0].Load).StartRate);
    }
}
