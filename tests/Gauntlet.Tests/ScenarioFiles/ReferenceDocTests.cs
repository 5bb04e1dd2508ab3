using System.Text.RegularExpressions;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>The whole-file examples in docs/scenario-reference.md load as written.</summary>
public sealed partial class ReferenceDocTests
{
    [Theory]
    [InlineData("## A first file", 1)]
    [InlineData("## One scenario, or a suite", 2)]
    [InlineData("## A complete example", 6)]
    [InlineData("## faults", 1)]
    [InlineData("## monitor: prometheus", 1)]
    [InlineData("### grpc", 1)]
    public void Reference_example_loads(string section, int scenarios)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "scenario-reference.md"));
        var start = text.IndexOf("\n" + section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{section}'");
        var yaml = YamlBlock().Match(text, start).Groups[1].Value;
        Assert.Equal(scenarios, Loads(yaml).Scenarios.Count);
    }

    [Fact]
    public void Monitor_section_examples_load_and_the_second_follows_started_processes()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "scenario-reference.md"));
        var start = text.IndexOf("\n## monitor\n", StringComparison.Ordinal);
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var blocks = YamlBlock().Matches(text[start..end]).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, blocks.Count);
        Assert.Equal("redis-server", Loads(blocks[0]).Scenarios.Single().Monitor.ProcessName);
        var started = Loads(blocks[1]).Scenarios.Single().Monitor;
        Assert.True(started.StartedProcesses);
        Assert.Equal(TimeSpan.FromMilliseconds(250), started.Interval);
    }

    [Fact]
    public void Observability_examples_load_and_the_builtin_one_reads_its_servers_metrics_by_path()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "observability.md"));
        var blocks = YamlBlock().Matches(text).Select(m => m.Groups[1].Value).ToList();
        var builtin = Loads(blocks.Single(b => b.Contains("builtin:http", StringComparison.Ordinal))).Scenarios.Single();
        Assert.True(Assert.Single(builtin.Monitor.Prometheus).IsPath);
        Assert.Equal(2, builtin.Thresholds.Count);
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
