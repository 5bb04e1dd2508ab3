using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles;

namespace Gauntlet.Tests.ScenarioFiles;

internal static class SpecAssert
{
    public static readonly Func<string, string?> NoEnvironment = _ => null;

    /// <summary>Parses <paramref name="yaml"/> and asserts it loads, showing every error if it does not.</summary>
    public static SpecLoadResult Loads(string yaml, IReadOnlyDictionary<string, string>? set = null, Func<string, string?>? environment = null)
    {
        var result = ScenarioFile.Parse(yaml, "test.yaml", set, environment ?? NoEnvironment);
        Assert.True(result.Ok, "errors:\n" + string.Join("\n", result.Errors));
        Assert.NotNull(result.Suite);
        return result;
    }

    public static Scenario LoadsOne(string yaml, IReadOnlyDictionary<string, string>? set = null, Func<string, string?>? environment = null) =>
        Assert.Single(Loads(yaml, set, environment).Scenarios);

    /// <summary>Parses <paramref name="yaml"/> and returns its errors as <c>line:col: message</c>.</summary>
    public static List<string> Errors(string yaml, IReadOnlyDictionary<string, string>? set = null, Func<string, string?>? environment = null)
    {
        var result = ScenarioFile.Parse(yaml, "test.yaml", set, environment ?? NoEnvironment);
        Assert.False(result.Ok, "expected errors");
        Assert.Empty(result.Scenarios);
        return [.. result.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}")];
    }
}
