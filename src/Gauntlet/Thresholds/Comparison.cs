namespace Gauntlet.Thresholds;

/// <summary>How a threshold compares the measured value (left) with its target (right).</summary>
public enum Comparison
{
    /// <summary><c>&lt;</c>: the measured value must be below the target.</summary>
    Less,

    /// <summary><c>&lt;=</c>: the measured value must be at most the target.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>: the measured value must be above the target.</summary>
    Greater,

    /// <summary><c>&gt;=</c>: the measured value must be at least the target.</summary>
    GreaterOrEqual,

    /// <summary><c>==</c>: the measured value must equal the target.</summary>
    Equal,

    /// <summary><c>!=</c>: the measured value must differ from the target.</summary>
    NotEqual,
}

// A new Comparison member must fail the build here (CS8509), so these switches have no discard arm.
// Unnamed enum values (CS8524) cannot reach them: only the parser creates a Comparison, from a symbol.
#pragma warning disable CS8524

/// <summary>The symbols of <see cref="Comparison"/> as the threshold language spells them.</summary>
internal static class ComparisonSymbols
{
    /// <summary>Every comparison, in the order the language reference lists them.</summary>
    public static readonly Comparison[] All =
    [
        Comparison.Less, Comparison.LessOrEqual, Comparison.Greater,
        Comparison.GreaterOrEqual, Comparison.Equal, Comparison.NotEqual,
    ];

    /// <summary>The list used in "expected a comparison (...)" messages.</summary>
    public static readonly string Expected = "(" + string.Join(", ", All.Select(Symbol)) + ")";

    /// <summary>Symbols people write for a comparison the language spells differently.</summary>
    private static readonly Dictionary<string, Comparison> Misspellings = new()
    {
        ["="] = Comparison.Equal,
        ["==="] = Comparison.Equal,
        ["=<"] = Comparison.LessOrEqual,
        ["=>"] = Comparison.GreaterOrEqual,
        ["<>"] = Comparison.NotEqual,
        ["!"] = Comparison.NotEqual,
        ["!=="] = Comparison.NotEqual,
        ["≤"] = Comparison.LessOrEqual,
        ["≥"] = Comparison.GreaterOrEqual,
        ["≠"] = Comparison.NotEqual,
    };

    /// <summary>The symbol of <paramref name="comparison"/>: <c>&lt;</c>, <c>&lt;=</c>, ...</summary>
    public static string Symbol(this Comparison comparison) => comparison switch
    {
        Comparison.Less => "<",
        Comparison.LessOrEqual => "<=",
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        Comparison.Equal => "==",
        Comparison.NotEqual => "!=",
    };

    /// <summary>True when <paramref name="c"/> can be part of a comparison symbol, valid or not.</summary>
    public static bool IsSymbolChar(char c) => c is '<' or '>' or '=' or '!' or '≤' or '≥' or '≠';

    /// <summary>The comparison spelled exactly <paramref name="symbol"/>.</summary>
    public static bool TryFromSymbol(string symbol, out Comparison comparison)
    {
        foreach (var candidate in All)
        {
            if (candidate.Symbol() == symbol)
            {
                comparison = candidate;
                return true;
            }
        }
        comparison = default;
        return false;
    }

    /// <summary>The comparison someone most likely meant by an invalid <paramref name="symbol"/>, if there is an obvious one.</summary>
    public static bool TrySuggest(string symbol, out Comparison comparison) => Misspellings.TryGetValue(symbol, out comparison);
}
