using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Gauntlet.Thresholds;

/// <summary>
/// A series of the target's own metrics as a scenario names it: a Prometheus metric name with, optionally, label
/// matchers that narrow it, <c>queue_depth{queue="orders"}</c>. Only equality matchers: a sample is selected when it
/// has every listed label with exactly that value (other labels are free), and a read sums the selected samples. The
/// canonical text (<see cref="Text"/>: labels sorted by name, no spaces, values escaped as the exposition format does)
/// is the series' name in results and thresholds, so <c>x{b="2", a="1"}</c> and <c>x{a="1",b="2"}</c> are one series.
/// </summary>
internal sealed class SeriesSelector
{
    private SeriesSelector(string name, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        Name = name;
        Labels = labels;
        Text = Canonical(name, labels);
    }

    /// <summary>The metric name, <c>queue_depth</c>.</summary>
    public string Name { get; }

    /// <summary>The label matchers, sorted by label name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    /// <summary>The canonical text: <c>queue_depth{queue="orders"}</c>, or the bare name without matchers.</summary>
    public string Text { get; }

    /// <summary>The unit the name says by Prometheus' naming conventions: <c>seconds</c>, <c>bytes</c>, <c>ratio</c>, or null.</summary>
    public string? Unit => UnitOfName(Name);

    /// <summary>
    /// The unit of a metric named <paramref name="name"/>: <c>_seconds</c> (also a counter's <c>_seconds_total</c> and a
    /// histogram's <c>_seconds_sum</c>) is seconds, <c>_bytes</c> likewise bytes, <c>_ratio</c> a fraction; any other
    /// name, or a histogram's <c>_count</c> and <c>_bucket</c>, counts things (null).
    /// </summary>
    public static string? UnitOfName(string name)
    {
        foreach (var suffix in (string[])["_total", "_sum"])
            if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
        return name.EndsWith("_seconds", StringComparison.Ordinal) ? "seconds"
            : name.EndsWith("_bytes", StringComparison.Ordinal) ? "bytes"
            : name.EndsWith("_ratio", StringComparison.Ordinal) ? "ratio"
            : null;
    }

