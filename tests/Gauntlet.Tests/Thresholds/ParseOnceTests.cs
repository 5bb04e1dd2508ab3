using Gauntlet.Cli.Commands;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Scenarios;
using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

/// <summary>
/// A threshold is parsed once, where it enters: a YAML file, a flag (through the scenario its --print-yaml shows) and
/// C# all give the scenario the same typed value, and a C# string that does not parse is invalid input, not an exception.
/// </summary>
public sealed class ParseOnceTests
{
    private const string Expression = "throughput >= 3600/h";

    private static Threshold FromYaml(string expression)
    {
        var loaded = ScenarioFile.Parse(
            $"name: s\noperation: {{ process: {{ command: [\"true\"] }} }}\nload: {{ closed: {{ workers: 1 }} }}\niterations: 1\nthresholds: [\"{expression}\"]\n",
            "s.yaml");
        Assert.Empty(loaded.Errors);
        return Assert.Single(Assert.Single(loaded.Scenarios).Thresholds);
    }

    [Fact]
    public async Task Yaml_flags_and_csharp_give_the_same_typed_threshold()
    {
        var csharp = Assert.Single(new Scenario("s", _ => ValueTask.FromResult(Outcome.Ok)).WithThresholds(Expression).Thresholds);
        var yaml = FromYaml(Expression);
        using var stdout = new StringWriter();
        var exit = await CommandTree.RunAsync(["http", "http://127.0.0.1:9/", "--threshold", Expression, "--print-yaml"],
            new CliConsole(stdout, TextWriter.Null, interactive: false));
        Assert.Equal(0, exit);
        var flag = Assert.Single(Assert.Single(ScenarioFile.Parse(stdout.ToString(), "printed.yaml").Scenarios).Thresholds);

        Assert.Equal(Threshold.Parse(Expression), csharp);
        Assert.Equal(csharp, yaml);
        Assert.Equal(csharp, flag);
        Assert.Equal(1.0, csharp.Value, 9);
        Assert.Equal(MetricKind.Rate, csharp.Kind);
        Assert.Equal("throughput >= 3600/h", csharp.ToString());
    }

    [Fact]
    public void A_csharp_string_that_does_not_parse_keeps_its_error_and_fails_validation()
    {
        var scenario = new Scenario("s", _ => ValueTask.FromResult(Outcome.Ok))
            .WithMaxIterations(1)
            .WithThresholds("p99 < 50ms", "p99 < 50xs");

        var bad = scenario.Thresholds[1];
        Assert.NotNull(bad.Error);
        Assert.Equal(9, bad.Error!.Column);
        var problem = Assert.Single(scenario.Validate());
        Assert.Equal("thresholds[1]", problem.Path);
        Assert.Contains("unknown duration unit 'xs'", problem.Message, StringComparison.Ordinal);
        Assert.Throws<ScenarioValidationException>(() => { scenario.EnsureValid(); });
    }

    [Fact]
    public void The_result_echoes_each_threshold_as_written_and_judges_it_with_the_one_evaluator()
    {
        var threshold = Threshold.Of("p99 < 50ms");
        var result = ThresholdEvaluator.Evaluate(threshold, new DictionaryMetricSource("p99", 20_000));

        Assert.Equal(new ThresholdResult("p99 < 50ms", "50ms", 20_000, "20ms", Passed: true, Note: null), result);
        Assert.False(ThresholdEvaluator.Evaluate(Threshold.Of("p99 < 5"), new DictionaryMetricSource("p99", 1)).Passed);
    }
}
