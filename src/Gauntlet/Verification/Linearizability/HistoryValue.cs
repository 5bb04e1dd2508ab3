namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// The values of a linearizability history, in Jepsen's notation: an atom (<c>4</c>, <c>agent3-7</c>), nil
/// (<c>nil</c>, <c>null</c>, or no value at all), or a vector of values in brackets (<c>[3 4]</c>, <c>[k1 [3 4]]</c>),
/// elements separated by spaces or commas.
/// </summary>
internal sealed class HistoryValue
{
    private HistoryValue(string? atom, HistoryValue[]? items)
    {
        Atom = atom;
        Items = items;
    }

    public static readonly HistoryValue Nil = new(null, null);

    /// <summary>The atom's text; null for nil or a vector.</summary>
    public string? Atom { get; }

    /// <summary>The vector's elements; null for an atom or nil.</summary>
    public HistoryValue[]? Items { get; }

    public bool IsNil => Atom is null && Items is null;

    /// <summary>Parses <paramref name="text"/>; false with <paramref name="error"/> saying what is wrong.</summary>
    public static bool TryParse(string? text, out HistoryValue value, out string error)
    {
        value = Nil;
        error = "";
        if (text is null) return true;
        var position = 0;
        if (!TryParse(text, ref position, out value, out error)) return false;
        SkipSpace(text, ref position);
        if (position < text.Length)
        {
            error = $"unexpected '{text[position]}' at column {position + 1} of '{text}'";
            return false;
        }
        return true;
    }

    private static bool TryParse(string text, ref int position, out HistoryValue value, out string error)
    {
        value = Nil;
        error = "";
        SkipSpace(text, ref position);
        if (position == text.Length) return true;   // empty text is nil
        if (text[position] == '[')
        {
            position++;
            var items = new List<HistoryValue>();
            while (true)
            {
                SkipSpace(text, ref position);
                if (position == text.Length)
                {
                    error = $"'{text}' has a '[' without its ']'";
                    return false;
                }
                if (text[position] == ']')
                {
                    position++;
                    value = new HistoryValue(null, items.ToArray());
                    return true;
                }
                if (!TryParse(text, ref position, out var item, out error)) return false;
                items.Add(item);
            }
        }
        if (text[position] == ']')
        {
            error = $"'{text}' has a ']' without its '['";
            return false;
        }
        var start = position;
        while (position < text.Length && !IsSeparator(text[position]) && text[position] is not ('[' or ']')) position++;
        var atom = text[start..position];
        value = atom is "nil" or "null" ? Nil : new HistoryValue(atom, null);
        return true;
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || c == ',';

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && IsSeparator(text[position])) position++;
    }

    public override string ToString() => Atom ?? (Items is null ? "nil" : "[" + string.Join(" ", Items.Select(i => i.ToString())) + "]");
}
