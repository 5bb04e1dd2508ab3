using System.Text;

namespace Gauntlet.ScenarioFiles.Reading;

/// <summary>
/// Expands <c>${name}</c>, <c>${name:-default}</c>, <c>${env:NAME}</c> and <c>${env:NAME:-default}</c> in scalar values.
/// Names come from the caller (<c>--set key=value</c>) over the file's own <c>variables:</c> defaults; <c>$${</c> is a
/// literal <c>${</c>. Remembers which names were used so that a <c>--set</c> the file never reads can be reported.
/// </summary>
internal sealed class Variables(IReadOnlyDictionary<string, string> values, Func<string, string?> environment)
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>The names that some scalar referred to.</summary>
    public IReadOnlySet<string> Used => _used;

    /// <summary>The value of every variable the file may use: declared defaults, overridden by the caller's.</summary>
    public IReadOnlyDictionary<string, string> Values => values;

    /// <summary>True when <paramref name="text"/> holds a reference to expand (or an escaped one).</summary>
    public static bool HasReference(string text) => text.Contains("${", StringComparison.Ordinal);

    /// <summary>
    /// Expands every reference in <paramref name="text"/>. On failure, <paramref name="errorOffset"/> is the offset of the
    /// offending <c>${</c> in <paramref name="text"/>. With <paramref name="environmentOnly"/> (a variable's own default),
    /// only <c>${env:...}</c> is allowed.
    /// </summary>
    public bool TryExpand(string text, bool environmentOnly, out string result, out int errorOffset, out string? error)
    {
        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                output.Append("${");
                i += 3;
                continue;
            }
            if (!(text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{'))
            {
                output.Append(text[i++]);
                continue;
            }
            var close = text.IndexOf('}', i + 2);
            if (close < 0)
                return Fail(i, "'${' is not closed; write ${name} or ${env:NAME}, or '$${' for a literal '${'", out result, out errorOffset, out error);
            var body = text[(i + 2)..close];
            if (!TryResolve(body, environmentOnly, out var value, out var problem))
                return Fail(i, problem, out result, out errorOffset, out error);
            output.Append(value);
            i = close + 1;
        }
        result = output.ToString();
        errorOffset = 0;
        error = null;
        return true;
    }

    private bool TryResolve(string body, bool environmentOnly, out string value, out string problem)
    {
        value = "";
        problem = "";
        var separator = body.IndexOf(":-", StringComparison.Ordinal);
        var reference = separator < 0 ? body : body[..separator];
        var fallback = separator < 0 ? null : body[(separator + 2)..];
        var isEnvironment = reference.StartsWith("env:", StringComparison.Ordinal);
        var name = isEnvironment ? reference[4..] : reference;
        if (!IsName(name, allowDots: !isEnvironment))
        {
            problem = name.Length == 0
                ? $"'${{{body}}}' names no variable; write ${{name}} or ${{env:NAME}}"
                : $"'{name}' is not a valid variable name in '${{{body}}}'; use letters, digits and '_'";
            return false;
        }
        if (isEnvironment)
        {
            var found = environment(name);
            if (!string.IsNullOrEmpty(found))
            {
                value = found;
                return true;
            }
            if (fallback is not null)
            {
                value = fallback;
                return true;
            }
            problem = $"environment variable '{name}' is not set; set it, or give a default with ${{env:{name}:-value}}";
            return false;
        }
        if (environmentOnly)
        {
            problem = $"a variable's default cannot use another variable ('${{{body}}}'); write a value or ${{env:NAME}}";
            return false;
        }
        _used.Add(name);
        if (values.TryGetValue(name, out var set))
        {
            value = set;
            return true;
        }
        if (fallback is not null)
        {
            value = fallback;
            return true;
        }
        var close = DidYouMean.Closest(name, values.Keys);
        problem = close is not null
            ? $"variable '{name}' is not set; did you mean '{close}'? Otherwise pass --set {name}=VALUE or declare it under 'variables:'"
            : $"variable '{name}' is not set; pass --set {name}=VALUE, declare it under 'variables:', or give a default with ${{{name}:-value}}";
        return false;
    }

    /// <summary>A letter or <c>_</c>, then letters, digits, <c>_</c> or <c>-</c> (and <c>.</c> for file variables).</summary>
    public static bool IsName(string name, bool allowDots = true)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_')) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (allowDots && c == '.'))) return false;
        }
        return true;
    }

    private static bool Fail(int offset, string message, out string result, out int errorOffset, out string? error)
    {
        result = "";
        errorOffset = offset;
        error = message;
        return false;
    }
}
