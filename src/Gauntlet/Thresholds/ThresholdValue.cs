using System.Globalization;

namespace Gauntlet.Thresholds;

// Kind switches list every MetricKind with no discard arm, so a new kind fails the build here (CS8509).
// Unnamed values (CS8524) cannot arrive: every kind comes from a MetricCatalog row.
#pragma warning disable CS8524

/// <summary>The value side of a threshold as the parser scanned it, before its kind gives it meaning.</summary>
/// <param name="Digits">The number without <c>_</c> separators, e.g. <c>10000</c> or <c>1.5</c>.</param>
/// <param name="Written">The value as written, number and unit, for messages.</param>
/// <param name="Index">0-based position of the number in the expression.</param>
/// <param name="Unit">The unit, when one was written.</param>
internal sealed record ValueLiteral(string Digits, string Written, int Index, UnitLiteral? Unit);

/// <summary>A unit as written (<c>ms</c>, <c>%</c>, <c>/s</c>) and its 0-based position.</summary>
internal sealed record UnitLiteral(string Text, int Index);

/// <summary>
/// A threshold's right-hand side: the value in the base unit of the metric's kind (microseconds, fraction,
/// per second, count) and its normalised text (<c>50ms</c>, <c>0.1%</c>, <c>1000/s</c>, <c>0</c>).
/// </summary>
internal sealed record ThresholdValue(double BaseValue, string Text)
{
    /// <summary>A unit a kind accepts: how it is written, how it is shown, and how many base units one of it is.</summary>
    private sealed record Unit(string Symbol, string Canonical, decimal BaseUnits);

    // Every unit comes from Units, the one table YAML and flags read too: a threshold spells 1TB, 60/h or 5/min as a
    // scenario file does.
    private static readonly Unit[] DurationUnits = From(Units.DurationSymbols);

    private static readonly Unit[] RatioUnits = [new("%", "%", 0.01m)];

    private static readonly Unit[] RateUnits = From(Units.RateSymbols);

    private static readonly Unit[] CountUnits = [];

    private static readonly Unit[] SizeUnits = From(Units.SizeSymbols);

    // Every size unit over every rate unit: 1MB/min is 1_000_000 / 60 bytes per second. A per-minute growth is shown
    // as /min, which reads better after a size than /m does.
    private static readonly Unit[] SizeRateUnits =
    [
        .. SizeUnits.SelectMany(size => RateUnits.Select(time =>
            new Unit(size.Symbol + time.Symbol, size.Canonical + (time.Canonical == "/m" ? "/min" : time.Canonical), size.BaseUnits * time.BaseUnits))),
    ];

    private static Unit[] From(IReadOnlyList<Units.Symbol> symbols) => [.. symbols.Select(s => new Unit(s.Text, s.Canonical, s.BaseUnits))];

    /// <summary>What a value of <paramref name="kind"/> looks like, for "expected ..." messages.</summary>
    public static string Example(MetricKind kind) => kind switch
    {
        MetricKind.Duration => "a duration such as 50ms",
        MetricKind.Ratio => "a ratio such as 0.1% or 0.001",
        MetricKind.Rate => "a rate such as 1000/s",
        MetricKind.Count => "a whole number such as 0",
        MetricKind.Size => "a size such as 512MB",
        MetricKind.SizeRate => "a growth rate such as 1MB/min",
        MetricKind.Number => "a number such as 0 or 2.5",
    };

    /// <summary>True when <paramref name="unit"/> is a unit that <paramref name="kind"/> accepts.</summary>
    public static bool Accepts(MetricKind kind, string unit) => UnitsOf(kind).Any(u => u.Symbol == unit);

