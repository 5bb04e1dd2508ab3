using System.Globalization;
using System.Text.Json;

namespace Gauntlet.Targets.Http;

/// <summary>
/// A small JSON path: <c>$.a.b[0].c</c> (the leading <c>$</c> and dot are optional): property names and array
/// indexes only, enough to pick one value out of a response for a check.
/// </summary>
public sealed class JsonPath
{
    private readonly object[] _steps;

    private JsonPath(string text, object[] steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Parses a path; false with a reason when it is malformed.</summary>
    public static bool TryParse(string text, out JsonPath path, out string? error)
    {
        path = null!;
        var steps = new List<object>();
        var s = text.Trim();
        var i = 0;
        if (s.StartsWith('$')) i = 1;
        while (i < s.Length)
        {
            if (s[i] == '.') i++;
            if (i < s.Length && s[i] == '[')
            {
                var close = s.IndexOf(']', i);
                if (close < 0 || !int.TryParse(s.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    error = $"'{text}': expected an array index such as [0] at offset {i}";
                    return false;
                }
                steps.Add(index);
                i = close + 1;
                continue;
            }
            var start = i;
            while (i < s.Length && s[i] != '.' && s[i] != '[') i++;
            if (i == start)
            {
                error = $"'{text}': expected a property name at offset {start}";
                return false;
            }
            steps.Add(s[start..i]);
        }
        if (steps.Count == 0)
        {
            error = $"'{text}' selects the whole document; name a property, such as $.status";
            return false;
        }
        path = new JsonPath(text, [.. steps]);
        error = null;
        return true;
    }

    /// <summary>The value at the path, or false when the document has no such value.</summary>
    public bool TrySelect(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var step in _steps)
        {
            if (step is int index)
            {
                if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength()) return false;
                value = value[index];
            }
            else if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty((string)step, out value)) return false;
        }
        return true;
    }

    /// <summary>The value as a check compares it: a string's text, anything else as its JSON text (<c>42</c>, <c>true</c>, <c>null</c>).</summary>
    public static string Display(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
