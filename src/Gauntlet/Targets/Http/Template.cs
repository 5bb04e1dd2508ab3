using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Gauntlet.Targets.Http;

/// <summary>
/// Text with <c>{{name}}</c> placeholders, filled per operation from data feeders (<c>{{tool}}</c>,
/// <c>{{user.id}}</c>) or from the operation itself (<c>{{iteration}}</c>, <c>{{worker}}</c>, <c>{{op}}</c>).
/// <c>${name}</c> is a different thing: a variable, replaced once when the file is loaded.
/// </summary>
/// <remarks>
/// Literal parts are kept as UTF-8 and feeder values are encoded once when they are loaded, so rendering into bytes
/// (the raw HTTP/1.1 path) copies spans and formats numbers in place, allocating nothing. A template made for JSON
/// (<see cref="ForJson"/>) knows, per placeholder, whether it sits inside a string literal: such a value is escaped as
/// it is copied (a quote, a backslash, a control character), still without allocating.
/// </remarks>
public sealed class Template
{
    /// <summary>The placeholders filled from the operation rather than from a feeder.</summary>
    public static readonly IReadOnlyList<string> BuiltIns = ["iteration", "worker", "op"];

    private readonly Part[] _parts;

    private Template(string text, Part[] parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>True when the template has no placeholder: it renders to the same text every time.</summary>
    public bool IsConstant => _parts.All(p => p.Kind == PartKind.Literal);

    /// <summary>
    /// This template as JSON text: a placeholder inside a string literal (<c>"text": "{{name}}"</c>) has its value
    /// escaped as a JSON string's content, so a quote, a backslash or a newline in a feeder value stays text; one outside
    /// a string (<c>"n": {{id}}</c>) is inserted as it is, a number or a literal. Decided here, once per placeholder, by
    /// reading the literal text before it.
    /// </summary>
    internal Template ForJson()
    {
        var parts = new Part[_parts.Length];
        var inString = false;
        var escaped = false;
        for (var p = 0; p < parts.Length; p++)
        {
            var part = _parts[p];
            if (part.Kind == PartKind.Literal)
            {
                foreach (var c in part.Text!)
                {
                    if (escaped) escaped = false;
                    else if (c == '"') inString = !inString;
                    else if (c == '\\' && inString) escaped = true;
                }
                parts[p] = part;
            }
            else
            {
                // A value right after a lone backslash completes that escape; the literal after it starts fresh.
                parts[p] = part with { JsonString = inString && !escaped };
                escaped = false;
            }
        }
        return new Template(Text, parts);
    }

    /// <summary>Indexes of the feeders the template reads.</summary>
    internal IEnumerable<int> Feeders => _parts.Where(p => p.Kind == PartKind.Feeder).Select(p => p.Feeder).Distinct();

    /// <summary>
    /// Parses <paramref name="text"/>, resolving each placeholder against <paramref name="feeders"/>. On failure
    /// <paramref name="errorOffset"/> is where the bad placeholder starts.
    /// </summary>
    internal static bool TryParse(string text, IReadOnlyList<Feeder> feeders, out Template template, out int errorOffset, out string? error)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var i = 0;
        template = null!;
        errorOffset = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                literal.Append(text, i, text.Length - i);
                break;
            }
            literal.Append(text, i, open - i);
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errorOffset = open;
                error = "'{{' is not closed by '}}'";
                return false;
            }
            var name = text.Substring(open + 2, close - open - 2).Trim();
            if (!TryResolve(name, feeders, out var part, out error))
            {
                errorOffset = open;
                return false;
            }
            if (literal.Length > 0) parts.Add(Part.Literal(literal.ToString()));
            literal.Clear();
            parts.Add(part);
            i = close + 2;
        }
        if (literal.Length > 0) parts.Add(Part.Literal(literal.ToString()));
        template = new Template(text, [.. parts]);
        error = null;
        return true;
    }

    /// <summary>Joins texts (<see cref="string"/>) and templates into one template.</summary>
    internal static Template Concat(params object[] pieces)
    {
        var parts = new List<Part>();
        var text = new StringBuilder();
        foreach (var piece in pieces)
        {
            switch (piece)
            {
                case string literal when literal.Length > 0:
                    parts.Add(Part.Literal(literal));
                    text.Append(literal);
                    break;
                case string:
                    break;
                case Template template:
                    parts.AddRange(template._parts);
                    text.Append(template.Text);
                    break;
                default:
                    throw new ArgumentException($"cannot join a {piece?.GetType().Name ?? "null"} into a template", nameof(pieces));
            }
        }
        // Neighbouring literals become one, so a template without placeholders renders as one copy.
        var merged = new List<Part>();
        foreach (var part in parts)
        {
            if (part.Kind == PartKind.Literal && merged.Count > 0 && merged[^1].Kind == PartKind.Literal)
                merged[^1] = Part.Literal(merged[^1].Text + part.Text);
            else merged.Add(part);
        }
        return new Template(text.ToString(), [.. merged]);
    }

    /// <summary>
    /// A template with no placeholders: <paramref name="text"/> as it is, braces included. This is how C# code gives an
    /// <see cref="HttpRequestKind"/> a fixed URL, header value or body.
    /// </summary>
    public static Template Constant(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(text, text.Length == 0 ? [] : [Part.Literal(text)]);
    }

    private static bool TryResolve(string name, IReadOnlyList<Feeder> feeders, out Part part, out string? error)
    {
        part = default;
        error = null;
        switch (name)
        {
            case "iteration": part = new Part(PartKind.Iteration, null, null, 0, 0); return true;
            case "worker": part = new Part(PartKind.Worker, null, null, 0, 0); return true;
            case "op": part = new Part(PartKind.OperationId, null, null, 0, 0); return true;
        }
        var dot = name.IndexOf('.');
        var feederName = dot < 0 ? name : name[..dot];
        var column = dot < 0 ? null : name[(dot + 1)..];
        var index = -1;
        for (var f = 0; f < feeders.Count; f++)
            if (feeders[f].Name == feederName) index = f;
        if (index < 0)
        {
            var known = feeders.Select(f => f.Name).Concat(BuiltIns).ToList();
            error = $"'{{{{{name}}}}}' names no feeder; known: {string.Join(", ", known)}";
            return false;
        }
        var feeder = feeders[index];
        int columnIndex;
        if (column is null)
        {
            if (feeder.Columns.Count != 1)
            {
                error = $"feeder '{feederName}' has columns {string.Join(", ", feeder.Columns)}; write '{{{{{feederName}.{feeder.Columns[0]}}}}}'";
                return false;
            }
            columnIndex = 0;
        }
        else
        {
            columnIndex = IndexOf(feeder.Columns, column);
            if (columnIndex < 0)
            {
                error = $"feeder '{feederName}' has no column '{column}'; its columns: {string.Join(", ", feeder.Columns)}";
                return false;
            }
        }
        part = new Part(PartKind.Feeder, null, null, index, columnIndex);
        return true;
    }

    private static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (var c = 0; c < columns.Count; c++)
            if (columns[c] == column) return c;
        return -1;
    }

    /// <summary>
    /// Splits off the first <paramref name="length"/> characters when they are literal text (the scheme and authority of
    /// a URL), returning the rest as its own template; false when a placeholder falls inside them.
    /// </summary>
    internal bool TrySplitLiteralPrefix(int length, out string prefix, out Template rest)
    {
        prefix = "";
        rest = this;
        if (length == 0) return true;
        if (_parts.Length == 0 || _parts[0].Kind != PartKind.Literal || _parts[0].Text!.Length < length) return false;
        var first = _parts[0].Text!;
        prefix = first[..length];
        var remaining = first.Length == length ? _parts[1..] : [Part.Literal(first[length..]), .. _parts[1..]];
        rest = new Template(Text[length..], remaining);
        return true;
    }

    /// <summary>Renders to text; <paramref name="rows"/> holds the row drawn from each feeder for this operation.</summary>
    internal string Render(IReadOnlyList<Feeder> feeders, ReadOnlySpan<int> rows, in OperationValues values)
    {
        if (_parts.Length == 1 && _parts[0].Kind == PartKind.Literal) return _parts[0].Text!;
        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            switch (part.Kind)
            {
                case PartKind.Literal: builder.Append(part.Text); break;
                case PartKind.Feeder when part.JsonString: JsonEscape(builder, feeders[part.Feeder].Text(rows[part.Feeder], part.Column)); break;
                case PartKind.Feeder: builder.Append(feeders[part.Feeder].Text(rows[part.Feeder], part.Column)); break;
                case PartKind.Iteration: builder.Append(values.Iteration); break;
                case PartKind.Worker: builder.Append(values.Worker); break;
                case PartKind.OperationId: builder.Append(values.OperationId); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>The rendered length in bytes, to size a buffer before <see cref="RenderUtf8"/>.</summary>
    internal int MaxUtf8Length(IReadOnlyList<Feeder> feeders, ReadOnlySpan<int> rows)
    {
        var length = 0;
        foreach (var part in _parts)
        {
            length += part.Kind switch
            {
                PartKind.Literal => part.Utf8!.Length,
                PartKind.Feeder when part.JsonString => JsonEscapedLength(feeders[part.Feeder].Utf8(rows[part.Feeder], part.Column)),
                PartKind.Feeder => feeders[part.Feeder].Utf8(rows[part.Feeder], part.Column).Length,
                _ => 20,
            };
        }
        return length;
    }

    /// <summary>Renders as UTF-8 into <paramref name="destination"/>, which must hold <see cref="MaxUtf8Length"/> bytes; returns the bytes written.</summary>
    internal int RenderUtf8(IReadOnlyList<Feeder> feeders, ReadOnlySpan<int> rows, in OperationValues values, Span<byte> destination)
    {
        var written = 0;
        foreach (var part in _parts)
        {
            var rest = destination[written..];
            switch (part.Kind)
            {
                case PartKind.Literal:
                    part.Utf8.AsSpan().CopyTo(rest);
                    written += part.Utf8!.Length;
                    break;
                case PartKind.Feeder:
                    var value = feeders[part.Feeder].Utf8(rows[part.Feeder], part.Column);
                    if (part.JsonString)
                    {
                        written += JsonEscape(value, rest);
                        break;
                    }
                    value.CopyTo(rest);
                    written += value.Length;
                    break;
                case PartKind.Iteration: written += Number(values.Iteration, rest); break;
                case PartKind.Worker: written += Number(values.Worker, rest); break;
                case PartKind.OperationId: written += Number(values.OperationId, rest); break;
            }
        }
        return written;
    }

    private static int Number(long value, Span<byte> destination) =>
        Utf8Formatter.TryFormat(value, destination, out var written) ? written : throw new InvalidOperationException("template buffer too small");

    // What a JSON string may not hold as it is: the quote, the backslash and the control characters (RFC 8259, 7).
    private static readonly SearchValues<char> JsonSpecialChars = SearchValues.Create("\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");
    private static readonly SearchValues<byte> JsonSpecialBytes = SearchValues.Create("\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"u8);

    /// <summary>Appends <paramref name="value"/> as a JSON string's content; a value with nothing to escape is one append.</summary>
    private static void JsonEscape(StringBuilder builder, string value)
    {
        var span = value.AsSpan();
        int next;
        while ((next = span.IndexOfAny(JsonSpecialChars)) >= 0)
        {
            builder.Append(span[..next]);
            var c = span[next];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default: builder.Append("\\u00").Append(HexDigit(c >> 4)).Append(HexDigit(c & 0xF)); break;
            }
            span = span[(next + 1)..];
        }
        builder.Append(span);
    }

    /// <summary>The length of <paramref name="value"/> (UTF-8) once escaped as a JSON string's content.</summary>
    private static int JsonEscapedLength(ReadOnlySpan<byte> value)
    {
        var length = value.Length;
        int next;
        while ((next = value.IndexOfAny(JsonSpecialBytes)) >= 0)
        {
            length += value[next] is (byte)'"' or (byte)'\\' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\b' or (byte)'\f' ? 1 : 5;
            value = value[(next + 1)..];
        }
        return length;
    }

    /// <summary>Writes <paramref name="value"/> (UTF-8) escaped as a JSON string's content; returns the bytes written.</summary>
    private static int JsonEscape(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        var written = 0;
        int next;
        while ((next = value.IndexOfAny(JsonSpecialBytes)) >= 0)
        {
            value[..next].CopyTo(destination[written..]);
            written += next;
            var b = value[next];
            destination[written++] = (byte)'\\';
            switch (b)
            {
                case (byte)'"' or (byte)'\\': destination[written++] = b; break;
                case (byte)'\n': destination[written++] = (byte)'n'; break;
                case (byte)'\r': destination[written++] = (byte)'r'; break;
                case (byte)'\t': destination[written++] = (byte)'t'; break;
                case (byte)'\b': destination[written++] = (byte)'b'; break;
                case (byte)'\f': destination[written++] = (byte)'f'; break;
                default:
                    "u00"u8.CopyTo(destination[written..]);
                    written += 3;
                    destination[written++] = (byte)HexDigit(b >> 4);
                    destination[written++] = (byte)HexDigit(b & 0xF);
                    break;
            }
            value = value[(next + 1)..];
        }
        value.CopyTo(destination[written..]);
        return written + value.Length;
    }

    private static char HexDigit(int digit) => (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);

    private enum PartKind : byte { Literal, Feeder, Iteration, Worker, OperationId }

    // JsonString: a feeder placeholder inside a JSON string literal, whose value is escaped (see ForJson).
    private readonly record struct Part(PartKind Kind, string? Text, byte[]? Utf8, int Feeder, int Column, bool JsonString = false)
    {
        public static Part Literal(string text) => new(PartKind.Literal, text, Encoding.UTF8.GetBytes(text), 0, 0);
    }
}

/// <summary>What an operation knows about itself, for the built-in placeholders.</summary>
internal readonly record struct OperationValues(long Iteration, int Worker, long OperationId);
