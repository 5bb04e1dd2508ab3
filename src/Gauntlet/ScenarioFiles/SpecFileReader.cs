using Gauntlet.ScenarioFiles.Telemetry;
using Gauntlet.Scenarios;
using Gauntlet.Search;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Searches;
using Gauntlet.ScenarioFiles.Yaml;

namespace Gauntlet.ScenarioFiles;

/// <summary>
/// Reads a whole scenario file: the YAML tree, the variables and their substitution, then either a suite
/// (<c>scenarios:</c> with <c>defaults:</c>) or a single scenario written at the top level.
/// </summary>
internal static class SpecFileReader
{
    private static readonly string[] SuiteKeys = ["name", "description", "variables", "defaults", "scenarios", TelemetryReader.Key];

    private const string ScenarioExample = "- { name: rapid, operation: { synthetic: { latency: 2ms } }, duration: 10s }";

    public static SpecLoadResult Read(string yaml, string fileName, IReadOnlyDictionary<string, string> set, Func<string, string?> environment)
    {
        var file = Parse(yaml, fileName, set, environment);
        if (file.Reads is not { } reads) return new SpecLoadResult(null, [], file.Reader.Errors);
        var reader = file.Reader;
        var searches = new List<BreakingPointSearch>();
        foreach (var read in reads)
        {
            if (read.Search is not { } search) continue;
            var name = read.Scenario.Name;
            var build = SearchReader.Builder(reader, search, read.Scenario, file.VariableNames,
                (parameter, value) => ReadAgain(yaml, fileName, set, environment, name, parameter, value));
            if (build is not null && search.Valid && reader.ErrorCount == 0) searches.Add(new BreakingPointSearch(name, search.Options, build));
        }
        return reader.ErrorCount == 0
            ? new SpecLoadResult(file.Suite, [.. reads.Where(r => r.Search is null).Select(r => r.Scenario)], []) { Searches = searches, Files = reader.Files, Telemetry = file.Telemetry }
            : new SpecLoadResult(file.Suite, [], reader.Errors);
    }

