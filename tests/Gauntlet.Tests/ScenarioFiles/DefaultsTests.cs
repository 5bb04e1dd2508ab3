using Gauntlet.Scenarios.LoadProfiles;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

public sealed class DefaultsTests
{
    private const string Suite = """
        name: kernel-suite
        description: the kernel's seven tests
        defaults:
          operation: { synthetic: { latency: 1ms } }
          load: { closed: { workers: 4 } }
          timeout: 2s
          grace: 5s
          duration: 10s
          thresholds: ["error_rate < 1%"]
        scenarios:
          - name: inherits
          - name: overrides
            description: its own bounds and load
            load: { open: { rate: 100/s } }
            timeout: 500ms
            grace: 0s
            duration: off
            iterations: 200
            thresholds: ["p99 < 50ms"]
        """;

    [Fact]
    public void A_scenario_without_its_own_key_takes_the_default()
    {
        var inherits = Loads(Suite).Scenarios[0];
        Assert.Equal("inherits", inherits.Name);
        Assert.Equal(LoadProfile.Closed(4), inherits.Load);
        Assert.Equal(TimeSpan.FromSeconds(2), inherits.Bounds.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), inherits.Bounds.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(10), inherits.Bounds.Duration);
        Assert.Equal(["error_rate < 1%"], inherits.Thresholds);
    }

    [Fact]
    public void A_scenarios_own_key_replaces_the_default_whole()
    {
        var overrides = Loads(Suite).Scenarios[1];
        var open = Assert.IsType<OpenProfile>(overrides.Load);
        Assert.Equal(100, open.StartRate);
        Assert.Equal(TimeSpan.FromMilliseconds(500), overrides.Bounds.OperationTimeout);
        Assert.Equal(TimeSpan.Zero, overrides.Bounds.GracePeriod);
        Assert.Null(overrides.Bounds.Duration);
        Assert.Equal(200, overrides.Bounds.MaxIterations);
    }

    [Fact]
    public void Default_thresholds_come_first_then_the_scenarios_own()
    {
        Assert.Equal(["error_rate < 1%", "p99 < 50ms"], Loads(Suite).Scenarios[1].Thresholds);
    }

    [Fact]
    public void Suite_name_description_and_scenario_descriptions_are_kept()
    {
        var suite = Loads(Suite).Suite!;
        Assert.Equal("kernel-suite", suite.Name);
        Assert.Equal("the kernel's seven tests", suite.Description);
        Assert.True(suite.IsSuite);
        Assert.Equal("test.yaml", suite.File);
        Assert.Equal(new Dictionary<string, string> { ["overrides"] = "its own bounds and load" }, suite.ScenarioDescriptions);
    }

    [Fact]
    public void Scenarios_keep_file_order()
    {
        Assert.Equal(["inherits", "overrides"], Loads(Suite).Scenarios.Select(s => s.Name));
    }

    [Fact]
    public void A_wrong_default_is_reported_once_for_all_scenarios_that_inherit_it()
    {
        var errors = Errors("""
            defaults:
              timeout: soon
            scenarios:
              - { name: a, operation: { synthetic: {} }, duration: 1s }
              - { name: b, operation: { synthetic: {} }, duration: 1s }
              - { name: c, operation: { synthetic: {} }, duration: 1s }
            """);
        Assert.Equal(["2:12: defaults.timeout: expected a duration such as 250ms, 10s or 1m30s, found 'soon'"], errors);
    }

    [Fact]
    public void An_engine_problem_with_a_default_points_at_the_default()
    {
        var errors = Errors("""
            defaults:
              deadline: 5s
            scenarios:
              - { name: a, operation: { synthetic: {} }, duration: 10s }
            """);
        Assert.Equal(["2:13: defaults.deadline: is 5s, shorter than the duration 10s; raise the deadline or shorten the duration"], errors);
    }
}
