using System.Globalization;
using System.Text;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Process;

/// <summary>
/// An argument, environment value, working directory or stdin text with placeholders filled per operation:
/// <c>{worker}</c>, <c>{iteration}</c> and <c>{id}</c> (see <see cref="OperationContext"/>). <c>{{</c> and <c>}}</c>
/// are literal braces. Parsed once; expanding only appends numbers, so a value can never become shell syntax.
/// </summary>
public sealed class ArgumentTemplate
{
    /// <summary>The placeholders a template may use.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["worker", "iteration", "id"];

    private readonly (string Literal, int Placeholder)[] _parts;

    private ArgumentTemplate(string text, (string, int)[] parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>True when the template has no placeholder, so every operation sees the same value.</summary>
    public bool IsConstant => _parts.All(p => p.Placeholder < 0);

    /// <summary>Parses <paramref name="text"/>; false with the problem (and its 0-based offset) for an unknown or unclosed placeholder.</summary>
    public static bool TryParse(string text, out ArgumentTemplate template, out string? error, out int offset)
    {
        var parts = new List<(string, int)>();
        var literal = new StringBuilder();
        error = null;
        offset = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}')
            {
                (error, offset) = ("a lone '}'; write '}}' for a literal brace", i);
                break;
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                (error, offset) = ("'{' is not closed; write {worker}, {iteration} or {id}, or '{{' for a literal brace", i);
                break;
            }
            var name = text[(i + 1)..close];
            var index = Array.IndexOf(Placeholders.ToArray(), name);
            if (index < 0)
            {
                (error, offset) = ($"unknown placeholder '{{{name}}}'; use {{worker}}, {{iteration}} or {{id}}, or '{{{{' for a literal brace", i);
                break;
            }
            parts.Add((literal.ToString(), index));
            literal.Clear();
            i = close;
        }
        parts.Add((literal.ToString(), -1));
        template = new ArgumentTemplate(text, [.. parts]);
        return error is null;
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="ArgumentException"/>.</summary>
    public static ArgumentTemplate Parse(string text) =>
        TryParse(text, out var template, out var error, out var offset) ? template : throw new ArgumentException($"{error} (at character {offset + 1} of '{text}')", nameof(text));

    /// <summary>The value for one operation.</summary>
    public string Expand(OperationContext context) => Expand(context.WorkerId, context.Iteration, context.OperationId);

    /// <summary>The value for a worker, iteration and operation id.</summary>
    public string Expand(long worker, long iteration, long id)
    {
        if (_parts.Length == 1) return _parts[0].Literal;
        var builder = new StringBuilder();
        foreach (var (literal, placeholder) in _parts)
        {
            builder.Append(literal);
            if (placeholder >= 0)
                builder.Append((placeholder switch { 0 => worker, 1 => iteration, _ => id }).ToString(CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