    /// <summary>A search's scenario at one value of a variable: the whole file read again with the variable set, as <c>--set</c> would.</summary>
    private static Scenario ReadAgain(string yaml, string fileName, IReadOnlyDictionary<string, string> set, Func<string, string?> environment,
        string scenario, string variable, long value)
    {
        var withValue = new Dictionary<string, string>(set, StringComparer.Ordinal) { [variable] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var file = Parse(yaml, fileName, withValue, environment);
        if (file.Reader.ErrorCount > 0)
            throw new ScenarioValidationException([.. file.Reader.Errors.Select(e => new Problem("", $"with {variable}={value}: {e}"))]);
        return file.Reads!.First(r => r.Scenario.Name == scenario).Scenario;
    }

    /// <summary>The file read into scenarios; <see cref="ParsedFile.Reads"/> is null when the file is not even a mapping of YAML.</summary>
    private sealed record ParsedFile(SpecReader Reader, SuiteSpec? Suite, List<ScenarioRead>? Reads, IReadOnlySet<string> VariableNames)
    {
        public Pipeline.TelemetryOptions? Telemetry { get; init; }
    }

    private static ParsedFile Parse(string yaml, string fileName, IReadOnlyDictionary<string, string> set, Func<string, string?> environment)
    {
        // A byte order mark that reached us (Parse of text read raw) is not part of the first key, and editors do not count it as a column.
        if (yaml.StartsWith('\uFEFF')) yaml = yaml[1..];
        var reader = new SpecReader(fileName, yaml);
        var root = YamlTree.Read(yaml, reader.Error);
        if (root is null)
        {
            if (reader.ErrorCount == 0)
                reader.Error(new Position(1, 1, 0), "the file is empty (or holds only comments); write a scenario, at least: operation: { synthetic: { latency: 1ms } } and duration: 5s");
            return new ParsedFile(reader, null, null, new HashSet<string>());
        }
        if (root is not MappingNode top)
        {
            reader.Error(root, $"expected a scenario (operation:, load:, ...) or a suite (scenarios:) at the top level, found {root.Describe()}");
            return new ParsedFile(reader, null, null, new HashSet<string>());
        }

        var isSuite = top.Entries.Any(e => e.Key.Value == "scenarios");
        var declared = ReadDeclared(reader, top, environment);
        var values = new Dictionary<string, string>(declared, StringComparer.Ordinal);
        foreach (var (name, value) in set) values[name] = value;
        var variables = new Variables(values, environment);
        Substitute(reader, variables, top, "", new HashSet<Node>(ReferenceEqualityComparer.Instance), isRoot: true);
        ReportUnusedSettings(reader, set, declared, variables.Used);

        var (suite, reads) = isSuite ? ReadSuite(reader, top) : ReadSingle(reader, top, fileName);
        var used = values.Where(v => declared.ContainsKey(v.Key) || variables.Used.Contains(v.Key))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        suite = suite with
        {
            File = fileName,
            IsSuite = isSuite,
            Variables = used,
            ScenarioDescriptions = reads.Where(r => r.Description is not null)
                .GroupBy(r => r.Scenario.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Description!, StringComparer.Ordinal),
        };
        return new ParsedFile(reader, suite, reads, declared.Keys.Union(variables.Used).ToHashSet(StringComparer.Ordinal)) { Telemetry = TelemetryReader.Read(reader, top) };
    }

    private static (SuiteSpec, List<ScenarioRead>) ReadSuite(SpecReader reader, MappingNode top)
    {
        var reads = new List<ScenarioRead>();
        var root = SpecMapping.Open(reader, top, "", SuiteKeys, explain: key => ScenarioReader.Keys.Contains(key) && key is not ("name" or "description")
            ? $"'{key}' belongs to a scenario; put it under 'defaults:' to share it, or in each scenario under 'scenarios:'"
            : null)!;
        root.TryText("name", out var name);
        root.TryText("description", out var description);
        var defaults = root.Mapping("defaults", ScenarioReader.DefaultKeys, example: "{ timeout: 2s, grace: 5s }", explain: key => key is "name" or "description" or "search"
            ? $"'{key}' cannot be a default; each scenario sets its own"
            : null);
        var items = root.Sequence("scenarios", "[ { name: rapid, operation: ..., load: ... } ]");
        if (items is null) return (new SuiteSpec(name, description), reads);
        if (items.Count == 0)
            reader.Error(root.Find("scenarios")!.Value.Entry.Value, $"scenarios: is empty; add at least one scenario, such as {ScenarioExample}");

        var names = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        foreach (var (item, _) in items)
        {
            if (item is ScalarNode { Broken: true }) continue;
            var read = ScenarioReader.Read(reader, item, defaults, defaultName: null, extraKeys: [], explain: key => key is "variables" or "defaults" or "scenarios" or TelemetryReader.Key
                ? $"'{key}' belongs at the top of the file, not inside a scenario"
                : null);
            if (read is null) continue;
            reads.Add(read);
            if (read.NameNode is not { } node || read.Scenario.Name.Length == 0) continue;
            if (names.TryGetValue(read.Scenario.Name, out var first))
                reader.Error(node, $"name: '{read.Scenario.Name}' is already the name of the scenario at line {first.Start.Line}; scenario names must be unique");
            else
                names.Add(read.Scenario.Name, node);
        }
        return (new SuiteSpec(name, description), reads);
    }

    private static (SuiteSpec, List<ScenarioRead>) ReadSingle(SpecReader reader, MappingNode top, string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        string[] known = [.. ScenarioReader.Keys, "variables", "defaults", "scenarios", TelemetryReader.Key];
        var read = ScenarioReader.Read(reader, top, defaults: null, defaultName: stem.Length == 0 ? "scenario" : stem, extraKeys: ["variables", "defaults", TelemetryReader.Key],
            explain: key => DidYouMean.Closest(key, known) == "scenarios" ? $"unknown key '{key}'; did you mean 'scenarios'?" : null);
        if (top.Entries.FirstOrDefault(e => e.Key.Value == "defaults") is { } defaults)
            reader.Error(defaults.Key, "'defaults' applies to the scenarios of a suite; in a file with a single scenario, write the keys in the scenario itself, or list it under 'scenarios:'");
        return read is null
            ? (new SuiteSpec(null, null), [])
            : (new SuiteSpec(read.Scenario.Name, read.Description), [read]);
    }

    /// <summary>The file's <c>variables:</c>: defaults that <c>--set</c> overrides. Their values may use <c>${env:NAME}</c>.</summary>
    private static Dictionary<string, string> ReadDeclared(SpecReader reader, MappingNode top, Func<string, string?> environment)
    {
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        var entry = top.Entries.FirstOrDefault(e => e.Key.Value == "variables");
        if (entry is null || entry.Value is ScalarNode { IsNull: true }) return declared;
        if (entry.Value is not MappingNode mapping)
        {
            reader.Error(entry.Value, $"variables: expected a mapping of names to values, such as {{ rate: 100/s }}, found {entry.Value.Describe()}");
            return declared;
        }
        var environmentOnly = new Variables(new Dictionary<string, string>(), environment);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            var display = "variables." + key.Value;
            if (lines.TryGetValue(key.Value, out var line))
            {
                reader.Error(key, $"variables: duplicate key '{key.Value}' (first at line {line}); keep one");
                continue;
            }
            lines[key.Value] = key.Start.Line;
            if (!Variables.IsName(key.Value))
            {
                reader.Error(key, $"variables: '{key.Value}' is not a valid variable name; use letters, digits, '_', '-' and '.', starting with a letter");
                continue;
            }
            if (value is not ScalarNode scalar || scalar.IsNull)
            {
                reader.Error(value, $"{display}: expected a value such as 100/s, found {value.Describe()}");
                continue;
            }
            if (!environmentOnly.TryExpand(scalar.Value, environmentOnly: true, out var expanded, out var offset, out var error))
            {
                reader.Error(reader.Inside(scalar, offset), $"{display}: {error}");
                continue;
            }
            declared[key.Value] = expanded;
        }
        return declared;
    }

