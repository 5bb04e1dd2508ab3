using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles.Faults;
using Gauntlet.ScenarioFiles.Load;
using Gauntlet.ScenarioFiles.Monitor;
using Gauntlet.ScenarioFiles.Operations;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Searches;
using Gauntlet.ScenarioFiles.Validity;
using Gauntlet.ScenarioFiles.Verification;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Thresholds;

namespace Gauntlet.ScenarioFiles;

/// <summary>A scenario read from a file, with what the file says about it beyond the engine's options.</summary>
internal sealed record ScenarioRead(Scenario Scenario, string? Description, ScalarNode? NameNode)
{
    /// <summary>The scenario's <c>search:</c>, when it is a breaking-point search rather than a plain scenario.</summary>
    public SearchRead? Search { get; init; }
}

/// <summary>
/// Reads one scenario's keys (its own, over the suite's <c>defaults:</c>) into a <see cref="Scenario"/>, then runs the
/// engine's own validation and reports its problems at the nodes they came from.
/// </summary>
internal static class ScenarioReader
{
    /// <summary>Every key a scenario may have.</summary>
    public static readonly string[] Keys =
        ["name", "description", "operation", "load", "warmup", "duration", "iterations", "timeout", "deadline", "grace", "hangAfter", "thresholds", "monitor", "faults", "recover", "history", "verify", "search", "validity"];

    /// <summary>The keys <c>defaults:</c> may set: a scenario's, except those that identify one scenario.</summary>
    public static readonly string[] DefaultKeys = [.. Keys.Where(k => k is not ("name" or "description" or "search"))];

    private const string ThresholdsExample = "[\"p99 < 50ms\", \"error_rate < 1%\"]";

    /// <summary>Stands in for an operation that could not be read, so the rest of the scenario is still checked.</summary>
    private static readonly Operation Placeholder = Operation.From("unread", _ => ValueTask.FromResult(Outcome.Ok));

    /// <summary>Reads the scenario at <paramref name="node"/>; null when it is not even a mapping (then reported).</summary>
    /// <param name="reader">Where errors go.</param>
    /// <param name="node">The scenario's mapping.</param>
    /// <param name="defaults">The suite's <c>defaults:</c>, read for every key the scenario does not set; null in a single-scenario file.</param>
    /// <param name="defaultName">The name when the scenario has none; null when a name is required.</param>
    /// <param name="extraKeys">Keys allowed beside the scenario's own (a single-scenario file's <c>variables</c>).</param>
    /// <param name="explain">A better message than "unknown key" for keys that belong elsewhere.</param>
    public static ScenarioRead? Read(SpecReader reader, Node node, SpecMapping? defaults, string? defaultName,
        IReadOnlyCollection<string> extraKeys, Func<string, string?>? explain)
    {
        var map = new SourceMap(node);
        var own = SpecMapping.Open(reader, node, "", [.. Keys, .. extraKeys], map, enginePrefix: "", example: "{ name: rapid, operation: ..., load: ... }", explain: explain);
        if (own is null) return null;
        var scenario = own.Inheriting(defaults);

        var name = ReadName(scenario, defaultName, out var nameNode);
        scenario.TryText("description", out var description);
        var operation = OperationKinds.Read(scenario);
        if (operation is null)
        {
            var example = OperationKinds.SuggestedExample;
            scenario.Require("operation", $"add what each operation does, such as operation: {{ {example} }}", "operation");
            map.Fail("operation");
        }
        var load = LoadReader.Read(scenario);
        var monitor = MonitorReader.Read(scenario) ?? new();
        var run = VerifyReader.ReadHistory(scenario, operation ?? Placeholder, out var recordsHistory);
        var result = new Scenario(name ?? "", run)
        {
            Verifiers = VerifyReader.ReadVerifiers(scenario),
            RecordsHistory = recordsHistory,
            Load = load ?? LoadProfile.Closed(1),
            Bounds = ReadBounds(scenario),
            // Without an operation (reported above) the kinds are unknown, so per-kind thresholds are not checked.
            Thresholds = ReadThresholds(scenario, operation?.KindNames, monitor.TargetSeries()),
            Monitor = monitor,
            Faults = FaultsReader.Read(scenario),
            Recovery = AgentFaultsReader.ReadRecovery(scenario),
            Validity = ValidityReader.Read(scenario) ?? new(),
        };
        // Thresholds were checked above, where the column inside the expression is known.
        scenario.Report(result.Validate().Where(p => !p.Path.StartsWith("thresholds", StringComparison.Ordinal)));
        return new ScenarioRead(result, description, nameNode) { Search = SearchReader.Read(scenario) };
    }

