using System.Security;
using Gauntlet.ScenarioFiles.Operations;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Targets.Process;
using Gauntlet.TestSuites;
using Gauntlet.Thresholds;

namespace Gauntlet.ScenarioFiles;

/// <summary>What loading a test suite file produced: its tests, or every problem found.</summary>
/// <param name="Name">The suite's name (its <c>name:</c>, else the file's name).</param>
/// <param name="Tests">The tests in file order (listed, then discovered); empty whenever there is an error.</param>
/// <param name="Errors">Every problem, in line and column order.</param>
public sealed record TestSuiteLoadResult(string Name, IReadOnlyList<TestCase> Tests, IReadOnlyList<SpecError> Errors)
{
    /// <summary>True when the file has no problem.</summary>
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Loads a test suite file for <c>gauntlet test</c> (see docs/scenario-reference.md, "Test suites"): a list of
/// <c>tests:</c>, each a process command with a name, shared <c>defaults:</c>, and <c>discover:</c> globs of
/// executables. Relative paths (cwd, discovered files, a program with a slash) are relative to the file's folder,
/// which is also every test's default working directory.
/// </summary>
public static class TestSuiteFile
{
    private static readonly string[] TopKeys = ["name", "description", "defaults", "tests", "discover"];
    private static readonly string[] TestKeys = [.. ProcessKind.AllKeys, "name", "thresholds", "skipExitCodes"];
    private static readonly string[] DefaultKeys = [.. ProcessKind.AllKeys, "thresholds", "skipExitCodes"];

