using Gauntlet.ScenarioFiles;
using Gauntlet.Tests.Results;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

public sealed class ScenarioFileTests
{
    [Fact]
    public void Error_prints_as_file_line_column_message()
    {
        Assert.Equal("a.yaml:3:7: timeout: bad", new SpecError("a.yaml", 3, 7, "timeout: bad").ToString());
    }

    [Fact]
    public void Missing_file_is_an_error_at_line_one_with_the_systems_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), "gauntlet-no-such-" + Guid.NewGuid().ToString("N") + ".yaml");
        var result = ScenarioFile.Load(path);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 1, 1), (error.File, error.Line, error.Column));
        Assert.StartsWith("cannot read the file: Could not find file", error.Message);
        Assert.EndsWith("; check the path and its permissions", error.Message);
        Assert.Null(result.Suite);
        Assert.Empty(result.Scenarios);
        Assert.False(result.Ok);
    }

    [Fact]
    public void A_folder_is_an_error_that_asks_for_a_file()
    {
        using var folder = new TempFolder();
        var error = Assert.Single(ScenarioFile.Load(folder.Path).Errors);
        Assert.Equal($"{folder.Path}:1:1: is a directory, not a scenario file; give the path of a .yaml file", error.ToString());
    }

    [Fact]
    public void Load_reads_the_file_and_names_errors_by_the_path_given()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "checkout.yaml");
        File.WriteAllText(path, "operation: { synthetic: {} }\nduration: 1s\n");
        var result = ScenarioFile.Load(path);
        Assert.True(result.Ok);
        Assert.Equal("checkout", result.Scenarios[0].Name);

        File.WriteAllText(path, "operation: { synthetic: {} }\nduration: soon\n");
        Assert.Equal(path, Assert.Single(ScenarioFile.Load(path).Errors).File);
    }

    [Fact]
    public void Single_scenario_form_takes_the_scenarios_keys_at_the_top()
    {
        var result = Loads("""
            name: checkout
            description: one scenario, no list
            operation: { synthetic: { latency: 1ms } }
            load: { closed: { workers: 3 } }
            duration: 2s
            thresholds: ["p99 < 50ms"]
            """);
        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal("checkout", scenario.Name);
        Assert.Equal(3, scenario.Load.MaxConcurrency);
        Assert.Equal(["p99 < 50ms"], scenario.Thresholds);
        Assert.False(result.Suite!.IsSuite);
        Assert.Equal("checkout", result.Suite.Name);
        Assert.Equal("one scenario, no list", result.Suite.Description);
    }

    [Fact]
    public void Single_scenario_without_a_name_is_named_after_the_file()
    {
        var result = ScenarioFile.Parse("operation: { synthetic: {} }\nduration: 1s\n", "dir/smoke-test.yaml");
        Assert.Equal("smoke-test", Assert.Single(result.Scenarios).Name);
    }

    [Fact]
    public void Suite_scenarios_need_a_name()
    {
        Assert.Equal(["2:5: missing 'name'; give each scenario a unique name, such as name: rapid"],
            Errors("scenarios:\n  - operation: { synthetic: {} }\n    duration: 1s\n"));
    }

    [Theory]
    [InlineData("thresholds: [p99 < 50]", "1:20")]             // plain: the scalar's column + the parser's - 1
    [InlineData("thresholds: [\"p99 < 50\"]", "1:21")]         // double-quoted without escapes: one more for the quote
    [InlineData("thresholds: ['p99 < 50']", "1:21")]           // single-quoted
    [InlineData("thresholds:\n  - p99 < 50", "2:11")]          // block list
    [InlineData("thresholds: [\"p99\\t< 50\"]", "1:14")]       // an escape: the scalar's start, with the column inside it
    [InlineData("thresholds: ['it''s']", "1:14")]                // '' is one quote: the scalar's start
    public void Threshold_errors_point_inside_the_expression_when_the_text_lines_up(string thresholds, string position)
    {
        var error = Assert.Single(Errors(thresholds + "\noperation: { synthetic: {} }\nduration: 1s\n"));
        Assert.StartsWith(position + ": thresholds", error);
    }

    [Fact]
    public void A_threshold_placed_at_its_start_says_the_column_inside_it()
    {
        Assert.Equal(["1:14: thresholds[0]: expected a duration such as 50ms but found '50' (col 7 of the threshold)"],
            Errors("thresholds: [\"p99\\t< 50\"]\noperation: { synthetic: {} }\nduration: 1s\n"));
    }

    [Fact]
    public void Errors_come_in_line_and_column_order_and_each_once()
    {
        var errors = Errors("""
            scenarios:
              - name: b
                operation: { synthetic: { latency: x } }
                timeout: y
              - name: a
                operation: { synthetic: { latency: x } }
                timeout: y
            """);
        Assert.Equal(errors.OrderBy(e => int.Parse(e.Split(':')[0])).ThenBy(e => int.Parse(e.Split(':')[1])), errors);
        Assert.Equal(errors.Distinct(), errors);
        Assert.Equal(4, errors.Count);
    }

    [Theory]
    [InlineData("\0\u0001\u0002")]
    [InlineData("{{{{")]
    [InlineData("scenarios: [[[]]]")]
    [InlineData("scenarios: &a [*a]")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("!!binary abc")]
    [InlineData("operation: !custom { synthetic: {} }\nduration: 1s\n")]
    [InlineData("a: &x b\nc: *x\nd: *x\n")]
    public void Garbage_never_throws(string yaml)
    {
        var result = ScenarioFile.Parse(yaml, "garbage.yaml");
        Assert.All(result.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, e.ToString()));
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var error = Assert.Single(Errors("a: " + new string('[', 100_000)));
        Assert.Equal("1:67: values are nested more than 64 levels deep here; a scenario file needs only a few levels", error);
    }

    [Fact]
    public void Anchors_and_aliases_share_values_between_scenarios()
    {
        var result = Loads("""
            scenarios:
              - name: one
                operation: &op { synthetic: { latency: 1ms } }
                load: &load { closed: { workers: 3 } }
                duration: 1s
              - name: two
                operation: *op
                load: *load
                duration: 2s
            """);
        Assert.Equal([3, 3], result.Scenarios.Select(s => s.Load.MaxConcurrency));
    }
}

public sealed class LineEndingTests
{
    [Fact]
    public void Windows_line_endings_give_the_same_positions()
    {
        const string yaml = "name: x\noperation: { synthetic: {} }\nduration: 1s\ntimeout: fast\nthresholds: [\"p99 < 50\"]\n";
        Assert.Equal(Errors(yaml), Errors(yaml.Replace("\n", "\r\n", StringComparison.Ordinal)));
        Assert.Equal(["4:10: timeout: expected a duration such as 250ms, 10s or 1m30s, found 'fast'",
            "5:21: thresholds[0]: expected a duration such as 50ms but found '50'"], Errors(yaml));
    }

    [Fact]
    public void A_byte_order_mark_is_ignored()
    {
        LoadsOne("\uFEFFoperation: { synthetic: {} }\nduration: 1s\n");
    }
}
