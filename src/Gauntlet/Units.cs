using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gauntlet;

/// <summary>
/// Reads the quantities the scenario language writes with units: durations (<c>250ms</c>, <c>10s</c>, <c>1m30s</c>,
/// <c>500us</c>), rates (<c>1000/s</c>, <c>60/m</c>), sizes (<c>64B</c>, <c>1KB</c>, <c>1MiB</c>), ratios (<c>0.1%</c> or
/// the fraction <c>0.001</c>) and whole numbers (<c>10_000</c>). Scenario files and command-line flags share it, so a
/// value is spelled the same everywhere. Every method returns false with a message that says what was expected and
/// quotes what was found; none throws.
/// </summary>
public static class Units
{
    private const string DurationExample = "a duration such as 250ms, 10s or 1m30s";
    private const string RateExample = "a rate such as 1000/s or 60/m";
    private const string SizeExample = "a size such as 64B, 1KB or 1MiB";
    private const string RatioExample = "a ratio such as 0.1% or 0.001";
    private const string IntegerExample = "a whole number such as 32";

    /// <summary>Duration units from largest to smallest, in 100 ns ticks.</summary>
    private static readonly (string Symbol, decimal Ticks)[] DurationUnits =
    [
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("us", TimeSpan.TicksPerMicrosecond),
        ("µs", TimeSpan.TicksPerMicrosecond), // U+00B5 micro sign
        ("μs", TimeSpan.TicksPerMicrosecond), // U+03BC Greek mu, which some keyboards give instead
    ];

