using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Operations;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Targets.Process;
using Gauntlet.Verification;
using Gauntlet.Results;

namespace Gauntlet.ScenarioFiles.Verification;

/// <summary>
/// Reads a scenario's <c>history:</c> (what each operation does to which value) and <c>verify:</c> (the verifiers, with
/// a command as the final read of the target's state):
/// <code>
/// history: { function: write, value: "agent{worker}-{iteration}" }
/// verify:
///   - set: { read: { command: [./store, list], parse: lines } }
///   - counter: { read: { command: [./store, count], parse: { regex: "count: (\\d+)" } } }
///   - unique-ids: { function: read }
///   - queue: { drained: true }
///   - linearizable: { model: kv, timeLimit: 60s }
/// </code>
/// A history's <c>function</c> and <c>value</c> are text (a template) or read from the operation's output:
/// <c>value: { regex: "read (\S+)" }</c>, <c>value: { json: result }</c>.
/// </summary>
internal static class VerifyReader
{
    public static readonly string[] Kinds = ["set", "counter", "unique-ids", "queue", "linearizable"];

    private static readonly string[] HistoryKeys = ["function", "value"];
    private static readonly string[] ReadKinds = ["set", "counter"];
    private static readonly string[] ParseKeys = ["regex", "json"];
    private static readonly string[] ReadKeys = [.. ProcessKind.AllKeys, "parse"];
    private const string Example = "[ { set: { read: { command: [./store, list] } } } ]";

    private static readonly Dictionary<string, string[]> KeysOf = new(StringComparer.Ordinal)
    {
        ["set"] = ["read", "function", "name", "readTimeout"],
        ["counter"] = ["read", "function", "name", "readTimeout"],
        ["unique-ids"] = ["function", "name"],
        ["queue"] = ["enqueue", "dequeue", "drained", "name"],
        ["linearizable"] = ["model", "timeLimit", "name"],
    };

    private static readonly string[] Models = LinearizableModel.BuiltIn.Select(m => m.Name).ToArray();

    /// <summary>The scenario's verifiers; empty when it has none or they are wrong (then reported).</summary>
    public static IReadOnlyList<Verifier> ReadVerifiers(SpecMapping scenario)
    {
        var items = scenario.Sequence("verify", Example);
        if (items is null) return [];
        var verifiers = new List<Verifier>();
        foreach (var (item, display) in items)
        {
            const string example = "{ set: { read: { command: [./store, list] } } }";
            var named = SpecMapping.Open(scenario.Reader, item, display, Kinds, noun: "verifier", example: example);
            if (named?.SingleKey("verifier", Kinds, example) is not { } kind) continue;
            var options = named.Mapping(kind, KeysOf[kind], noun: "key");
            if (options is null) continue;
            if (Read(kind, options) is { } verifier) verifiers.Add(verifier);
        }
        return verifiers;
    }

    private static Verifier? Read(string kind, SpecMapping options)
    {
        var reader = options.Reader;
        var before = reader.Reported;
        options.TryText("name", out var name);
        CommandRead? read = null;
        if (ReadKinds.Contains(kind))
        {
            if (options.Require("read", "give the command that reads the target's final state, such as read: { command: [./store, list] }"))
                read = ReadCommand(options);
        }
        switch (kind)
        {
            case "set":
            {
                var function = options.TryText("function", out var f) ? f : HistoryFunction.Write;
                if (read is null || reader.Reported != before) return null;
                var verifier = Verifier.Set(async token => await read.ReadValuesAsync(token).ConfigureAwait(false), function, name);
                return options.TryDuration("readTimeout", out var timeout) ? verifier.WithFinalReadTimeout(timeout) : verifier;
            }
            case "counter":
            {
                var function = options.TryText("function", out var f) ? f : HistoryFunction.Add;
                if (read is null || reader.Reported != before) return null;
                var verifier = Verifier.Counter(read.ReadNumberAsync, function, name);
                return options.TryDuration("readTimeout", out var timeout) ? verifier.WithFinalReadTimeout(timeout) : verifier;
            }
            case "linearizable":
            {
                if (!options.Require("model", $"name the model the history is checked against: {string.Join(", ", Models)}")) return null;
                if (!options.TryChoice("model", Models, out var model)) return null;
                TimeSpan? limit = options.TryDuration("timeLimit", out var l) ? l : null;
                if (limit is { } given && given <= TimeSpan.Zero)
                {
                    var (entry, display) = options.Find("timeLimit")!.Value;
                    reader.Error(entry.Value, SpecReader.At(display, "must be above 0, such as 60s"));
                }
                return reader.Reported != before ? null : Verifier.Linearizable(LinearizableModel.Find(model)!, limit, name);
            }
            case "unique-ids":
            {
                var function = options.TryText("function", out var f) ? f : HistoryFunction.Read;
                return reader.Reported != before ? null : Verifier.UniqueIds(function, name);
            }
            default:
            {
                var enqueue = options.TryText("enqueue", out var e) ? e : HistoryFunction.Enqueue;
                var dequeue = options.TryText("dequeue", out var d) ? d : HistoryFunction.Dequeue;
                var drained = !options.TryBool("drained", out var b) || b;
                return reader.Reported != before ? null : Verifier.Queue(enqueue, dequeue, drained, name);
            }
        }
    }

