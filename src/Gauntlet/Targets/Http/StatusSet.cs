using System.Globalization;

namespace Gauntlet.Targets.Http;

/// <summary>The status codes an operation accepts: codes (<c>200</c>), classes (<c>2xx</c>) and ranges (<c>200-299</c>).</summary>
public sealed class StatusSet
{
    private readonly bool[] _accepted = new bool[600];

    private StatusSet(string text) => Text = text;

    /// <summary>The set as written, e.g. <c>200, 204</c> or <c>4xx</c>.</summary>
    public string Text { get; }

    /// <summary>The default for a request: any 2xx or 3xx.</summary>
    public static StatusSet Success { get; } = Parse("2xx, 3xx");

    /// <summary>The default for a request that expects a rejection: any 4xx.</summary>
    public static StatusSet Rejection { get; } = Parse("4xx");

    /// <summary>True when <paramref name="code"/> is accepted.</summary>
    public bool Accepts(int code) => (uint)code < 600 && _accepted[code];

    /// <summary>Parses one or more items separated by commas; throws <see cref="FormatException"/> when one is wrong.</summary>
    public static StatusSet Parse(string text) =>
        TryParse([.. text.Split(',')], out var set, out var error) ? set : throw new FormatException(error);

    /// <summary>Parses items such as <c>200</c>, <c>2xx</c>, <c>200-204</c>.</summary>
    public static bool TryParse(IReadOnlyList<string> items, out StatusSet set, out string? error)
    {
        set = new StatusSet(string.Join(", ", items.Select(i => i.Trim())));
        error = null;
        if (items.Count == 0)
        {
            error = "expected at least one status code, such as 200 or 2xx";
            return false;
        }
        foreach (var raw in items)
        {
            var item = raw.Trim();
            if (item.Length == 3 && item[0] is >= '1' and <= '5' && item.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
            {
                var from = (item[0] - '0') * 100;
                for (var c = from; c < from + 100; c++) set._accepted[c] = true;
                continue;
            }
            var dash = item.IndexOf('-');
            if (dash > 0 && Code(item[..dash], out var low) && Code(item[(dash + 1)..], out var high) && low <= high)
            {
                for (var c = low; c <= high; c++) set._accepted[c] = true;
                continue;
            }
            if (dash < 0 && Code(item, out var code))
            {
                set._accepted[code] = true;
                continue;
            }
            error = $"'{item}' is not a status code (100-599), a class such as 2xx, or a range such as 200-204";
            return false;
        }
        return true;
    }

    private static bool Code(string text, out int code) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out code) && code is >= 100 and <= 599;

    /// <inheritdoc />
    public override string ToString() => Text;
}
