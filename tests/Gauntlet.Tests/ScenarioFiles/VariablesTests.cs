using Gauntlet.Scenarios.LoadProfiles;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

public sealed class VariablesTests
{
    private const string OpenAtRate = """
        variables: { rate: 100/s, workers: "4" }
        operation: { synthetic: { latency: 1ms } }
        load: { open: { rate: "${rate}" } }
        duration: 1s
        """;

    private static double RateOf(Gauntlet.Scenarios.Scenario scenario) => Assert.IsType<OpenProfile>(scenario.Load).StartRate;

    [Fact]
    public void A_file_variable_is_the_default()
    {
        Assert.Equal(100, RateOf(LoadsOne(OpenAtRate)));
    }

    [Fact]
    public void Set_overrides_the_files_default()
    {
        Assert.Equal(500, RateOf(LoadsOne(OpenAtRate, new Dictionary<string, string> { ["rate"] = "500/s" })));
    }

    [Fact]
    public void Set_supplies_a_variable_the_file_does_not_declare()
    {
        var scenario = LoadsOne("operation: { synthetic: { latency: \"${latency}\" } }\nload: { closed: { workers: \"${n}\" } }\nduration: 1s\n",
            new Dictionary<string, string> { ["latency"] = "2ms", ["n"] = "12" });
        Assert.Equal(12, Assert.IsType<ClosedProfile>(scenario.Load).Workers);
    }

    [Fact]
    public void Inline_default_applies_when_nothing_sets_the_variable()
    {
        var yaml = "operation: { synthetic: {} }\nduration: ${span:-3s}\n";
        Assert.Equal(TimeSpan.FromSeconds(3), LoadsOne(yaml).Bounds.Duration);
        Assert.Equal(TimeSpan.FromSeconds(7), LoadsOne(yaml, new Dictionary<string, string> { ["span"] = "7s" }).Bounds.Duration);
    }

    [Fact]
    public void Environment_variables_are_read_with_an_optional_default()
    {
        var yaml = "operation: { synthetic: {} }\nduration: ${env:SPAN}\ngrace: ${env:GRACE:-2s}\n";
        var scenario = LoadsOne(yaml, environment: name => name == "SPAN" ? "4s" : null);
        Assert.Equal(TimeSpan.FromSeconds(4), scenario.Bounds.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), scenario.Bounds.GracePeriod);
    }

    [Fact]
    public void The_real_environment_is_read_by_default()
    {
        Environment.SetEnvironmentVariable("GAUNTLET_SPEC_TEST_SPAN", "9s");
        try
        {
            var result = Gauntlet.ScenarioFiles.ScenarioFile.Parse("operation: { synthetic: {} }\nduration: ${env:GAUNTLET_SPEC_TEST_SPAN}\n", "x.yaml");
            Assert.True(result.Ok, string.Join("\n", result.Errors));
            Assert.Equal(TimeSpan.FromSeconds(9), result.Scenarios[0].Bounds.Duration);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GAUNTLET_SPEC_TEST_SPAN", null);
        }
    }

    [Fact]
    public void A_file_variable_may_come_from_the_environment()
    {
        var scenario = LoadsOne("variables: { span: \"${env:SPAN:-1s}\" }\noperation: { synthetic: {} }\nduration: ${span}\n",
            environment: name => name == "SPAN" ? "6s" : null);
        Assert.Equal(TimeSpan.FromSeconds(6), scenario.Bounds.Duration);
    }

    [Fact]
    public void References_are_substituted_inside_text_and_escaped_with_a_double_dollar()
    {
        var result = Loads("name: run-${id}\ndescription: costs $${amount}\noperation: { synthetic: {} }\nduration: ${n}s\n",
            new Dictionary<string, string> { ["id"] = "7", ["n"] = "2" });
        Assert.Equal("run-7", result.Scenarios[0].Name);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Scenarios[0].Bounds.Duration);
        Assert.Equal("costs ${amount}", result.Suite!.Description);
    }

    [Fact]
    public void Substituted_thresholds_are_checked_after_substitution()
    {
        Assert.Equal(["p99 < 20ms"], LoadsOne("operation: { synthetic: {} }\nduration: 1s\nthresholds: [\"p99 < ${p99}\"]\n",
            new Dictionary<string, string> { ["p99"] = "20ms" }).Thresholds);
        Assert.Equal(["3:14: thresholds[0]: expected a duration such as 50ms but found '20' (col 7 of 'p99 < 20', from 'p99 < ${p99}')"],
            Errors("operation: { synthetic: {} }\nduration: 1s\nthresholds: [\"p99 < ${p99}\"]\n", new Dictionary<string, string> { ["p99"] = "20" }));
    }

    [Fact]
    public void Missing_variables_are_reported_at_the_reference()
    {
        Assert.Equal(
        [
            "2:13: duration: variable 'span' is not set; pass --set span=VALUE, declare it under 'variables:', or give a default with ${span:-value}",
            "3:8: grace: environment variable 'NOPE' is not set; set it, or give a default with ${env:NOPE:-value}",
        ], Errors("operation: { synthetic: {} }\nduration: 1s${span}\ngrace: ${env:NOPE}\n"));
    }

    [Fact]
    public void A_wrong_value_names_the_reference_it_came_from()
    {
        Assert.Equal(["3:23: load.open.rate: expected a rate such as 1000/s or 60/m, found 'fast' (from '${rate}')"],
            Errors(OpenAtRate, new Dictionary<string, string> { ["rate"] = "fast" }));
    }

    [Fact]
    public void A_set_the_file_never_uses_is_reported_with_the_closest_name()
    {
        Assert.Equal(["1:1: --set rat: the file has no variable 'rat'; did you mean 'rate'?"],
            Errors(OpenAtRate, new Dictionary<string, string> { ["rat"] = "5/s" }));
        Assert.Equal(["1:1: --set x: the file has no variable 'x'; it uses no variables"],
            Errors("operation: { synthetic: {} }\nduration: 1s\n", new Dictionary<string, string> { ["x"] = "1" }));
    }

    [Fact]
    public void Suite_lists_the_variables_in_effect()
    {
        var suite = Loads(OpenAtRate, new Dictionary<string, string> { ["rate"] = "200/s" }).Suite!;
        Assert.Equal(new Dictionary<string, string> { ["rate"] = "200/s", ["workers"] = "4" }, suite.Variables);
    }

    [Fact]
    public void A_file_variables_default_may_not_use_another_variable()
    {
        Assert.Equal(["3:7: variables.b: a variable's default cannot use another variable ('${a}'); write a value or ${env:NAME}"],
            Errors("variables:\n  a: 1s\n  b: \"${a}\"\noperation: { synthetic: {} }\nduration: 1s\n"));
    }

    [Fact]
    public void An_unquoted_reference_inside_braces_gets_a_quoting_hint()
    {
        Assert.Equal(["2:28: invalid YAML: inside { } or [ ], a value with ${...} must be quoted, as in \"${name}\""],
            Errors("operation: { synthetic: {} }\nload: { closed: { workers: ${n} } }\nduration: 1s\n"));
    }
}
