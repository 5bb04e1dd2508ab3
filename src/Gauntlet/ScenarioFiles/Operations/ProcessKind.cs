using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Targets.Process;

namespace Gauntlet.ScenarioFiles.Operations;

/// <summary>
/// <c>operation: { process: { command: [./bin/tool, --id, "{id}"], env: { K: v }, inheritEnv: true, cwd: /tmp, stdin: text,
/// timeout: 5s, killGrace: 2s, capture: 64KiB, shell: false, expect: { exitCode: [0, 1], stdoutContains: ok,
/// stdoutMatches: "^id: \\d+", stderrContains: ..., stderrMatches: ..., json: { status: ok } } } }</c>:
/// a <see cref="ProcessOperation"/>, one child process per operation.
/// </summary>
internal sealed class ProcessKind : IOperationKind
{
    private static readonly string[] ExpectKeys = ["exitCode", "stdoutContains", "stdoutMatches", "stderrContains", "stderrMatches", "json"];

    public string Name => "process";

    public IReadOnlyCollection<string> Keys => AllKeys;

    /// <summary>The keys of a process mapping.</summary>
    internal static readonly string[] AllKeys =
        ["command", "shell", "env", "inheritEnv", "cwd", "stdin", "timeout", "killGrace", "capture", "expect"];

    public string Example => "process: { command: [./bin/tool, --id, \"{id}\"] }";

    public Operation? Build(SpecMapping options) =>
        Read(options) is { } settings ? new ProcessOperation(settings) : null;

    /// <summary>Reads process options from a mapping with the keys of <see cref="Keys"/>; null when any is wrong (then reported). Shared with test suites.</summary>
    internal static ProcessOptions? Read(SpecMapping options)
    {
        var reader = options.Reader;
        var reportedBefore = reader.Reported;
        var settings = new ProcessOptions();
        options.TryBool("shell", out var shell);
        settings = settings with { Shell = shell };
        settings = settings with { CommandLine = ReadCommand(options, shell) ?? [] };
        if (options.TryBool("inheritEnv", out var inherit)) settings = settings with { InheritEnvironment = inherit };
        settings = settings with { Environment = ReadEnvironment(options) };
        if (TryTemplate(options, "cwd", out var cwd)) settings = settings with { WorkingDirectory = cwd };
        if (Find(options, "stdin") is ScalarNode { IsNull: false } && TryTemplate(options, "stdin", out var stdin, allowEmpty: true))
            settings = settings with { Stdin = stdin };
        if (options.TryDuration("timeout", out var timeout)) settings = settings with { Timeout = timeout };
        if (options.TryDuration("killGrace", out var grace)) settings = settings with { KillGrace = grace };
        if (options.TrySize("capture", out var capture))
        {
            if (capture > int.MaxValue) reader.Error(Find(options, "capture")!, SpecReader.At(options.Path + ".capture", $"must be at most {int.MaxValue} bytes"));
            else settings = settings with { CaptureBytes = (int)capture };
        }
        var expect = options.Mapping("expect", ExpectKeys, example: "{ exitCode: 0, stdoutContains: ok }");
        if (expect is not null) settings = settings with { Checks = ReadChecks(expect) };

        options.Require("command", "give the program and its arguments, such as command: [./bin/tool, --id, \"{id}\"]");
        var problems = settings.Validate().Where(p => !p.Path.StartsWith("command", StringComparison.Ordinal) || options.Has("command")).ToList();
        if (reader.Reported != reportedBefore) return null;
        options.Report(problems);
        return problems.Count == 0 ? settings : null;
    }

