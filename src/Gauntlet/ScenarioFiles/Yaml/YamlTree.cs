using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gauntlet.ScenarioFiles.Yaml;

/// <summary>A point in the source: 1-based line and column, 0-based character index.</summary>
internal readonly record struct Position(int Line, int Column, int Index)
{
    public static Position From(Mark mark) => new((int)mark.Line, (int)mark.Column, (int)mark.Index);
}

/// <summary>A node of a scenario file with where it starts and ends in the source.</summary>
internal abstract class Node(Position start, Position end)
{
    public Position Start { get; } = start;

    public Position End { get; } = end;

    /// <summary>What this node is, for "found ..." messages.</summary>
    public abstract string Describe();
}

/// <summary>A scalar: its text as YAML reads it and, after variable substitution, the text the spec reader types.</summary>
internal sealed class ScalarNode(Position start, Position end, string value, ScalarStyle style) : Node(start, end)
{
    /// <summary>The value as YAML reads it (quotes and escapes resolved), before variable substitution.</summary>
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    /// <summary>The value after <c>${...}</c> substitution; equals <see cref="Value"/> when there was nothing to substitute.</summary>
    public string Text { get; set; } = value;

    /// <summary>True when the value held a <c>${...}</c> reference, so its text no longer lines up with the source.</summary>
    public bool Substituted { get; set; }

    /// <summary>True when substitution failed; the failure is already reported, so readers skip this scalar silently.</summary>
    public bool Broken { get; set; }

    /// <summary>An empty or <c>~</c>/<c>null</c> plain scalar: a key written with no value.</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "no value" : $"'{Text}'";
}

/// <summary>One <c>key: value</c> pair. Keys are scalars; duplicates are kept so the reader can report them.</summary>
internal sealed record Entry(ScalarNode Key, Node Value);

/// <summary>A mapping, with its pairs in source order, duplicates included.</summary>
internal sealed class MappingNode(Position start, Position end, IReadOnlyList<Entry> entries) : Node(start, end)
{
    public IReadOnlyList<Entry> Entries { get; } = entries;

    public override string Describe() => "a mapping";
}

/// <summary>A sequence.</summary>
internal sealed class SequenceNode(Position start, Position end, IReadOnlyList<Node> items) : Node(start, end)
{
    public IReadOnlyList<Node> Items { get; } = items;

    public override string Describe() => "a list";
}

/// <summary>
/// Builds the tree of a scenario file from YamlDotNet's parser events. The representation model would throw at the
/// first duplicate key; reading the events keeps every pair, so all duplicates are reported together with
/// everything else. A syntax error ends reading: YAML cannot be read past it.
/// </summary>
internal sealed class YamlTree
{
    private readonly IParser _parser;
    private readonly Action<Position, string> _error;
    private readonly Dictionary<string, Node> _anchors = new(StringComparer.Ordinal);

    /// <summary>Flow collections (<c>{</c>, <c>[</c>) opened and not yet closed: the usual cause of a syntax error at the end of the file.</summary>
    private readonly Stack<(Position Start, char Bracket)> _openFlows = new();

    /// <summary>Deeper nesting than any scenario needs; the limit keeps a hostile file from exhausting the stack.</summary>
    private const int MaxDepth = 64;

    private int _depth;

    /// <summary>Where the event before the current one ended.</summary>
    private Position _previous = new(1, 1, 0);

    /// <summary>Where the last event read ended: the best place to report a parser failure that has no position.</summary>
    private Position _last = new(1, 1, 0);

    private readonly string _source;

    private YamlTree(string source, Action<Position, string> error)
    {
        _source = source;
        _parser = new Parser(new StringReader(source));
        _error = error;
    }

    /// <summary>The document's root node; null when the file holds no document or cannot be read (the reason is reported).</summary>
    public static Node? Read(string source, Action<Position, string> error) => new YamlTree(source, error).ReadStream();