    /// <summary>Reads and loads the suite at <paramref name="path"/>.</summary>
    public static TestSuiteLoadResult Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or SecurityException)
        {
            return new TestSuiteLoadResult(path, [], [new SpecError(path, 1, 1, $"cannot read the file: {e.Message.TrimEnd('.')}; check the path and its permissions")]);
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Loads suite YAML held in memory; relative paths are taken from <paramref name="folder"/>.</summary>
    public static TestSuiteLoadResult Parse(string yaml, string fileName, string folder)
    {
        var reader = new SpecReader(fileName, yaml);
        var fallbackName = Path.GetFileNameWithoutExtension(fileName);
        var root = YamlTree.Read(yaml, reader.Error);
        if (root is null)
        {
            if (reader.ErrorCount == 0) reader.Error(new Position(1, 1, 0), "the file is empty; list tests, such as tests: [ { name: smoke, command: [./smoke.sh] } ]");
            return new TestSuiteLoadResult(fallbackName, [], reader.Errors);
        }
        var top = SpecMapping.Open(reader, root, "", TopKeys, example: "{ tests: [ { name: smoke, command: [./smoke.sh] } ] }");
        if (top is null) return new TestSuiteLoadResult(fallbackName, [], reader.Errors);
        top.TryText("name", out var name);
        top.TryText("description", out _);
        var defaults = top.Mapping("defaults", DefaultKeys, example: "{ timeout: 10s, env: { LOG: debug } }");
        var tests = new List<TestCase>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = top.Sequence("tests", "[ { name: smoke, command: [./smoke.sh] } ]");
        foreach (var (item, display) in items ?? [])
        {
            var mapping = SpecMapping.Open(reader, item, display, TestKeys, example: "{ name: smoke, command: [./smoke.sh] }")?.Inheriting(defaults);
            if (mapping is null) continue;
            if (!mapping.TryText("name", out var testName))
            {
                mapping.Require("name", "give each test a unique name, such as name: smoke");
                continue;
            }
            testName = testName.Trim();
            if (names.TryGetValue(testName, out var line))
                reader.Error(mapping.Find("name")!.Value.Entry.Value, SpecReader.At(display + ".name", $"'{testName}' is already the name of the test at line {line}; test names must be unique"));
            else names[testName] = mapping.Find("name")!.Value.Entry.Value.Start.Line;
            var options = ProcessKind.Read(mapping);
            var thresholds = ReadThresholds(mapping);
            var skipCodes = ReadSkipExitCodes(mapping, options);
            if (options is not null) tests.Add(new TestCase(testName, Anchor(options, folder)) { Thresholds = thresholds, SkipExitCodes = skipCodes });
        }
        foreach (var (item, display) in top.Sequence("discover", "[\"tests/*.sh\"]") ?? [])
        {
            if (item is not ScalarNode { IsNull: false } glob)
            {
                reader.Error(item, SpecReader.At(display, $"expected a glob such as \"tests/*.sh\", found {item.Describe()}"));
                continue;
            }
            var found = TestDiscovery.Find(glob.Text, folder, out var error);
            if (error is not null)
            {
                reader.Error(glob, SpecReader.At(display, error));
                continue;
            }
            foreach (var test in found)
            {
                if (names.ContainsKey(test.Name)) continue;
                names[test.Name] = glob.Start.Line;
                var options = defaults is null ? test.Command : (ProcessKind.Read(DefaultsFor(defaults, test)) ?? test.Command);
                var skipCodes = defaults is null ? [] : ReadSkipExitCodes(defaults, options);
                tests.Add(test with { Command = Anchor(options, folder), SkipExitCodes = skipCodes });
            }
        }
        if (items is null && !top.Has("discover") && reader.ErrorCount == 0)
            reader.Error(root, "lists no tests; add tests: [ { name: smoke, command: [./smoke.sh] } ] or discover: [\"tests/*.sh\"]");
        else if (tests.Count == 0 && reader.ErrorCount == 0)
            reader.Error(root, "holds no test: the list is empty and discovery found nothing");
        return reader.ErrorCount == 0
            ? new TestSuiteLoadResult(name?.Trim() ?? fallbackName, tests, [])
            : new TestSuiteLoadResult(name?.Trim() ?? fallbackName, [], reader.Errors);
    }

    /// <summary>A discovered test's command under the suite's defaults: the defaults' keys, with the discovered command.</summary>
    private static SpecMapping DefaultsFor(SpecMapping defaults, TestCase test) => new DiscoveredCommand(defaults, test).Mapping;

    /// <summary>Relative working directories are taken from the suite's folder, which is also the default.</summary>
    private static ProcessOptions Anchor(ProcessOptions options, string folder)
    {
        var escaped = folder.Replace("{", "{{").Replace("}", "}}");
        var cwd = options.WorkingDirectory is not { } given ? ArgumentTemplate.Parse(escaped)
            : given.Text.StartsWith('/') ? given
            : ArgumentTemplate.Parse(escaped + "/" + given.Text);
        return options with { WorkingDirectory = cwd };
    }

    private const string NoKinds = "a test's runs have no operation kinds; per-kind metrics belong to scenarios with a weighted HTTP mix";

    private static List<Threshold> ReadThresholds(SpecMapping mapping)
    {
        var list = new List<Threshold>();
        foreach (var (item, display) in mapping.Sequence("thresholds", "[\"max < 2s\"]") ?? [])
        {
            if (item is not ScalarNode { IsNull: false } scalar)
            {
                mapping.Reader.Error(item, SpecReader.At(display, $"expected a threshold such as \"max < 2s\", found {item.Describe()}"));
                continue;
            }
            var threshold = Threshold.Of(scalar.Text);
            var error = threshold.Error;
            // A test's runs keep no per-second data, so a window could never be judged: say so here, at its 'over'.
            if (error is null && threshold.Window is not null)
                error = new ThresholdParseError(scalar.Text.LastIndexOf(" over", StringComparison.Ordinal) + 2,
                    "a test's runs keep no per-second data, so a threshold cannot be judged over a window here; drop 'over' (windows belong to scenarios)");
            if (error is null)
            {
                // A test's runs have no operation kinds, so a per-kind threshold (p99(valid)) could never be measured.
                if (MetricCatalog.CheckNames(threshold, [], new Dictionary<string, string?>(), NoKinds) is not { } unknownKind)
                {
                    list.Add(threshold);
                    continue;
                }
                error = new ThresholdParseError(scalar.Text.IndexOf('(', StringComparison.Ordinal) + 2, unknownKind);
            }
            mapping.Reader.Error(mapping.Reader.Inside(scalar, error!.Column - 1), SpecReader.At(display, error.Message));
        }
        return list;
    }

    /// <summary>
    /// <c>skipExitCodes: 77</c> or <c>[77, 4]</c>: the exit codes by which a test skips itself. A code the test also
    /// expects (<c>expect.exitCode</c>) would make a pass read as a skip, so it is an error.
    /// </summary>
    private static List<int> ReadSkipExitCodes(SpecMapping mapping, ProcessOptions? options)
    {
        var codes = new List<int>();
        if (mapping.Find("skipExitCodes") is not var (entry, display)) return codes;
        var reader = mapping.Reader;
        IReadOnlyList<Node> items = entry.Value switch
        {
            SequenceNode sequence => sequence.Items,
            ScalarNode { Broken: true } => [],
            _ => [entry.Value],
        };
        if (entry.Value is SequenceNode { Items.Count: 0 })
            reader.Error(entry.Value, SpecReader.At(display, "lists no exit code; give one such as skipExitCodes: [77], or leave the key out"));
        for (var i = 0; i < items.Count; i++)
        {
            var itemDisplay = entry.Value is SequenceNode ? $"{display}[{i}]" : display;
            if (items[i] is not ScalarNode { IsNull: false } scalar || !int.TryParse(scalar.Text.Trim(), out var code) || code is < 0 or > 255)
                reader.Error(items[i], SpecReader.At(itemDisplay, $"expected an exit code from 0 to 255, such as 77, found {items[i].Describe()}"));
            else if ((options?.Checks.ExitCodes ?? ProcessChecks.DefaultExitCodes).Contains(code))
                reader.Error(items[i], SpecReader.At(itemDisplay, $"exit code {code} is also one the test passes with (expect.exitCode, 0 by default); a skip code must differ from those"));
            else codes.Add(code);
        }
        return codes;
    }

    /// <summary>Builds a mapping that is the defaults plus a synthetic <c>command</c>: the simplest way to reuse the process reader.</summary>
    private sealed class DiscoveredCommand(SpecMapping defaults, TestCase test)
    {
        public SpecMapping Mapping
        {
            get
            {
                var reader = new SpecReader("discovered", "");
                var program = test.Command.CommandLine[0].Text;
                var start = new Position(1, 1, 0);
                var command = new SequenceNode(start, start, [new ScalarNode(start, start, program, YamlDotNet.Core.ScalarStyle.DoubleQuoted)]);
                var node = new MappingNode(start, start, [new Entry(new ScalarNode(start, start, "command", YamlDotNet.Core.ScalarStyle.Plain), command)]);
                return SpecMapping.Open(reader, node, "", ProcessKind.AllKeys)!.Inheriting(defaults);
            }
        }
    }
}
