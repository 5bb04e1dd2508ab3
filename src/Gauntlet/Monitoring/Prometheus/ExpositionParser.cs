using System.Globalization;
using Gauntlet.Thresholds;

namespace Gauntlet.Monitoring.Prometheus;

/// <summary>One sample line of the exposition format: a metric name, its labels and its value.</summary>
internal sealed record ExpositionSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);

/// <summary>A line of an exposition that is not in the format; <see cref="Line"/> is 1-based.</summary>
internal sealed class ExpositionFormatException(int line, string message) : Exception($"line {line}: {message}")
{
    public int Line { get; } = line;
}

/// <summary>
/// A small, strict reader of the Prometheus text exposition format 0.0.4 (what a <c>/metrics</c> endpoint serves):
/// <c># HELP</c> and <c># TYPE</c> lines, other comments, blank lines, and samples
/// <c>name{label="value",...} value [timestamp]</c> with the label escapes <c>\\</c>, <c>\"</c> and <c>\n</c>, values
/// such as <c>1.5e3</c>, <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c>, and a timestamp in milliseconds. Histograms and
/// summaries are their <c>_bucket</c>, <c>_sum</c> and <c>_count</c> samples. No maintained .NET parser of the format
/// exists (prometheus-net writes it), so this one is kept small and fuzzed. Like Prometheus' own scraper it rejects the
/// whole exposition at the first malformed line: the only exception it throws is <see cref="ExpositionFormatException"/>,
/// naming the line.
/// </summary>
internal static class ExpositionParser
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    /// <summary>Longest part of a bad line quoted in a message.</summary>
    private const int QuoteLength = 60;

    public static List<ExpositionSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<ExpositionSample>();
        var typed = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            number++;
            var line = text[start..end];
            // A file written on Windows: its line breaks are \r\n.
            if (line.EndsWith('\r')) line = line[..^1];
            start = end + 1;
            if (line.Length == 0) continue;
            if (line[0] == '#')
            {
                Comment(line, number, typed);
                continue;
            }
            samples.Add(Sample(line, number));
        }
        return samples;
    }

    private static void Comment(string line, int number, HashSet<string> typed)
    {
        var parts = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "#" || parts[1] is not ("HELP" or "TYPE")) return;
        if (parts.Length < 3 || !SeriesSelector.IsMetricName(parts[2]))
            throw Bad(number, $"expected a metric name after '# {parts[1]}'", line);
        if (parts[1] == "HELP") return;
        var type = parts.Length > 3 ? parts[3].Trim() : "";
        if (!Types.Contains(type))
            throw Bad(number, $"expected a type ({string.Join(", ", Types)}) after '# TYPE {parts[2]}', found '{type}'", line);
        if (!typed.Add(parts[2]))
            throw Bad(number, $"a second TYPE line for '{parts[2]}'", line);
    }

    private static ExpositionSample Sample(string line, int number)
    {
        var i = 0;
        if (!SeriesSelector.IsMetricNameStart(line[0]))
            throw Bad(number, "expected a metric name, a comment or a blank line", line);
        while (i < line.Length && SeriesSelector.IsMetricNameChar(line[i])) i++;
        var name = line[..i];
        List<KeyValuePair<string, string>> labels = [];
        var brace = i;
        SkipSpaces(line, ref brace);
        if (brace < line.Length && line[brace] == '{')
        {
            i = brace + 1;
            labels = Labels(line, ref i, number);
        }
        if (i >= line.Length || line[i] is not (' ' or '\t'))
            throw Bad(number, $"expected a space and a value after '{line[..i]}'" + (i < line.Length ? $", found '{line[i]}'" : ""), line);
        SkipSpaces(line, ref i);
        var valueStart = i;
        while (i < line.Length && line[i] is not (' ' or '\t')) i++;
        if (i == valueStart) throw Bad(number, $"expected a value after '{line[..valueStart].TrimEnd()}'", line);
        var value = Value(line[valueStart..i], number, line);
        SkipSpaces(line, ref i);
        if (i < line.Length)
        {
            var stampStart = i;
            while (i < line.Length && line[i] is not (' ' or '\t')) i++;
            var stamp = line[stampStart..i];
            if (!long.TryParse(stamp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                throw Bad(number, $"expected a timestamp in milliseconds (a whole number) after the value, found '{Cut(stamp)}'", line);
            SkipSpaces(line, ref i);
            if (i < line.Length) throw Bad(number, $"unexpected '{Cut(line[i..])}' after the timestamp", line);
        }
        return new ExpositionSample(name, labels, value);
    }

    /// <summary>The labels after <c>{</c> up to and past the closing <c>}</c>; a trailing comma is allowed, as in Prometheus.</summary>
    private static List<KeyValuePair<string, string>> Labels(string line, ref int i, int number)
    {
        var labels = new List<KeyValuePair<string, string>>();
        while (true)
        {
            SkipSpaces(line, ref i);
            if (i < line.Length && line[i] == '}')
            {
                i++;
                return labels;
            }
            if (i >= line.Length || !SeriesSelector.IsLabelNameStart(line[i]))
                throw Bad(number, $"expected a label name or '}}' at column {i + 1}", line);
            var start = i;
            while (i < line.Length && SeriesSelector.IsLabelNameChar(line[i])) i++;
            var label = line[start..i];
            SkipSpaces(line, ref i);
            if (i >= line.Length || line[i] != '=') throw Bad(number, $"expected '=' after the label '{label}' at column {i + 1}", line);
            i++;
            SkipSpaces(line, ref i);
            if (!SeriesSelector.TryReadQuoted(line, ref i, out var value, out var error)) throw Bad(number, $"label '{label}': {error}", line);
            if (labels.Exists(l => l.Key == label)) throw Bad(number, $"the label '{label}' appears twice", line);
            labels.Add(new(label, value));
            SkipSpaces(line, ref i);
            if (i < line.Length && line[i] == ',')
            {
                i++;
                continue;
            }
            if (i >= line.Length || line[i] != '}') throw Bad(number, $"expected ',' or '}}' after the value of '{label}' at column {i + 1}", line);
        }
    }

    /// <summary>A Go float as Prometheus writes one: decimal with an optional exponent, <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</summary>
    private static double Value(string text, int number, string line)
    {
        switch (text.ToLowerInvariant())
        {
            case "nan": return double.NaN;
            case "+inf" or "inf": return double.PositiveInfinity;
            case "-inf": return double.NegativeInfinity;
        }
        // double.TryParse alone would take "Infinity", "1,5" or a currency sign; Go's ParseFloat takes none of these.
        foreach (var c in text)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
                throw Bad(number, $"expected a number (such as 42, 1.5e3, NaN, +Inf) as the value, found '{Cut(text)}'", line);
        }
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
            throw Bad(number, $"expected a number (such as 42, 1.5e3, NaN, +Inf) as the value, found '{Cut(text)}'", line);
        return value;
    }

    private static void SkipSpaces(string line, ref int i)
    {
        while (i < line.Length && line[i] is ' ' or '\t') i++;
    }

    private static string Cut(string text) => text.Length <= QuoteLength ? text : text[..QuoteLength] + "...";

    private static ExpositionFormatException Bad(int number, string message, string line) =>
        new(number, $"{message}: '{Cut(line)}'");
}