    private Node? ReadStream()
    {
        try
        {
            _parser.Consume<StreamStart>();
            if (_parser.Accept<StreamEnd>(out _)) return null;
            _parser.Consume<DocumentStart>();
            var root = ReadNode();
            _parser.Consume<DocumentEnd>();
            if (_parser.Accept<DocumentStart>(out var second))
                _error(Position.From(second.Start), "a scenario file holds one YAML document but a second one starts here; put every scenario under 'scenarios:' in the first");
            return root;
        }
        catch (YamlException e)
        {
            // The parser places a tab error at the mapping it was reading; the tab itself is more useful.
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && IndentingTab((int)e.Start.Line) is { } tab)
                _error(tab, "invalid YAML: a tab indents this line; YAML indents with spaces only");
            else if (_openFlows.Count > 0 && ReferenceInFlow() is { } reference)
                // "{ workers: ${n} }": the braces of the reference end the flow mapping early.
                _error(reference, "invalid YAML: inside { } or [ ], a value with ${...} must be quoted, as in \"${name}\"");
            else
                _error(Position.From(e.Start), SyntaxMessage(e.Message) + UnclosedHint());
            return null;
        }
        catch (TooDeepException e)
        {
            _error(e.Position, $"values are nested more than {MaxDepth} levels deep here; a scenario file needs only a few levels");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unclosed flow collections, with no position of its own.
            var (position, bracket) = _openFlows.Count > 0 ? _openFlows.Peek() : (_last, '{');
            _error(position, _openFlows.Count > 0
                ? $"invalid YAML: this '{bracket}' is not closed; add the matching '{(bracket == '{' ? '}' : ']')}'"
                : "invalid YAML: the parser stopped here; check the indentation, quotes and brackets here and on the line above");
            return null;
        }
    }

    private Node ReadNode()
    {
        var start = _parser.Current ?? throw new YamlException("the file ended in the middle of a value");
        _previous = _last;
        _last = Position.From(start.End);
        if (_depth >= MaxDepth) throw new TooDeepException(Position.From(start.Start));
        _parser.MoveNext();
        _depth++;
        try
        {
            return ReadNodeBody(start);
        }
        finally
        {
            _depth--;
        }
    }

    private Node ReadNodeBody(ParsingEvent start)
    {
        Node node;
        string? anchor;
        switch (start)
        {
            case AnchorAlias alias:
                if (_anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                _error(Position.From(alias.Start), $"unknown anchor '*{alias.Value.Value}'; define it first with '&{alias.Value.Value}'");
                return new ScalarNode(Position.From(alias.Start), Position.From(alias.End), "", ScalarStyle.Plain) { Broken = true };
            case Scalar scalar:
                node = new ScalarNode(Position.From(scalar.Start), Position.From(scalar.End), scalar.Value, scalar.Style);
                anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
                break;
            case SequenceStart sequence:
                var items = new List<Node>();
                if (sequence.Style == SequenceStyle.Flow) _openFlows.Push((Position.From(sequence.Start), '['));
                while (!_parser.Accept<SequenceEnd>(out _)) items.Add(ReadNode());
                // Closed before consuming the end: moving past it reads ahead, and that may be what fails.
                if (sequence.Style == SequenceStyle.Flow) _openFlows.Pop();
                var sequenceEnd = _parser.Consume<SequenceEnd>();
                node = new SequenceNode(Position.From(sequence.Start), Position.From(sequenceEnd.End), items);
                anchor = sequence.Anchor.IsEmpty ? null : sequence.Anchor.Value;
                break;
            case MappingStart mapping:
                // A single-pair mapping inside a flow sequence ("[a, b: 1]") comes with an empty start mark: use its first key.
                var mappingStart = Position.From(mapping.Start);
                var bogusStart = mappingStart.Index < _previous.Index;
                var entries = new List<Entry>();
                if (mapping.Style == MappingStyle.Flow) _openFlows.Push((Position.From(mapping.Start), '{'));
                while (!_parser.Accept<MappingEnd>(out _))
                {
                    var key = ReadNode();
                    var value = ReadNode();
                    if (key is ScalarNode name) entries.Add(new Entry(name, value));
                    else _error(key.Start, $"a key must be a plain name such as 'timeout', found {key.Describe()}");
                }
                // Closed before consuming the end: moving past it reads ahead, and that may be what fails.
                if (mapping.Style == MappingStyle.Flow) _openFlows.Pop();
                var mappingEnd = _parser.Consume<MappingEnd>();
                if (bogusStart) mappingStart = entries.Count > 0 ? entries[0].Key.Start : _previous;
                node = new MappingNode(mappingStart, Position.From(mappingEnd.End), entries);
                anchor = mapping.Anchor.IsEmpty ? null : mapping.Anchor.Value;
                break;
            default:
                throw new YamlException(start.Start, start.End, $"unexpected {start.GetType().Name}");
        }
        // Registered once complete, so an alias inside its own anchor is reported as unknown instead of looping.
        if (anchor is not null) _anchors[anchor] = node;
        return node;
    }

    private static string SyntaxMessage(string parserMessage)
    {
        var detail = parserMessage.TrimEnd('.');
        if (detail.Length > 0) detail = char.ToLowerInvariant(detail[0]) + detail[1..];
        return $"invalid YAML: {detail}; check the indentation, quotes and brackets here and on the line above";
    }

    /// <summary>The first unquoted <c>${</c> after the innermost open flow collection, if any.</summary>
    private Position? ReferenceInFlow()
    {
        var open = _openFlows.Peek().Start;
        var quote = '\0';
        for (var i = open.Index; i + 1 < _source.Length; i++)
        {
            var c = _source[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                continue;
            }
            if (c is '"' or '\'') quote = c;
            else if (c == '$' && _source[i + 1] == '{') return PositionAt(i);
        }
        return null;
    }

    private Position PositionAt(int index)
    {
        var lineStart = _source.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        if (index == 0) lineStart = 0;
        var line = 1;
        for (var i = 0; i < lineStart; i++)
        {
            if (_source[i] == '\n') line++;
        }
        return new Position(line, index - lineStart + 1, index);
    }

    /// <summary>The first tab in a line's indentation, from line <paramref name="fromLine"/> on.</summary>
    private Position? IndentingTab(int fromLine)
    {
        var lines = _source.Split('\n');
        var index = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (i + 1 >= fromLine && tab >= 0) return new Position(i + 1, tab + 1, index + tab);
            index += lines[i].Length + 1;
        }
        return null;
    }

    private string UnclosedHint() =>
        _openFlows.Count == 0 ? "" : $" (the '{_openFlows.Peek().Bracket}' at line {_openFlows.Peek().Start.Line}, column {_openFlows.Peek().Start.Column} is not closed)";

    /// <summary>Unwinds reading when nesting exceeds <see cref="MaxDepth"/>.</summary>
    private sealed class TooDeepException(Position position) : Exception("nested too deeply")
    {
        public Position Position { get; } = position;
    }
}