    /// <summary>Words people write for a duration unit, mapped to the symbol they meant.</summary>
    private static readonly Dictionary<string, string> DurationWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hr"] = "h", ["hrs"] = "h", ["hour"] = "h", ["hours"] = "h",
        ["min"] = "m", ["mins"] = "m", ["minute"] = "m", ["minutes"] = "m",
        ["sec"] = "s", ["secs"] = "s", ["second"] = "s", ["seconds"] = "s",
        ["msec"] = "ms", ["msecs"] = "ms", ["millis"] = "ms", ["millisecond"] = "ms", ["milliseconds"] = "ms",
        ["usec"] = "us", ["usecs"] = "us", ["micros"] = "us", ["microsecond"] = "us", ["microseconds"] = "us",
        ["H"] = "h", ["S"] = "s", ["MS"] = "ms", ["US"] = "us",
    };

    /// <summary>Rate units: per second, per minute (<c>/m</c> or <c>/min</c>), per hour, as a divisor to per second.</summary>
    private static readonly (string Symbol, decimal Seconds)[] RateUnits = [("/s", 1m), ("/m", 60m), ("/min", 60m), ("/h", 3600m)];

    /// <summary>Size units in bytes: decimal (KB = 1000 B) and binary (KiB = 1024 B), as in the IEC convention.</summary>
    private static readonly (string Symbol, decimal Bytes)[] SizeUnits =
    [
        ("B", 1m),
        ("KB", 1_000m), ("kB", 1_000m), ("MB", 1_000_000m), ("GB", 1_000_000_000m), ("TB", 1_000_000_000_000m),
        ("KiB", 1_024m), ("MiB", 1_048_576m), ("GiB", 1_073_741_824m), ("TiB", 1_099_511_627_776m),
    ];

    /// <summary>
    /// A unit of the table as written, as shown (<c>µs</c> is shown <c>us</c>, <c>kB</c> <c>KB</c>, <c>/min</c> <c>/m</c>),
    /// and how many base units one of it is: microseconds for a duration, bytes for a size, per second for a rate.
    /// </summary>
    internal readonly record struct Symbol(string Text, string Canonical, decimal BaseUnits);

    /// <summary>The duration units, in microseconds: what thresholds read, so they spell durations as YAML does.</summary>
    internal static IReadOnlyList<Symbol> DurationSymbols { get; } =
        [.. DurationUnits.Select(u => new Symbol(u.Symbol, u.Ticks == TimeSpan.TicksPerMicrosecond ? "us" : u.Symbol, u.Ticks / TimeSpan.TicksPerMicrosecond))];

    /// <summary>The rate units, in per second (<c>/m</c> is 1/60 per second).</summary>
    internal static IReadOnlyList<Symbol> RateSymbols { get; } =
        [.. RateUnits.Select(u => new Symbol(u.Symbol, u.Symbol == "/min" ? "/m" : u.Symbol, 1m / u.Seconds))];

    /// <summary>The size units, in bytes.</summary>
    internal static IReadOnlyList<Symbol> SizeSymbols { get; } =
        [.. SizeUnits.Select(u => new Symbol(u.Symbol, u.Symbol == "kB" ? "KB" : u.Symbol, u.Bytes))];

    /// <summary>The symbols of <paramref name="symbols"/> for a message: <c>B, KB, MB or GB</c>, each spelling once.</summary>
    internal static string List(IReadOnlyList<Symbol> symbols)
    {
        var texts = symbols.Select(s => s.Text).ToList();
        return texts.Count == 1 ? texts[0] : string.Join(", ", texts.Take(texts.Count - 1)) + " or " + texts[^1];
    }

    /// <summary>
    /// A non-negative duration: one or more <c>number unit</c> groups from the largest unit to the smallest
    /// (<c>1h</c>, <c>1m30s</c>, <c>1.5s</c>, <c>250ms</c>, <c>500us</c>); units are <c>h</c>, <c>m</c>, <c>s</c>,
    /// <c>ms</c>, <c>us</c> (or <c>µs</c>). A bare <c>0</c> is zero; any other number needs a unit.
    /// </summary>
    public static bool TryParseDuration(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        var s = (text ?? "").Trim();
        if (s.StartsWith('-')) return Fail($"a duration cannot be negative, found '{s}'", out error);
        var scanner = new Scanner(s);
        if (!scanner.TryNumber(out var first, out var numberError))
            return Fail(numberError ?? $"expected {DurationExample}, found {Quote(s)}", out error);
        scanner.SkipSpaces();
        if (scanner.AtEnd)
        {
            if (first == 0) return Succeed(out error);
            return Fail($"'{s}' has no unit; write {s}ms or {s}s", out error);
        }
        decimal ticks = 0;
        var number = first;
        var previous = -1;
        while (true)
        {
            var unitText = scanner.ReadLetters();
            var unit = Array.FindIndex(DurationUnits, u => u.Symbol == unitText);
            if (unit < 0)
            {
                if (unitText.Length == 0) return Fail($"expected {DurationExample}, found {Quote(s)}", out error);
                var hint = DurationWords.TryGetValue(unitText, out var meant) ? $"did you mean '{meant}'?" : "use h, m, s, ms or us";
                return Fail($"unknown duration unit '{unitText}' in '{s}'; {hint}", out error);
            }
            // µs and μs rank with us: compare by size, not by table position.
            if (previous >= 0 && DurationUnits[unit].Ticks >= DurationUnits[previous].Ticks)
                return Fail($"'{s}' repeats a unit or puts a smaller one first; write the largest unit first, as in 1m30s", out error);
            previous = unit;
            try
            {
                ticks += number * DurationUnits[unit].Ticks;
            }
            catch (OverflowException)
            {
                return Fail($"the duration '{s}' is too large", out error);
            }
            scanner.SkipSpaces();
            if (scanner.AtEnd) break;
            if (!scanner.TryNumber(out number, out numberError))
                return Fail(numberError ?? $"expected {DurationExample}, found {Quote(s)}", out error);
            scanner.SkipSpaces();
            if (scanner.AtEnd) return Fail($"'{s}' ends in a number without a unit; write {s}s or {s}ms", out error);
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return Fail($"the duration '{s}' is too large", out error);
        value = TimeSpan.FromTicks((long)Math.Round(ticks, MidpointRounding.AwayFromZero));
        return Succeed(out error);
    }

    /// <summary>
    /// A non-negative rate in operations per second: <c>1000/s</c>, <c>60/m</c> or <c>60/min</c> (per minute), <c>3600/h</c>
    /// (per hour), or a bare number, read as per second.
    /// </summary>
    public static bool TryParseRate(string? text, out double perSecond, [NotNullWhen(false)] out string? error)
    {
        perSecond = 0;
        var s = (text ?? "").Trim();
        if (s.StartsWith('-')) return Fail($"a rate cannot be negative, found '{s}'", out error);
        var scanner = new Scanner(s);
        if (!scanner.TryNumber(out var number, out var numberError))
            return Fail(numberError ?? $"expected {RateExample}, found {Quote(s)}", out error);
        scanner.SkipSpaces();
        var unitText = scanner.Rest();
        if (unitText.Length == 0)
        {
            perSecond = (double)number;
            return Succeed(out error);
        }
        var unit = Array.FindIndex(RateUnits, u => u.Symbol == unitText.Replace(" ", "", StringComparison.Ordinal));
        if (unit < 0)
        {
            var word = unitText.TrimStart('/', ' ').ToLowerInvariant();
            if (word.StartsWith("per ", StringComparison.Ordinal)) word = word[4..].Trim();
            var hint = word switch
            {
                "s" or "sec" or "secs" or "second" or "seconds" => "did you mean '/s'?",
                "m" or "min" or "mins" or "minute" or "minutes" => "did you mean '/m'?",
                "h" or "hr" or "hrs" or "hour" or "hours" => "did you mean '/h'?",
                _ => "use /s, /m or /h",
            };
            return Fail($"unknown rate unit '{unitText}' in '{s}'; {hint}", out error);
        }
        perSecond = (double)(number / RateUnits[unit].Seconds);
        return Succeed(out error);
    }

    /// <summary>
    /// A size in bytes: <c>64B</c>, decimal <c>KB</c>/<c>kB</c>, <c>MB</c>, <c>GB</c>, <c>TB</c> (powers of 1000), binary
    /// <c>KiB</c>, <c>MiB</c>, <c>GiB</c>, <c>TiB</c> (powers of 1024), or a bare whole number of bytes.
    /// </summary>
    public static bool TryParseSize(string? text, out long bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = 0;
        var s = (text ?? "").Trim();
        if (s.StartsWith('-')) return Fail($"a size cannot be negative, found '{s}'", out error);
        var scanner = new Scanner(s);
        if (!scanner.TryNumber(out var number, out var numberError))
            return Fail(numberError ?? $"expected {SizeExample}, found {Quote(s)}", out error);
        scanner.SkipSpaces();
        var unitText = scanner.Rest();
        decimal total;
        if (unitText.Length == 0)
        {
            total = number;
        }
        else
        {
            var unit = Array.FindIndex(SizeUnits, u => u.Symbol == unitText);
            if (unit < 0)
            {
                var close = Array.Find(SizeUnits, u => string.Equals(u.Symbol, unitText, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(u.Symbol, unitText + "B", StringComparison.OrdinalIgnoreCase));
                var hint = close.Symbol is { } meant ? $"did you mean '{meant}'?" : "use B, KB, MB, GB, KiB, MiB or GiB";
                return Fail($"unknown size unit '{unitText}' in '{s}'; {hint}", out error);
            }
            try
            {
                total = number * SizeUnits[unit].Bytes;
            }
            catch (OverflowException)
            {
                return Fail($"the size '{s}' is too large", out error);
            }
        }
        if (total != decimal.Truncate(total)) return Fail($"'{s}' is not a whole number of bytes", out error);
        if (total > long.MaxValue) return Fail($"the size '{s}' is too large", out error);
        bytes = (long)total;
        return Succeed(out error);
    }

    /// <summary>
    /// A ratio as a fraction from 0 to 1: a percentage (<c>0.1%</c>, <c>99.9%</c>) or a bare fraction (<c>0.001</c>).
    /// A bare number above 1 is an error that suggests the percentage (<c>5</c> probably meant <c>5%</c>).
    /// </summary>
    public static bool TryParseRatio(string? text, out double fraction, [NotNullWhen(false)] out string? error)
    {
        fraction = 0;
        var s = (text ?? "").Trim();
        if (s.StartsWith('-')) return Fail($"a ratio cannot be negative, found '{s}'", out error);
        var scanner = new Scanner(s);
        if (!scanner.TryNumber(out var number, out var numberError))
            return Fail(numberError ?? $"expected {RatioExample}, found {Quote(s)}", out error);
        scanner.SkipSpaces();
        var unitText = scanner.Rest();
        if (unitText.Length == 0)
        {
            if (number > 1) return Fail($"a ratio without % is a fraction from 0 to 1, found '{s}'; did you mean '{s}%'?", out error);
            fraction = (double)number;
            return Succeed(out error);
        }
        if (unitText != "%") return Fail($"expected {RatioExample}, found {Quote(s)}", out error);
        if (number > 100) return Fail($"a percentage is at most 100%, found '{s}'", out error);
        fraction = (double)(number / 100);
        return Succeed(out error);
    }

    /// <summary>A whole number, optionally negative, with <c>_</c> allowed between digits: <c>32</c>, <c>10_000</c>, <c>-1</c>.</summary>
    public static bool TryParseInteger(string? text, out long value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        var s = (text ?? "").Trim();
        var negative = s.StartsWith('-');
        var scanner = new Scanner(negative ? s[1..] : s);
        if (!scanner.TryNumber(out var number, out var numberError) || !scanner.AtEnd || number != decimal.Truncate(number))
        {
            var hint = s.Contains(',', StringComparison.Ordinal) ? "; group digits with '_', as in 10_000" : "";
            return Fail(numberError ?? $"expected {IntegerExample}, found {Quote(s)}{hint}", out error);
        }
        if (negative) number = -number;
        if (number is > long.MaxValue or < long.MinValue) return Fail($"the number '{s}' is too large", out error);
        value = (long)number;
        return Succeed(out error);
    }

    private static string Quote(string s) => s.Length == 0 ? "nothing" : $"'{s}'";

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    private static bool Succeed(out string? error)
    {
        error = null;
        return true;
    }

    /// <summary>Reads plain decimal numbers (digits, <c>_</c> between digits, one optional fraction) and unit letters.</summary>
    private struct Scanner(string text)
    {
        private int _position;

        public readonly bool AtEnd => _position >= text.Length;

        private readonly char Current => AtEnd ? '\0' : text[_position];

        /// <summary>False with a null message when no number starts here; false with a message when one is malformed.</summary>
        public bool TryNumber(out decimal number, out string? error)
        {
            number = 0;
            error = null;
            var start = _position;
            if (!char.IsAsciiDigit(Current)) return false;
            var digits = new System.Text.StringBuilder();
            while (char.IsAsciiDigit(Current) || Current == '_')
            {
                if (Current == '_')
                {
                    if (!(_position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1])))
                    {
                        error = $"'_' separates groups of digits and must sit between two digits, as in 10_000; found '{text}'";
                        return false;
                    }
                }
                else
                {
                    digits.Append(Current);
                }
                _position++;
            }
            if (Current == '.')
            {
                _position++;
                if (!char.IsAsciiDigit(Current)) return false;
                digits.Append('.');
                while (char.IsAsciiDigit(Current)) digits.Append(text[_position++]);
            }
            if (!decimal.TryParse(digits.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
            {
                error = $"the number '{text[start.._position]}' is too large";
                return false;
            }
            return true;
        }

        public string ReadLetters()
        {
            var start = _position;
            while (!AtEnd && char.IsLetter(Current)) _position++;
            return text[start.._position];
        }

        public string Rest()
        {
            var rest = text[_position..];
            _position = text.Length;
            return rest;
        }

        public void SkipSpaces()
        {
            while (Current == ' ') _position++;
        }
    }
}