    /// <summary>Expands <c>${...}</c> in every scalar value (not keys, not <c>variables:</c>), each node once even if aliased.</summary>
    private static void Substitute(SpecReader reader, Variables variables, Node node, string path, HashSet<Node> done, bool isRoot = false)
    {
        if (!done.Add(node)) return;
        switch (node)
        {
            case ScalarNode scalar when Variables.HasReference(scalar.Value) && !scalar.Broken:
                scalar.Substituted = true;
                if (variables.TryExpand(scalar.Value, environmentOnly: false, out var text, out var offset, out var error))
                {
                    scalar.Text = text;
                }
                else
                {
                    scalar.Broken = true;
                    reader.Error(reader.Inside(scalar, offset), SpecReader.At(path, error!));
                }
                break;
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    if (isRoot && key.Value == "variables") continue;
                    // A suite's scenarios are shown relative to themselves: "load.open.rate", as in every other message.
                    Substitute(reader, variables, value, isRoot && key.Value == "scenarios" ? "scenarios" : SpecReader.Join(path, key.Value), done);
                }
                break;
            case SequenceNode sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                    Substitute(reader, variables, sequence.Items[i], path == "scenarios" ? "" : $"{path}[{i}]", done);
                break;
        }
    }

    /// <summary>A <c>--set</c> the file neither declares nor uses is almost always a typo; say so rather than run without it.</summary>
    private static void ReportUnusedSettings(SpecReader reader, IReadOnlyDictionary<string, string> set, Dictionary<string, string> declared, IReadOnlySet<string> used)
    {
        var known = declared.Keys.Union(used).Order(StringComparer.Ordinal).ToList();
        foreach (var name in set.Keys.Order(StringComparer.Ordinal))
        {
            if (declared.ContainsKey(name) || used.Contains(name)) continue;
            var hint = DidYouMean.Closest(name, known) is { } meant
                ? $"did you mean '{meant}'?"
                : known.Count == 0 ? "it uses no variables" : "it uses " + string.Join(", ", known);
            reader.Error(new Position(1, 1, 0), $"--set {name}: the file has no variable '{name}'; {hint}");
        }
    }
}
