using System.CommandLine;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>--abort-on RULE</c> of the quick modes: a threshold that also stops the run as soon as it fails, which the
/// scenario file the flags make writes as <c>{ threshold: RULE, abort: true }</c> (see docs/thresholds.md).
/// </summary>
internal sealed class AbortOnFlag
{
    private readonly Option<string[]> _option = new("--abort-on")
    {
        Description = "A --threshold that also stops the run as soon as it fails (repeatable): watched each second, a windowed one such as \"p99 < 50ms over 10s\" on its latest window; in-flight requests finish, the result is written, exit code 1.",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "rule",
    };

    public Option Option => _option;

    /// <summary>The rules given, each checked: one that does not parse, or whose metric is known only at the end, goes to <paramref name="problems"/>.</summary>
    public string[] Read(ParseResult parse, List<string> problems)
    {
        var rules = parse.GetValue(_option) ?? [];
        foreach (var rule in rules)
        {
            if (!Thresholds.Threshold.TryParse(rule, out var watched, out var error))
                problems.Add($"--abort-on '{rule}': {error!.Message}");
            else if (Thresholds.WindowedMetrics.WhyNotLive(watched!) is { } notLive)
                problems.Add($"--abort-on '{rule}': {notLive}");
        }
        return rules;
    }

    /// <summary>The <c>thresholds:</c> line: <paramref name="thresholds"/> as strings, then the rules as aborting mappings.</summary>
    public static string Yaml(IEnumerable<string> thresholds, IEnumerable<string> abortOn) =>
        "thresholds: [" + string.Join(", ", thresholds.Select(QuickYaml.Quote).Concat(abortOn.Select(QuickYaml.Aborting))) + "]\n";
}
