using Gauntlet.ScenarioFiles;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>
/// Every broken file in tests/fixtures/scenario-files gives exactly the messages in its .expected file, as
/// <c>file:line:col: message</c> lines. A fixture's leading <c># set: name=value</c> comments are passed as
/// <c>--set</c> values. To rewrite the .expected files after an intended message change, run the tests with
/// GAUNTLET_UPDATE_CORPUS=1 and review the diff.
/// </summary>
public sealed class ErrorCorpusTests
{
    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Corpus, "*.yaml").Order(StringComparer.Ordinal))
            cases.Add(Path.GetFileName(file));
        return cases;
    }

    [Fact]
    public void Corpus_has_a_broken_file_for_each_kind_of_mistake()
    {
        Assert.True(Cases().Count >= 20, $"only {Cases().Count} corpus files");
        foreach (var file in Directory.GetFiles(RepositoryPaths.Corpus, "*.yaml"))
            Assert.True(File.Exists(Path.ChangeExtension(file, ".expected")), $"{Path.GetFileName(file)} has no .expected file");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Broken_file_gives_exactly_its_expected_messages(string name)
    {
        var path = Path.Combine(RepositoryPaths.Corpus, name);
        var result = ScenarioFile.Load(path, SetComments(path));
        var actual = result.Errors.Select(e => (e with { File = Path.GetFileName(e.File) }).ToString()).ToList();

        var expectedPath = Path.ChangeExtension(path, ".expected");
        if (Environment.GetEnvironmentVariable("GAUNTLET_UPDATE_CORPUS") == "1")
        {
            var source = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "fixtures", "scenario-files", Path.GetFileName(expectedPath));
            File.WriteAllText(source, string.Join("\n", actual) + "\n");
            return;
        }
        var expected = File.ReadAllLines(expectedPath).Where(line => line.Length > 0).ToList();
        Assert.False(result.Ok, $"{name} loaded without errors");
        Assert.Empty(result.Scenarios);
        Assert.Equal(expected, actual);
    }

    internal static Dictionary<string, string> SetComments(string path)
    {
        var set = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(path).TakeWhile(l => l.StartsWith('#')))
        {
            if (!line.StartsWith("# set: ", StringComparison.Ordinal)) continue;
            var assignment = line["# set: ".Length..];
            var equals = assignment.IndexOf('=');
            set[assignment[..equals]] = assignment[(equals + 1)..];
        }
        return set;
    }
}
