using System.Diagnostics.CodeAnalysis;
using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Yaml;

namespace Gauntlet.ScenarioFiles.Reading;

/// <summary>Reads a quantity from text; false with a message saying what was expected and what was found.</summary>
internal delegate bool ValueParser<T>(string text, out T value, [NotNullWhen(false)] out string? error);

/// <summary>
/// One YAML mapping as the spec reader sees it: its known keys (an unknown one is reported with a did-you-mean),
/// typed getters that report a wrong value at the value's line and column and return nothing, and what each value
/// becomes in the engine (so the engine's own validation can be placed, see <see cref="SourceMap"/>).
/// A scenario's mapping may inherit from the suite's <c>defaults:</c>: its own keys win.
/// </summary>
internal sealed class SpecMapping
{
    private readonly List<Entry> _entries;
    private readonly SpecMapping? _inherited;

    /// <summary>Known keys that an unknown key was taken for ("did you mean"): not reported again as missing.</summary>
    private readonly HashSet<string> _misspelt;

    private SpecMapping(SpecReader reader, Node node, string path, List<Entry> entries, SourceMap? map, string? enginePrefix, SpecMapping? inherited,
        IEnumerable<string>? misspelt = null)
    {
        _misspelt = new HashSet<string>(misspelt ?? [], StringComparer.Ordinal);
        Reader = reader;
        Node = node;
        Path = path;
        _entries = entries;
        Map = map;
        EnginePrefix = enginePrefix;
        _inherited = inherited;
    }

    public SpecReader Reader { get; }

    /// <summary>The mapping node (or the empty scalar of a key written without a value).</summary>
    public Node Node { get; }

    /// <summary>Where this mapping is, for messages: <c>load.closed</c>, <c>defaults</c>, or empty at the top.</summary>
    public string Path { get; }

    /// <summary>Where engine problems about this scenario are placed; null outside a scenario.</summary>
    public SourceMap? Map { get; }

    /// <summary>The engine path of this mapping's options (<c>load</c>, <c>load.stages[0]</c>); null when they are not engine options.</summary>
    public string? EnginePrefix { get; }