    private static IReadOnlyList<ArgumentTemplate>? ReadCommand(SpecMapping options, bool shell)
    {
        if (options.Find("command") is not var (entry, display)) return null;
        var reader = options.Reader;
        switch (entry.Value)
        {
            case ScalarNode { Broken: true }:
                return null;
            case ScalarNode scalar when !shell:
                reader.Error(scalar, SpecReader.At(display,
                    "is one string, which would need a shell to split; write it as a list, such as [./bin/tool, --id, \"{id}\"], or set shell: true to run it with /bin/sh -c"));
                return null;
            case ScalarNode scalar:
                return Template(reader, scalar, display, allowEmpty: false) is { } script ? [script] : null;
            case SequenceNode sequence when shell:
                reader.Error(sequence, SpecReader.At(display, "with shell: true is one script string, such as \"tool --id {id} | grep ok\"; without shell, a list is run as an argv"));
                return null;
            case SequenceNode sequence:
                if (sequence.Items.Count == 0)
                {
                    reader.Error(sequence, SpecReader.At(display, "is empty; give the program and its arguments, such as [./bin/tool, --id, \"{id}\"]"));
                    return null;
                }
                var list = new List<ArgumentTemplate>();
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (sequence.Items[i] is not ScalarNode item || item.IsNull)
                    {
                        reader.Error(sequence.Items[i], SpecReader.At($"{display}[{i}]", $"expected an argument (text), found {sequence.Items[i].Describe()}; quote it"));
                        continue;
                    }
                    if (item.Broken) continue;
                    if (Template(reader, item, $"{display}[{i}]", allowEmpty: i > 0) is { } argument) list.Add(argument);
                }
                return list.Count == sequence.Items.Count ? list : null;
            default:
                reader.Error(entry.Value, SpecReader.At(display, $"expected a list such as [./bin/tool, --id, \"{{id}}\"], found {entry.Value.Describe()}"));
                return null;
        }
    }

    private static Dictionary<string, ArgumentTemplate> ReadEnvironment(SpecMapping options)
    {
        var environment = new Dictionary<string, ArgumentTemplate>(StringComparer.Ordinal);
        if (options.Find("env") is not var (entry, display)) return environment;
        if (entry.Value is ScalarNode { IsNull: true } or ScalarNode { Broken: true }) return environment;
        if (entry.Value is not MappingNode mapping)
        {
            options.Reader.Error(entry.Value, SpecReader.At(display, $"expected a mapping of names to values, such as {{ LOG_LEVEL: debug }}, found {entry.Value.Describe()}"));
            return environment;
        }
        foreach (var (key, value) in mapping.Entries)
        {
            var path = display + "." + key.Value;
            if (environment.ContainsKey(key.Value))
            {
                options.Reader.Error(key, SpecReader.At(display, $"duplicate key '{key.Value}'; keep one"));
                continue;
            }
            if (key.Value.Length == 0 || key.Value.Contains('='))
            {
                options.Reader.Error(key, SpecReader.At(display, $"'{key.Value}' is not a valid environment variable name"));
                continue;
            }
            if (value is not ScalarNode scalar)
            {
                options.Reader.Error(value, SpecReader.At(path, $"expected a value, found {value.Describe()}"));
                continue;
            }
            if (scalar.Broken) continue;
            if (Template(options.Reader, scalar, path, allowEmpty: true, nullIsEmpty: true) is { } template) environment[key.Value] = template;
        }
        return environment;
    }

    private static ProcessChecks ReadChecks(SpecMapping expect)
    {
        var checks = new ProcessChecks();
        var reader = expect.Reader;
        if (expect.Find("exitCode") is var (entry, display))
        {
            IReadOnlyList<Node> items = entry.Value switch
            {
                SequenceNode sequence => sequence.Items,
                ScalarNode { Broken: true } => [],
                _ => [entry.Value],
            };
            var codes = new List<int>();
            for (var i = 0; i < items.Count; i++)
            {
                var itemDisplay = entry.Value is SequenceNode ? $"{display}[{i}]" : display;
                if (items[i] is not ScalarNode { IsNull: false } scalar || !int.TryParse(scalar.Text.Trim(), out var code) || code is < 0 or > 255)
                    reader.Error(items[i], SpecReader.At(itemDisplay, $"expected an exit code from 0 to 255, found {items[i].Describe()}"));
                else codes.Add(code);
            }
            if (codes.Count > 0) checks = checks with { ExitCodes = codes };
        }
        if (expect.TryText("stdoutContains", out var stdoutContains)) checks = checks with { StdoutContains = stdoutContains };
        if (TryPattern(expect, "stdoutMatches", out var stdoutPattern)) checks = checks with { StdoutMatches = stdoutPattern };
        if (expect.TryText("stderrContains", out var stderrContains)) checks = checks with { StderrContains = stderrContains };
        if (TryPattern(expect, "stderrMatches", out var stderrPattern)) checks = checks with { StderrMatches = stderrPattern };
        if (expect.Find("json") is var (jsonEntry, jsonDisplay))
        {
            if (jsonEntry.Value is not MappingNode mapping)
            {
                reader.Error(jsonEntry.Value, SpecReader.At(jsonDisplay, $"expected a mapping of field paths to values, such as {{ status: ok, items[0].id: 3 }}, found {jsonEntry.Value.Describe()}"));
            }
            else
            {
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Entries)
                {
                    if (value is not ScalarNode scalar || scalar.Broken)
                    {
                        if (value is not ScalarNode) reader.Error(value, SpecReader.At($"{jsonDisplay}.{key.Value}", $"expected a value such as ok, 3 or true, found {value.Describe()}"));
                        continue;
                    }
                    if (!JsonPath.TryParse(key.Value, out _))
                    {
                        reader.Error(key, SpecReader.At(jsonDisplay, $"'{key.Value}' is not a field path; write names and [n] indices joined by dots, such as items[0].id"));
                        continue;
                    }
                    fields[key.Value] = scalar.IsNull ? "null" : scalar.Text;
                }
                checks = checks with { JsonEquals = fields };
            }
        }
        return checks;
    }

    private static bool TryPattern(SpecMapping expect, string key, out System.Text.RegularExpressions.Regex pattern)
    {
        pattern = null!;
        if (!expect.TryText(key, out var text)) return false;
        try
        {
            pattern = ProcessChecks.Pattern(text);
            return true;
        }
        catch (ArgumentException e)
        {
            expect.Reader.Error(expect.Find(key)!.Value.Entry.Value, SpecReader.At(expect.Path + "." + key, $"is not a valid regular expression: {e.Message}"));
            return false;
        }
    }

    private static Node? Find(SpecMapping options, string key) => options.Find(key)?.Entry.Value;

    internal static bool TryTemplate(SpecMapping options, string key, out ArgumentTemplate template, bool allowEmpty = false)
    {
        template = null!;
        if (options.Find(key) is not var (entry, display)) return false;
        if (entry.Value is not ScalarNode scalar || scalar.IsNull)
        {
            options.Reader.Error(entry.Value, SpecReader.At(display, $"expected text, found {entry.Value.Describe()}"));
            return false;
        }
        if (scalar.Broken) return false;
        var parsed = Template(options.Reader, scalar, display, allowEmpty);
        if (parsed is null) return false;
        template = parsed;
        return true;
    }

    private static ArgumentTemplate? Template(SpecReader reader, ScalarNode scalar, string display, bool allowEmpty, bool nullIsEmpty = false)
    {
        var text = nullIsEmpty && scalar.IsNull ? "" : scalar.Text;
        if (!allowEmpty && text.Length == 0)
        {
            reader.Error(scalar, SpecReader.At(display, "must not be empty"));
            return null;
        }
        if (ArgumentTemplate.TryParse(text, out var template, out var error, out var offset)) return template;
        reader.Error(scalar.Substituted ? scalar.Start : reader.Inside(scalar, offset), SpecReader.At(display, error!));
        return null;
    }
}