    private static CommandRead? ReadCommand(SpecMapping options)
    {
        var read = options.Mapping("read", ReadKeys, example: "{ command: [./store, list], parse: lines }");
        if (read is null) return null;
        var before = read.Reader.Reported;
        var parse = ReadParse(read);
        var process = ProcessKind.Read(read);
        return process is null || parse is null || read.Reader.Reported != before ? null : new CommandRead(process, parse);
    }

    private static OutputParse? ReadParse(SpecMapping read, string key = "parse")
    {
        if (read.Find(key) is not var (entry, display)) return OutputParse.Lines;
        var reader = read.Reader;
        if (entry.Value is ScalarNode { Broken: true }) return null;
        if (entry.Value is ScalarNode scalar && !scalar.IsNull)
        {
            if (scalar.Text == "lines") return OutputParse.Lines;
            reader.Error(scalar, SpecReader.At(display, $"expected lines, {{ regex: ... }} or {{ json: path }}, found '{scalar.Text}'"));
            return null;
        }
        var how = read.Mapping(key, ParseKeys, example: "{ regex: \"id=(\\\\d+)\" }");
        if (how is null) return null;
        var keys = how.Keys.ToList();
        if (keys.Count != 1)
        {
            reader.Error(entry.Value, SpecReader.At(display, "give one of lines, { regex: ... } or { json: path }"));
            return null;
        }
        if (!how.TryText(keys[0], out var text)) return null;
        var (valueNode, valueDisplay) = how.Find(keys[0])!.Value;
        if (keys[0] == "regex")
        {
            try
            {
                return OutputParse.Matches(text);
            }
            catch (ArgumentException e)
            {
                reader.Error(valueNode.Value, SpecReader.At(valueDisplay, $"is not a valid regular expression: {e.Message}"));
                return null;
            }
        }
        if (OutputParse.TryJson(text, out var json)) return json;
        reader.Error(valueNode.Value, SpecReader.At(valueDisplay, $"'{text}' is not a field path such as items or stats.count or items[0].id"));
        return null;
    }

    /// <summary>
    /// Wraps <paramref name="operation"/> so that each operation records <c>history.function</c> and the expanded
    /// <c>history.value</c> template; returns it unchanged (and false) when the scenario has no <c>history:</c>.
    /// </summary>
    public static Operation ReadHistory(SpecMapping scenario, Operation operation, out bool declared)
    {
        declared = false;
        var history = scenario.Mapping("history", HistoryKeys, example: "{ function: write, value: \"agent{worker}-{iteration}\" }");
        if (history is null) return operation;
        declared = true;
        Func<string, string?>? functionFromOutput = null, valueFromOutput = null;
        var function = HistoryFunction.Write;
        if (!ReadsOutput(history, "function"))
        {
            if (history.TryText("function", out var f)) function = f;
        }
        else if (ReadParse(history, "function") is { } functionParse) functionFromOutput = functionParse.Value;
        ArgumentTemplate? value = null;
        if (!ReadsOutput(history, "value"))
        {
            if (history.Has("value") && ProcessKind.TryTemplate(history, "value", out var template, allowEmpty: true)) value = template;
        }
        else if (ReadParse(history, "value") is { } valueParse) valueFromOutput = valueParse.Value;
        var labelled = operation.Labelled(function, value is null ? null : value.Expand);
        if (functionFromOutput is null && valueFromOutput is null) return labelled;
        if (!operation.HasOutput)
        {
            var (entry, display) = (history.Find("value") ?? history.Find("function"))!.Value;
            history.Reader.Error(entry.Value, SpecReader.At(display, $"is read from the operation's output, and a {operation.Name} operation receives none (a process's standard output, a TCP reply or an HTTP response body can be read); give a template such as \"agent{{worker}}-{{iteration}}\""));
        }
        return new LabelledOperation(operation, function, value is null ? null : value.Expand) { FromOutput = (functionFromOutput, valueFromOutput) };
    }

    /// <summary>True when <paramref name="key"/> is read from the output: a mapping (<c>{ regex: ... }</c>, <c>{ json: ... }</c>) rather than text.</summary>
    private static bool ReadsOutput(SpecMapping history, string key) => history.Find(key) is ({ Value: MappingNode }, _);
}