    /// <summary>The keys present, own before inherited, each once.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key.Value).Concat(_inherited?.Keys.Where(k => !HasOwn(k)) ?? []);

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping whose keys must be among <paramref name="known"/>. Reports duplicate and
    /// unknown keys. A key written with no value reads as an empty mapping; anything else that is not a mapping is
    /// reported and yields null. <paramref name="explain"/> may give a better message than "unknown key" for a key
    /// that belongs elsewhere.
    /// </summary>
    public static SpecMapping? Open(SpecReader reader, Node node, string path, IReadOnlyCollection<string> known,
        SourceMap? map = null, string? enginePrefix = null, string noun = "key", string? example = null, Func<string, string?>? explain = null)
    {
        if (node is ScalarNode { Broken: true }) return null;
        if (node is ScalarNode { IsNull: true }) return new SpecMapping(reader, node, path, [], map, enginePrefix, null);
        if (node is not MappingNode mapping)
        {
            reader.Error(node, SpecReader.At(path, $"expected a mapping such as {example ?? DescribeKeys(known)}, found {node.Describe()}"));
            return null;
        }
        var entries = new List<Entry>();
        var misspelt = new List<string>();
        var first = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (first.TryGetValue(key, out var earlier))
            {
                reader.Error(entry.Key, SpecReader.At(path, $"duplicate key '{key}' (first at line {earlier.Key.Start.Line}); keep one"));
                continue;
            }
            first.Add(key, entry);
            if (known.Contains(key))
            {
                entries.Add(entry);
                continue;
            }
            var message = explain?.Invoke(key) ?? (key == "<<"
                ? "merge keys ('<<') are not supported; put shared settings under 'defaults:'"
                : $"unknown {noun} '{key}'; {DidYouMean.Hint(key, known)}");
            reader.Error(entry.Key, SpecReader.At(path, message));
            if (DidYouMean.Closest(key, known) is { } meant) misspelt.Add(meant);
            // A misspelt "duration" must not also read as "the scenario would never end".
            map?.Fail(SpecReader.Join(enginePrefix ?? "", "?" + key));
        }
        return new SpecMapping(reader, mapping, path, entries, map, enginePrefix, null, misspelt);
    }

    /// <summary>This mapping with <paramref name="defaults"/> behind it: a key not set here is read from there.</summary>
    public SpecMapping Inheriting(SpecMapping? defaults) =>
        defaults is null ? this : new SpecMapping(Reader, Node, Path, _entries, Map, EnginePrefix, defaults, _misspelt);

    /// <summary>This mapping with no engine paths: for options read only to report their mistakes, such as a second load model.</summary>
    public SpecMapping Detached() => new(Reader, Node, Path, _entries, null, null, _inherited?.Detached(), _misspelt);

    /// <summary>True when the mapping was written with keys, known or not (so "names nothing" would repeat an unknown-key error).</summary>
    public bool WrittenWithKeys => Node is MappingNode { Entries.Count: > 0 };

    /// <summary>
    /// The one key of a list item that names one thing of <paramref name="known"/>, such as <c>{ kill: { every: 2s } }</c>;
    /// null, with the problem reported at the item, when it names none (unless its unknown keys were reported already)
    /// or several (each belongs in its own list item).
    /// </summary>
    public string? SingleKey(string noun, IReadOnlyCollection<string> known, string example)
    {
        var keys = Keys.ToList();
        if (keys.Count == 1) return keys[0];
        if (keys.Count > 1 || !WrittenWithKeys)
            Reader.Error(Node, SpecReader.At(Path, keys.Count == 0
                ? $"names no {noun}; write one of {string.Join(", ", known)}, such as {example}"
                : $"names {keys.Count} {noun}s ({string.Join(", ", keys)}); give each its own list item"));
        return null;
    }

    public bool Has(string key) => Find(key) is not null;

    private bool HasOwn(string key) => _entries.Exists(e => e.Key.Value == key);

    /// <summary>The entry for <paramref name="key"/> and the path it is shown with; own before inherited.</summary>
    public (Entry Entry, string Display)? Find(string key)
    {
        var own = _entries.Find(e => e.Key.Value == key);
        if (own is not null) return (own, SpecReader.Join(Path, key));
        return _inherited?.Find(key);
    }

    /// <summary>Every entry for <paramref name="key"/>, inherited first: for keys that add up, such as thresholds.</summary>
    public IEnumerable<(Entry Entry, string Display)> FindAll(string key)
    {
        if (_inherited?.Find(key) is { } inherited) yield return inherited;
        var own = _entries.Find(e => e.Key.Value == key);
        if (own is not null) yield return (own, SpecReader.Join(Path, key));
    }

    /// <summary>Reports <paramref name="key"/> missing, at this mapping, with what to write; returns false when it is.</summary>
    public bool Require(string key, string hint, string? enginePath = null)
    {
        if (Has(key)) return true;
        // "wokers: 8" is already reported with "did you mean 'workers'?".
        if (!_misspelt.Contains(key)) Reader.Error(Node, SpecReader.At(Path, $"missing '{key}'; {hint}"));
        if (enginePath is not null) Map?.Fail(enginePath);
        return false;
    }

    /// <summary>The engine path of <paramref name="key"/>: <see cref="EnginePrefix"/> joined with the engine's name for it.</summary>
    public string? EnginePath(string key, string? engineName = null) =>
        EnginePrefix is null ? null : SpecReader.Join(EnginePrefix, engineName ?? key);

    /// <summary>Reports the engine's problems about options read through this mapping, at the options' nodes.</summary>
    public void Report(IEnumerable<Problem> problems)
    {
        foreach (var problem in problems)
        {
            var path = EnginePrefix is null ? problem.Path : SpecReader.Join(EnginePrefix, problem.Path);
            if (Map is null)
            {
                Reader.Error(Node, SpecReader.At(SpecReader.Join(Path, problem.Path), problem.Message));
                continue;
            }
            if (Map.Follows(path)) continue;
            var (display, node) = Map.Locate(path);
            Reader.Error(node, SpecReader.At(display, problem.Message));
        }
    }

    /// <summary>Reads <paramref name="key"/> with <paramref name="parse"/>; false when absent or wrong (then reported).</summary>
    public bool TryRead<T>(string key, ValueParser<T> parse, [MaybeNullWhen(false)] out T value, string? engineName = null)
    {
        value = default;
        if (!TryScalar(key, engineName, out var scalar, out var display)) return false;
        if (!parse(scalar.Text, out var parsed, out var error)) return Wrong(key, engineName, scalar, display, error);
        value = parsed;
        return Read(key, engineName, scalar, display);
    }

    /// <summary>Like <see cref="TryRead{T}"/>, but <c>off</c> reads as null: for bounds that can be switched off.</summary>
    public bool TryReadOrOff<T>(string key, ValueParser<T> parse, out T? value, string? engineName = null) where T : struct
    {
        value = null;
        if (!TryScalar(key, engineName, out var scalar, out var display)) return false;
        if (scalar.Text.Trim() == "off") return Read(key, engineName, scalar, display);
        if (!parse(scalar.Text, out var parsed, out var error)) return Wrong(key, engineName, scalar, display, error);
        value = parsed;
        return Read(key, engineName, scalar, display);
    }

    /// <summary>A duration such as <c>250ms</c> (see <see cref="Units.TryParseDuration"/>).</summary>
    public bool TryDuration(string key, out TimeSpan value, string? engineName = null) =>
        TryRead<TimeSpan>(key, Units.TryParseDuration, out value, engineName);

    /// <summary>A duration, or <c>off</c> (null).</summary>
    public bool TryDurationOrOff(string key, out TimeSpan? value, string? engineName = null) =>
        TryReadOrOff<TimeSpan>(key, Units.TryParseDuration, out value, engineName);

    /// <summary>A rate such as <c>1000/s</c>, in operations per second.</summary>
    public bool TryRate(string key, out double perSecond, string? engineName = null) =>
        TryRead<double>(key, Units.TryParseRate, out perSecond, engineName);

    /// <summary>A ratio such as <c>0.1%</c>, as a fraction.</summary>
    public bool TryRatio(string key, out double fraction, string? engineName = null) =>
        TryRead<double>(key, Units.TryParseRatio, out fraction, engineName);

    /// <summary>A size such as <c>64KiB</c>, in bytes.</summary>
    public bool TrySize(string key, out long bytes, string? engineName = null) =>
        TryRead<long>(key, Units.TryParseSize, out bytes, engineName);

    /// <summary>A whole number that fits an <see cref="int"/>.</summary>
    public bool TryInt(string key, out int value, string? engineName = null) =>
        TryRead(key, ParseInt, out value, engineName);

    /// <summary>A whole number.</summary>
    public bool TryLong(string key, out long value, string? engineName = null) =>
        TryRead(key, Units.TryParseInteger, out value, engineName);

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool TryBool(string key, out bool value, string? engineName = null) =>
        TryRead(key, ParseBool, out value, engineName);

    /// <summary>Any text but an empty one.</summary>
    public bool TryText(string key, [NotNullWhen(true)] out string? value, string? engineName = null) =>
        TryRead(key, ParseText, out value, engineName);

    /// <summary>One of <paramref name="choices"/>, exactly as spelt there.</summary>
    public bool TryChoice(string key, IReadOnlyCollection<string> choices, [NotNullWhen(true)] out string? value, string? engineName = null) =>
        TryRead(key, (string text, out string chosen, [NotNullWhen(false)] out string? error) =>
        {
            chosen = text.Trim();
            if (choices.Contains(chosen))
            {
                error = null;
                return true;
            }
            var meant = DidYouMean.Closest(chosen, choices);
            error = $"expected one of {string.Join(", ", choices)}, found '{text}'" + (meant is null ? "" : $"; did you mean '{meant}'?");
            return false;
        }, out value, engineName);

    /// <summary>The mapping under <paramref name="key"/>; null when absent or not a mapping (then reported).</summary>
    public SpecMapping? Mapping(string key, IReadOnlyCollection<string> known, string? enginePath = null, string noun = "key", string? example = null,
        Func<string, string?>? explain = null)
    {
        if (Find(key) is not var (entry, display)) return null;
        var child = Open(Reader, entry.Value, display, known, Map, enginePath, noun, example, explain);
        if (enginePath is not null)
        {
            if (child is null) Map?.Fail(enginePath);
            else Map?.Record(enginePath, display, entry.Value);
        }
        return child;
    }

    /// <summary>The items under <paramref name="key"/> with their display paths; null when absent or not a list (then reported).</summary>
    public IReadOnlyList<(Node Item, string Display)>? Sequence(string key, string example, string? enginePath = null)
    {
        if (Find(key) is not var (entry, display)) return null;
        if (entry.Value is not SequenceNode sequence)
        {
            if (entry.Value is not ScalarNode { Broken: true })
                Reader.Error(entry.Value, SpecReader.At(display, $"expected a list such as {example}, found {entry.Value.Describe()}"));
            if (enginePath is not null) Map?.Fail(enginePath);
            return null;
        }
        if (enginePath is not null) Map?.Record(enginePath, display, sequence);
        return [.. sequence.Items.Select((item, i) => (item, display + $"[{i}]"))];
    }

    private bool TryScalar(string key, string? engineName, [NotNullWhen(true)] out ScalarNode? scalar, out string display)
    {
        scalar = null;
        display = "";
        if (Find(key) is not var (entry, shown)) return false;
        display = shown;
        switch (entry.Value)
        {
            case ScalarNode { Broken: true }:
                FailEngine(key, engineName);
                return false;
            case ScalarNode { IsNull: true } empty:
                Reader.Error(empty, SpecReader.At(display, "has no value; write one or remove the key"));
                FailEngine(key, engineName);
                return false;
            case ScalarNode found:
                scalar = found;
                return true;
            default:
                Reader.Error(entry.Value, SpecReader.At(display, $"expected a single value, found {entry.Value.Describe()}"));
                FailEngine(key, engineName);
                return false;
        }
    }

    private bool Wrong(string key, string? engineName, ScalarNode scalar, string display, string error)
    {
        var origin = scalar.Substituted ? $" (from '{scalar.Value}')" : "";
        Reader.Error(scalar, SpecReader.At(display, error + origin));
        FailEngine(key, engineName);
        return false;
    }

    private void FailEngine(string key, string? engineName)
    {
        if (EnginePath(key, engineName) is { } path) Map?.Fail(path);
    }

    private bool Read(string key, string? engineName, ScalarNode scalar, string display)
    {
        if (EnginePath(key, engineName) is { } path) Map?.Record(path, display, scalar);
        return true;
    }

    private static bool ParseInt(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (!Units.TryParseInteger(text, out var number, out error)) return false;
        if (number is > int.MaxValue or < int.MinValue)
        {
            error = number > 0 ? $"{text.Trim()} is too large; at most {int.MaxValue}" : $"{text.Trim()} is too small; at least {int.MinValue}";
            return false;
        }
        value = (int)number;
        return true;
    }

    private static bool ParseBool(string text, out bool value, [NotNullWhen(false)] out string? error)
    {
        var trimmed = text.Trim();
        value = trimmed == "true";
        error = trimmed is "true" or "false" ? null : $"expected true or false, found '{text}'";
        return error is null;
    }

    private static bool ParseText(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text;
        error = string.IsNullOrWhiteSpace(text) ? "must not be empty" : null;
        return error is null;
    }

    private static string DescribeKeys(IReadOnlyCollection<string> known) =>
        "{ " + string.Join(", ", known.Take(3).Select(k => k + ": ...")) + (known.Count > 3 ? ", ... }" : " }");
}
