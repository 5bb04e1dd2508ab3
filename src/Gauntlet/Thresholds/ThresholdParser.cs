using System.Text;

namespace Gauntlet.Thresholds;

/// <summary>A parse error inside the parser; <see cref="ThresholdParser.TryParse"/> turns it into a <see cref="ThresholdParseError"/>.</summary>
internal sealed class ThresholdSyntaxException(int index, string message) : Exception(message)
{
    /// <summary>The error with a 1-based column.</summary>
    public ThresholdParseError Error { get; } = new(index + 1, message);
}

/// <summary>
/// Reads <c>metric comparison value</c>, with any whitespace between the parts, and reports the first problem
/// with its column and what was expected there.
/// </summary>
internal sealed class ThresholdParser
{
    private const string EndOfExpression = "the end of the expression";

    private readonly string _text;
    private int _position;

    private ThresholdParser(string text) => _text = text;

    /// <summary>Parses <paramref name="expression"/>; never throws.</summary>
    public static bool TryParse(string? expression, out Threshold? threshold, out ThresholdParseError? error)
    {
        try
        {
            threshold = new ThresholdParser(expression ?? "").ParseThreshold();
            error = null;
            return true;
        }
        catch (ThresholdSyntaxException e)
        {
            threshold = null;
            error = e.Error;
            return false;
        }
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => AtEnd ? '\0' : _text[_position];

    private Threshold ParseThreshold()
    {
        SkipWhitespace();
        if (AtEnd) throw new ThresholdSyntaxException(0, "empty threshold expression; write one such as 'p99 < 50ms'");
        var metric = ReadMetric();
        var comparison = ReadComparison();
        var literal = ReadValue(metric);
        if (metric.KindFromValue)
        {
            // A series of the target's metrics: the unit written says what it is compared as (512MB a size, 0 a number).
            var kind = ThresholdValue.KindOfUnit(literal.Unit?.Text)
                ?? throw new ThresholdSyntaxException(literal.Unit!.Index, $"unknown unit '{literal.Unit.Text}' for a series of the target's metrics; write a plain number, a duration (50ms), a ratio (5%), a rate (100/s) or a size (512MB)");
            // Only a duration can be an operation kind's min, max or mean.
            metric = metric with { Kind = kind, OperationKind = kind == MetricKind.Duration ? metric.OperationKind : null };
        }
        var value = ThresholdValue.From(metric.Kind, literal);
        SkipWhitespace();
        var window = AtWord(WindowKeyword) ? ReadWindow(metric) : (TimeSpan?)null;
        if (!AtEnd) throw UnexpectedAfterValue();
        return new Threshold(_text, metric.Key, comparison, value.BaseValue, metric.Kind, value.Text)
        {
            OperationKind = metric.OperationKind,
            TargetSeries = metric.TargetSeries,
            Window = window,
        };
    }

    /// <summary>
    /// A name such as <c>p99.9</c> or <c>error_rate</c>, optionally followed by an argument: <c>count(ok)</c>, or an
    /// operation kind, <c>p99(valid)</c>, whose name may hold '-' as well.
    /// </summary>
    private MetricDefinition ReadMetric()
    {
        var start = _position;
        if (!IsNameChar(Current))
            throw new ThresholdSyntaxException(start, $"expected a metric such as p99, error_rate or throughput but found {Found(start)}");
        var name = ReadWhile(IsNameChar);
        var afterName = _position;
        SkipWhitespace();
        if (Current == '(')
        {
            _position++;
            SkipWhitespace();
            var argumentStart = _position;
            var argument = ReadWhile(c => IsNameChar(c) || c is '-' or ':');
            var labels = Current == '{' ? ReadLabels() : null;
            SkipWhitespace();
            if (Current != ')')
                throw new ThresholdSyntaxException(_position, $"expected ')' to close '{name}(' but found {Found(_position)}");
            _position++;
            // Label matchers, or a function only series have, make it a series of the target's metrics.
            if (labels is not null || name is "last" or "delta") return SeriesMetric(name, argument + labels, argumentStart);
            var family = name;
            name = $"{name}({argument})";
            // max(valid) may be an operation kind's service time or a series of the target's metrics: the value and the
            // scenario decide (see Threshold.TargetSeries). A table row such as max(rss) is always the row.
            if (MetricCatalog.SeriesFunctions.Contains(family) && SeriesSelector.IsMetricName(argument)
                && MetricCatalog.TryResolve(name, out var perKind, out _) && perKind.OperationKind is not null)
                return SeriesMetric(family, argument, argumentStart) with { OperationKind = argument };
        }
        else
        {
            _position = afterName;
        }
        return MetricCatalog.TryResolve(name, out var metric, out var problem)
            ? metric
            : throw new ThresholdSyntaxException(start, problem);
    }

    /// <summary><c>family(series)</c> over a series of the target's metrics, its kind left to the value written.</summary>
    private static MetricDefinition SeriesMetric(string family, string series, int index)
    {
        if (!MetricCatalog.SeriesFunctions.Contains(family))
            throw new ThresholdSyntaxException(index, $"'{family}' does not take a series of the target's metrics; the functions that do are {string.Join(", ", MetricCatalog.SeriesFunctions)}");
        if (!SeriesSelector.TryParse(series, out var selector, out var error))
            throw new ThresholdSyntaxException(index, $"'{series}' is not a series such as queue_depth or queue_depth{{queue=\"orders\"}}: {error}");
        return new MetricDefinition($"{family}({selector.Text})", MetricKind.Number) { Signed = true, TargetSeries = selector.Text, KindFromValue = true };
    }

    /// <summary>Label matchers <c>{label="value",...}</c> as written, from the opening brace past the closing one; quoted values may hold braces.</summary>
    private string ReadLabels()
    {
        var start = _position;
        var quoted = false;
        while (!AtEnd)
        {
            var c = Current;
            _position++;
            if (quoted)
            {
                if (c == '\\' && !AtEnd) _position++;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == '}') return _text[start.._position];
        }
        throw new ThresholdSyntaxException(start, quoted ? "a quoted label value is not closed; end it with '\"'" : "expected '}' to close the label matchers");
    }

    private Comparison ReadComparison()
    {
        SkipWhitespace();
        var start = _position;
        var symbol = ReadWhile(ComparisonSymbols.IsSymbolChar);
        if (ComparisonSymbols.TryFromSymbol(symbol, out var comparison)) return comparison;
        var message = $"expected a comparison {ComparisonSymbols.Expected} but found {Found(start)}";
        if (ComparisonSymbols.TrySuggest(symbol, out var meant)) message += $"; did you mean '{meant.Symbol()}'?";
        throw new ThresholdSyntaxException(start, message);
    }

    /// <summary>A number (digits, optional <c>_</c> between digits, optional fraction) and its unit, if any.</summary>
    private ValueLiteral ReadValue(MetricDefinition metric)
    {
        MetricKind? kind = metric.KindFromValue ? null : metric.Kind;
        SkipWhitespace();
        var start = _position;
        var negative = false;
        if (Current == '-')
        {
            if (!metric.Signed)
                throw new ThresholdSyntaxException(start, $"'{metric.Key}' is never negative, so it cannot be compared with a negative value; write {ThresholdValue.Example(metric.Kind)}");
            negative = true;
            _position++;
        }
        if (!char.IsAsciiDigit(Current))
            throw new ThresholdSyntaxException(start, $"expected {(kind is { } known ? ThresholdValue.Example(known) : "a number, with a unit when the series has one (512MB, 50ms)")} but found {Found(start)}");
        var digits = new StringBuilder();
        if (negative) digits.Append('-');
        ReadDigits(digits);
        if (Current == '.')
        {
            _position++;
            if (!char.IsAsciiDigit(Current))
                throw new ThresholdSyntaxException(_position, $"expected a digit after '{_text[start.._position]}' but found {Found(_position)}");
            digits.Append('.');
            ReadDigits(digits);
        }
        var unit = ReadUnit(kind);
        return new ValueLiteral(digits.ToString(), _text[start.._position], start, unit);
    }

    /// <summary>Digits, allowing one <c>_</c> between two digits as a thousands separator (<c>10_000</c>).</summary>
    private void ReadDigits(StringBuilder digits)
    {
        while (true)
        {
            if (char.IsAsciiDigit(Current))
            {
                digits.Append(Current);
                _position++;
            }
            else if (Current == '_')
            {
                var betweenDigits = _position + 1 < _text.Length && char.IsAsciiDigit(_text[_position + 1]);
                if (!betweenDigits)
                    throw new ThresholdSyntaxException(_position, "'_' separates groups of digits and must sit between two digits, as in 10_000");
                _position++;
            }
            else
            {
                return;
            }
        }
    }

    private UnitLiteral? ReadUnit(MetricKind? kind)
    {
        var attached = _position;
        var text = ReadUnitText();
        if (text.Length > 0) return new UnitLiteral(text, attached);

        // "50 ms" is fine too, but only with a unit this kind accepts: in "dropped == 0 foo",
        // 'foo' is stray text after the value, not an unknown unit.
        SkipWhitespace();
        var spaced = _position;
        text = ReadUnitText();
        if (text.Length > 0 && (kind is { } known ? ThresholdValue.Accepts(known, text) : ThresholdValue.AcceptedBySeries(text))) return new UnitLiteral(text, spaced);
        _position = attached;
        return null;
    }

    /// <summary><c>%</c>, <c>/</c> followed by letters, letters, or letters <c>/</c> letters (<c>MB/min</c>); empty when none of these is next.</summary>
    private string ReadUnitText()
    {
        var start = _position;
        if (Current == '%')
        {
            _position++;
        }
        else
        {
            if (Current == '/') _position++;
            ReadWhile(char.IsLetter);
            if (_position > start && _text[start] != '/' && Current == '/')
            {
                _position++;
                ReadWhile(char.IsLetter);
            }
        }
        return _text[start.._position];
    }

    private const string WindowKeyword = "over";

    /// <summary>True when <paramref name="word"/> starts here, followed by whitespace, a digit or the end.</summary>
    private bool AtWord(string word) =>
        string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0
        && (_position + word.Length >= _text.Length || char.IsWhiteSpace(_text[_position + word.Length]) || char.IsAsciiDigit(_text[_position + word.Length]));

    /// <summary>
    /// <c>over 10s</c>: the length of the sliding window, the rest of the expression. It slides one second at a time over
    /// the per-second data, so it is a whole number of seconds, and only a metric the per-second data holds can take one.
    /// </summary>
    private TimeSpan ReadWindow(MetricDefinition metric)
    {
        var keyword = _position;
        if (WindowedMetrics.WhyNot(metric.Key, metric.OperationKind, metric.TargetSeries) is { } why)
            throw new ThresholdSyntaxException(keyword, $"'{metric.Key}' cannot be judged over a window: {why}");
        _position += WindowKeyword.Length;
        SkipWhitespace();
        var start = _position;
        var text = _text[start..].TrimEnd();
        if (text.Length == 0)
            throw new ThresholdSyntaxException(keyword, "expected a window length after 'over', such as 'over 10s' or 'over 1m'");
        if (!Units.TryParseDuration(text, out var length, out var error))
            throw new ThresholdSyntaxException(start, $"expected a window length after 'over', such as 10s or 1m: {error}");
        if (length < TimeSpan.FromSeconds(1) || length.Ticks % TimeSpan.TicksPerSecond != 0)
            throw new ThresholdSyntaxException(start, $"a window slides one second at a time over the per-second data, so its length is a whole number of seconds, at least 1s; found '{text}'");
        _position = _text.Length;
        return length;
    }

    private ThresholdSyntaxException UnexpectedAfterValue()
    {
        var rest = _text[_position..].TrimEnd();
        var message = $"unexpected '{rest}' after the value";
        // "10,000" reads as 10 followed by ",000".
        if (rest.Length > 1 && rest[0] == ',' && char.IsAsciiDigit(rest[1]))
            message += "; group digits with '_', as in 10_000";
        return new ThresholdSyntaxException(_position, message);
    }

    /// <summary>The token at <paramref name="index"/> quoted for a message, or "the end of the expression".</summary>
    private string Found(int index)
    {
        if (index >= _text.Length) return EndOfExpression;
        var symbolic = ComparisonSymbols.IsSymbolChar(_text[index]);
        var end = index + 1;
        while (end < _text.Length && !char.IsWhiteSpace(_text[end]) && ComparisonSymbols.IsSymbolChar(_text[end]) == symbolic) end++;
        return $"'{_text[index..end]}'";
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';

    private string ReadWhile(Func<char, bool> accept)
    {
        var start = _position;
        while (!AtEnd && accept(Current)) _position++;
        return _text[start.._position];
    }

    private void SkipWhitespace() => ReadWhile(char.IsWhiteSpace);
}
