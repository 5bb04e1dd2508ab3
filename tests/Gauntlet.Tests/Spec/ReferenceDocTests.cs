using System.Text.RegularExpressions;
using static Gauntlet.Tests.Spec.SpecAssert;

namespace Gauntlet.Tests.Spec;

/// <summary>The whole-file examples in docs/scenario-reference.md load as written.</summary>
public sealed partial class ReferenceDocTests
{
    [Theory]
    [InlineData("## A first file", 1)]
    [InlineData("## One scenario, or a suite", 2)]
    [InlineData("## A complete example", 6)]
    [InlineData("## faults", 1)]
    public void Reference_example_loads(string section, int scenarios)
    {
        var text = File.ReadAllText(Path.Combine(SpecPaths.RepositoryRoot, "docs", "scenario-reference.md"));
        var start = text.IndexOf("\n" + section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{section}'");
        var yaml = YamlBlock().Match(text, start).Groups[1].Value;
        Assert.Equal(scenarios, Loads(yaml).Scenarios.Count);
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