    private static string? ReadName(SpecMapping scenario, string? defaultName, out ScalarNode? node)
    {
        node = scenario.Find("name")?.Entry.Value as ScalarNode;
        if (scenario.TryText("name", out var name)) return name.Trim();
        if (scenario.Has("name")) return null;
        if (defaultName is not null) return defaultName;
        scenario.Require("name", "give each scenario a unique name, such as name: rapid", "name");
        return null;
    }

    private static Bounds ReadBounds(SpecMapping scenario)
    {
        var bounds = new Bounds();
        if (scenario.TryDurationOrOff("duration", out var duration, "bounds.duration"))
            bounds = bounds with { Duration = duration };
        if (scenario.TryReadOrOff<long>("iterations", Units.TryParseInteger, out var iterations, "bounds.iterations"))
            bounds = bounds with { MaxIterations = iterations };
        if (scenario.TryDurationOrOff("timeout", out var timeout, "bounds.timeout"))
            bounds = bounds with { OperationTimeout = timeout };
        if (scenario.TryDurationOrOff("deadline", out var deadline, "bounds.deadline"))
            bounds = bounds with { Deadline = deadline };
        if (scenario.TryDuration("grace", out var grace, "bounds.grace"))
            bounds = bounds with { GracePeriod = grace };
        if (scenario.TryDurationOrOff("hangAfter", out var hangAfter, "bounds.hangAfter"))
            bounds = bounds with { HangAfter = hangAfter };
        if (scenario.TryDurationOrOff("warmup", out var warmup, "bounds.warmup"))
            bounds = bounds with { Warmup = warmup };
        return bounds;
    }

