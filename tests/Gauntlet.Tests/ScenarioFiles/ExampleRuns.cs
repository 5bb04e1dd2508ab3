using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>Runs an example's own scenario file end to end, as the examples' READMEs do: loaded with variables, from the repository root.</summary>
internal static class ExampleRuns
{
    /// <summary>
    /// Loads <c>examples/<paramref name="example"/>/<paramref name="file"/></c> (its text changed by <paramref name="edit"/>
    /// when given) with <paramref name="variables"/>, and runs its one scenario with results in <paramref name="resultsDirectory"/>.
    /// </summary>
    public static async Task<ScenarioResult> RunAsync(string example, string file, Dictionary<string, string> variables, string resultsDirectory,
        Func<string, string>? edit = null)
    {
        var path = Path.Combine(RepositoryPaths.Examples, example, file);
        var text = await File.ReadAllTextAsync(path);
        var loaded = ScenarioFile.Parse(edit is null ? text : edit(text), path, variables);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var scenario = Assert.Single(loaded.Scenarios);

        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = RepositoryPaths.RepositoryRoot;   // the examples' commands are relative to the repository root
        try
        {
            var runner = new Runner(new RunOptions { Environment = TestEnvironment, ResultsDirectory = resultsDirectory });
            return Assert.Single((await runner.RunAsync(scenario)).Scenarios);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