    /// <summary>True when a sample named <paramref name="name"/> with <paramref name="labels"/> is part of this series.</summary>
    public bool Selects(string name, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal)) return false;
        foreach (var (key, value) in Labels)
        {
            var found = false;
            foreach (var (otherKey, otherValue) in labels)
            {
                if (!string.Equals(key, otherKey, StringComparison.Ordinal)) continue;
                found = string.Equals(value, otherValue, StringComparison.Ordinal);
                break;
            }
            if (!found) return false;
        }
        return true;
    }

    /// <summary>
    /// Parses <c>name</c> or <c>name{label="value",...}</c>; false with a message that names the 1-based column of the
    /// problem otherwise. Never throws.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SeriesSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        text ??= "";
        var i = 0;
        if (!IsMetricNameStart(At(text, i)))
        {
            error = text.Length == 0 ? "is empty; write a metric name such as queue_depth or queue_depth{queue=\"orders\"}"
                : $"col {i + 1}: expected a metric name (letters, digits, '_' and ':', not starting with a digit), found {Found(text, i)}";
            return false;
        }
        while (IsMetricNameChar(At(text, i))) i++;
        var name = text[..i];
        var labels = new List<KeyValuePair<string, string>>();
        SkipSpaces(text, ref i);
        if (i == text.Length)
        {
            selector = new SeriesSelector(name, labels);
            error = null;
            return true;
        }
        if (text[i] != '{')
        {
            error = $"col {i + 1}: expected '{{' to open label matchers or the end of the name, found {Found(text, i)}";
            return false;
        }
        i++;
        while (true)
        {
            SkipSpaces(text, ref i);
            if (At(text, i) == '}')
            {
                i++;
                break;
            }
            if (!IsLabelNameStart(At(text, i)))
            {
                error = $"col {i + 1}: expected a label name or '}}', found {Found(text, i)}";
                return false;
            }
            var start = i;
            while (IsLabelNameChar(At(text, i))) i++;
            var label = text[start..i];
            SkipSpaces(text, ref i);
            if (At(text, i) != '=' || At(text, i + 1) is '=' or '~')
            {
                error = $"col {i + 1}: expected '=' after the label '{label}' (only equality matchers such as {label}=\"value\" are supported), found {Found(text, i)}";
                return false;
            }
            i++;
            SkipSpaces(text, ref i);
            if (!TryReadQuoted(text, ref i, out var value, out error)) return false;
            if (labels.Exists(l => l.Key == label))
            {
                error = $"col {start + 1}: the label '{label}' is matched twice; keep one";
                return false;
            }
            labels.Add(new(label, value));
            SkipSpaces(text, ref i);
            if (At(text, i) == ',')
            {
                i++;
                continue;
            }
            if (At(text, i) != '}')
            {
                error = $"col {i + 1}: expected ',' or '}}' after the value of '{label}', found {Found(text, i)}";
                return false;
            }
        }
        SkipSpaces(text, ref i);
        if (i != text.Length)
        {
            error = $"col {i + 1}: unexpected {Found(text, i)} after the label matchers";
            return false;
        }
        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        selector = new SeriesSelector(name, labels);
        error = null;
        return true;
    }

    /// <summary>A double-quoted value with the escapes <c>\\</c>, <c>\"</c> and <c>\n</c>, from <paramref name="i"/> (at the opening quote).</summary>
    internal static bool TryReadQuoted(string text, ref int i, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (At(text, i) != '"')
        {
            error = $"col {i + 1}: expected a double-quoted value, found {Found(text, i)}";
            return false;
        }
        var builder = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                error = $"col {i + 1}: the quoted value is not closed; end it with '\"'";
                return false;
            }
            var c = text[i];
            if (c == '"')
            {
                i++;
                value = builder.ToString();
                error = null;
                return true;
            }
            if (c == '\\')
            {
                var next = At(text, i + 1);
                switch (next)
                {
                    case '\\': builder.Append('\\'); break;
                    case '"': builder.Append('"'); break;
                    case 'n': builder.Append('\n'); break;
                    default:
                        error = $"col {i + 1}: unknown escape '\\{(next == '\0' ? "" : next)}' in a quoted value; only \\\\, \\\" and \\n are allowed";
                        return false;
                }
                i += 2;
                continue;
            }
            if (c == '\n')
            {
                error = $"col {i + 1}: a line break inside a quoted value; write it as \\n";
                return false;
            }
            builder.Append(c);
            i++;
        }
    }

    /// <summary>The canonical text of a name with sorted labels.</summary>
    internal static string Canonical(string name, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0) return name;
        var builder = new StringBuilder(name).Append('{');
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0) builder.Append(',');
            builder.Append(labels[i].Key).Append("=\"");
            foreach (var c in labels[i].Value)
            {
                builder.Append(c switch
                {
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    '\n' => "\\n",
                    _ => c.ToString(),
                });
            }
            builder.Append('"');
        }
        return builder.Append('}').ToString();
    }

    /// <summary>The canonical form of <paramref name="text"/> when it is a valid selector, else <paramref name="text"/> itself.</summary>
    public static string Normalize(string text) => TryParse(text, out var selector, out _) ? selector.Text : text;

    public static bool IsMetricNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    public static bool IsMetricNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    public static bool IsLabelNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsLabelNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>True for a name a query's series may take: a metric name without labels.</summary>
    public static bool IsMetricName(string? text) =>
        !string.IsNullOrEmpty(text) && IsMetricNameStart(text[0]) && text.All(IsMetricNameChar);

    private static char At(string text, int i) => i < text.Length ? text[i] : '\0';

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t') i++;
    }

    private static string Found(string text, int i) => i >= text.Length ? "the end" : $"'{text[i]}'";
}