    /// <summary>
    /// The defaults' thresholds, then the scenario's own; each checked, with the column of its problem inside the file.
    /// A per-kind threshold (<c>p99(valid)</c>) must name one of <paramref name="kinds"/>, unless they are null (unknown).
    /// </summary>
    private static List<Threshold> ReadThresholds(SpecMapping scenario, IReadOnlyList<string>? kinds, IReadOnlyDictionary<string, string?> series)
    {
        var thresholds = new List<Threshold>();
        foreach (var (entry, display) in scenario.FindAll("thresholds"))
        {
            IReadOnlyList<Node> items = entry.Value switch
            {
                SequenceNode sequence => sequence.Items,
                ScalarNode { IsNull: true } or ScalarNode { Broken: true } => [],
                ScalarNode single => [single],    // one threshold need not be a list
                _ => [],
            };
            if (entry.Value is MappingNode)
                scenario.Reader.Error(entry.Value, SpecReader.At(display, $"expected a list such as {ThresholdsExample}, found a mapping"));
            for (var i = 0; i < items.Count; i++)
            {
                var itemDisplay = entry.Value is SequenceNode ? $"{display}[{i}]" : display;
                var item = items[i];
                TimeSpan? abortAfter = null;
                if (item is MappingNode)
                {
                    // { threshold: "p99 < 50ms over 10s", abort: { after: 30s } }: the threshold, watched live.
                    if (ReadAbortingThreshold(scenario, item, itemDisplay, out abortAfter) is not var (inner, innerDisplay)) continue;
                    (item, itemDisplay) = (inner, innerDisplay);
                }
                if (item is not ScalarNode scalar || scalar.IsNull)
                {
                    scenario.Reader.Error(item, SpecReader.At(itemDisplay, $"expected a threshold such as \"p99 < 50ms\" or {AbortingExample}, found {item.Describe()}"));
                    continue;
                }
                if (scalar.Broken) continue;
                scenario.Map?.Record($"thresholds[{thresholds.Count}]", itemDisplay, scalar);
                // Parsed here, once: the scenario holds the typed threshold, and a problem is reported with its place in the file.
                var threshold = Threshold.Of(scalar.Text);
                if (abortAfter is not null) threshold = threshold with { AbortAfter = abortAfter };
                thresholds.Add(threshold);
                var error = threshold.Error;
                if (error is null && abortAfter is not null && WindowedMetrics.WhyNotLive(threshold) is { } notLive)
                    error = new ThresholdParseError(1, notLive);
                else if (error is null)
                {
                    // Without the kinds, only a threshold that cannot be about a kind is checked (last(queue_depth)).
                    if ((kinds is null && threshold.OperationKind is not null)
                        || MetricCatalog.CheckNames(threshold, kinds ?? [], series) is not { } unknownKind) continue;
                    // Points at the kind's name, just inside the parenthesis.
                    error = new ThresholdParseError(scalar.Text.IndexOf('(', StringComparison.Ordinal) + 2, unknownKind);
                }
                var exact = false;
                var position = scalar.Substituted ? scalar.Start : scenario.Reader.Inside(scalar, error!.Column - 1, out exact);
                var where = exact ? "" : scalar.Substituted
                    ? $" (col {error!.Column} of '{scalar.Text}', from '{scalar.Value}')"
                    : $" (col {error!.Column} of the threshold)";
                scenario.Reader.Error(position, SpecReader.At(itemDisplay, error!.Message + where));
            }
        }
        return thresholds;
    }

    private const string AbortingExample = "{ threshold: \"p99 < 50ms over 10s\", abort: { after: 30s } }";

    /// <summary>
    /// A threshold written as a mapping: its <c>threshold:</c> scalar and display path, and in <paramref name="abortAfter"/>
    /// when its <c>abort:</c> starts watching it (<c>true</c> at once, <c>{ after: 30s }</c> later; <c>false</c> or no
    /// <c>abort:</c> never). Null, with the problem reported, when it has no threshold.
    /// </summary>
    private static (Node Threshold, string Display)? ReadAbortingThreshold(SpecMapping scenario, Node item, string display, out TimeSpan? abortAfter)
    {
        abortAfter = null;
        var mapping = SpecMapping.Open(scenario.Reader, item, display, ["threshold", "abort"], example: AbortingExample);
        if (mapping is null) return null;
        if (mapping.Find("abort") is var (abort, abortDisplay))
        {
            switch (abort.Value)
            {
                case ScalarNode { Broken: true }:
                    break;
                case ScalarNode { IsNull: false } flag when flag.Text.Trim() is "true" or "false":
                    abortAfter = flag.Text.Trim() == "true" ? TimeSpan.Zero : null;
                    break;
                case MappingNode:
                    var options = SpecMapping.Open(scenario.Reader, abort.Value, abortDisplay, ["after"], example: "{ after: 30s }");
                    if (options is null) break;
                    abortAfter = options.TryDuration("after", out var after) ? after : TimeSpan.Zero;
                    break;
                default:
                    scenario.Reader.Error(abort.Value, SpecReader.At(abortDisplay, $"expected true, false or a mapping such as {{ after: 30s }} (abort once that long has passed since the scenario started), found {abort.Value.Describe()}"));
                    break;
            }
        }
        if (mapping.Find("threshold") is var (threshold, thresholdDisplay)) return (threshold.Value, thresholdDisplay);
        scenario.Reader.Error(item, SpecReader.At(display, $"names no threshold; write the expression under 'threshold:', as in {AbortingExample}"));
        return null;
    }
}