    /// <summary>Gives <paramref name="literal"/> its meaning for a metric of <paramref name="kind"/>, or throws <see cref="ThresholdSyntaxException"/>.</summary>
    public static ThresholdValue From(MetricKind kind, ValueLiteral literal)
    {
        if (!decimal.TryParse(literal.Digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            throw TooLarge(literal);
        return kind switch
        {
            MetricKind.Duration => Duration(number, literal),
            MetricKind.Ratio => Ratio(number, literal),
            MetricKind.Rate => Rate(number, literal),
            MetricKind.Count => Count(number, literal),
            MetricKind.Size => literal.Unit is { } size
                ? WithUnit(number, literal, size, SizeUnits, "size", Units.List(Units.SizeSymbols))
                : throw new ThresholdSyntaxException(literal.Index, $"expected {Example(MetricKind.Size)} but found '{literal.Written}'"),
            MetricKind.SizeRate => literal.Unit is { } rate
                ? WithUnit(number, literal, rate, SizeRateUnits, "growth rate", "a size per time such as MB/min, KB/s or GiB/h")
                : throw new ThresholdSyntaxException(literal.Index, $"expected {Example(MetricKind.SizeRate)} but found '{literal.Written}'"),
            MetricKind.Number => literal.Unit is { } unit
                ? throw new ThresholdSyntaxException(unit.Index, $"a plain number takes no unit but found '{unit.Text}'")
                : new ThresholdValue((double)number, DecimalText.Normalize(number)),
        };
    }

    /// <summary>
    /// The kind a value of a series of the target's metrics is compared as, from the unit written: none is a plain
    /// number, a duration unit a duration (the series in seconds), <c>%</c> a ratio, a rate unit a rate, a size unit a
    /// size (the series in bytes). Null when no kind takes <paramref name="unit"/>.
    /// </summary>
    public static MetricKind? KindOfUnit(string? unit)
    {
        if (unit is null) return MetricKind.Number;
        foreach (var kind in (MetricKind[])[MetricKind.Duration, MetricKind.Ratio, MetricKind.Rate, MetricKind.Size])
            if (Accepts(kind, unit)) return kind;
        return null;
    }

    /// <summary>True when some kind a series' value may take accepts <paramref name="unit"/>.</summary>
    public static bool AcceptedBySeries(string unit) => KindOfUnit(unit) is not null;

    private static ThresholdValue Duration(decimal number, ValueLiteral literal) => literal.Unit is { } unit
        ? WithUnit(number, literal, unit, DurationUnits, "duration", Units.List(Units.DurationSymbols))
        : throw new ThresholdSyntaxException(literal.Index, $"expected {Example(MetricKind.Duration)} but found '{literal.Written}'");

    private static ThresholdValue Ratio(decimal number, ValueLiteral literal)
    {
        if (literal.Unit is { } unit) return WithUnit(number, literal, unit, RatioUnits, "ratio", "% or a bare fraction such as 0.001");
        // "error_rate < 5" almost always means 5%, which as a fraction would be 0.05.
        if (Math.Abs(number) > 1)
            throw new ThresholdSyntaxException(literal.Index,
                $"a ratio without % is a fraction from 0 to 1 but found '{literal.Written}'; did you mean '{literal.Written}%'?");
        // Shown as a percentage, like the measured ratio it is compared with.
        return new ThresholdValue((double)number, DecimalText.Normalize(number * 100) + "%");
    }

    private static ThresholdValue Rate(decimal number, ValueLiteral literal) => literal.Unit is { } unit
        ? WithUnit(number, literal, unit, RateUnits, "rate", string.Join(", ", Units.RateSymbols.Select(u => u.Text)) + " or a bare number per second")
        : new ThresholdValue((double)number, DecimalText.Normalize(number) + "/s");

    private static ThresholdValue Count(decimal number, ValueLiteral literal)
    {
        if (literal.Unit is not null)
            throw new ThresholdSyntaxException(literal.Unit.Index, $"a count takes no unit but found '{literal.Unit.Text}'; write a whole number such as 0");
        if (literal.Digits.Contains('.'))
            throw new ThresholdSyntaxException(literal.Index, $"expected {Example(MetricKind.Count)} but found '{literal.Written}'");
        return new ThresholdValue((double)number, DecimalText.Normalize(number));
    }

    private static ThresholdValue WithUnit(decimal number, ValueLiteral literal, UnitLiteral written, Unit[] accepted, string kindName, string expectedUnits)
    {
        var unit = accepted.FirstOrDefault(u => u.Symbol == written.Text)
            ?? throw new ThresholdSyntaxException(written.Index, $"unknown {kindName} unit '{written.Text}'; expected {expectedUnits}");
        try
        {
            return new ThresholdValue((double)(number * unit.BaseUnits), DecimalText.Normalize(number) + unit.Canonical);
        }
        catch (OverflowException)
        {
            throw TooLarge(literal);
        }
    }

    private static ThresholdSyntaxException TooLarge(ValueLiteral literal) =>
        new(literal.Index, $"the value '{literal.Written}' is too large");

    private static Unit[] UnitsOf(MetricKind kind) => kind switch
    {
        MetricKind.Duration => DurationUnits,
        MetricKind.Ratio => RatioUnits,
        MetricKind.Rate => RateUnits,
        MetricKind.Count => CountUnits,
        MetricKind.Size => SizeUnits,
        MetricKind.SizeRate => SizeRateUnits,
        MetricKind.Number => CountUnits,
    };
}

/// <summary>Decimal numbers as the threshold language writes them.</summary>
internal static class DecimalText
{
    /// <summary><paramref name="value"/> with no exponent, no leading or trailing zeros: <c>1.50</c> → <c>1.5</c>, <c>050</c> → <c>50</c>.</summary>
    public static string Normalize(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
