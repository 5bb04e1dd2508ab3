using System.Globalization;

namespace Gauntlet.Scenarios;

/// <summary>
/// Segment <see cref="Index"/> of <see cref="Count"/> of a scenario split across machines (<c>--segment i/n</c>, in the
/// spirit of k6's execution segments). Everything a scenario hands out in order (workers, agents, arrivals, shared
/// iterations, feeder rows) is dealt like cards: item <c>k</c> (from 0) goes to segment <c>k mod n</c>. So the shares
/// add up to the whole exactly, a remainder goes one each to the first segments, the segments' arrivals interleave
/// instead of coming in n bursts at the same instants, and an item keeps its global number (worker 7 is worker 7 in
/// whichever segment runs it), so histories and <c>{worker}</c> templates never collide across segments.
/// </summary>
public sealed record Segment
{
    /// <summary>The whole scenario: one segment of one.</summary>
    public static readonly Segment Whole = new(0, 1);

    /// <summary>Segment <paramref name="index"/> (from 0) of <paramref name="count"/>.</summary>
    public Segment(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    /// <summary>The segment's index, from 0 (as Kubernetes numbers an Indexed Job's pods).</summary>
    public int Index { get; }

    /// <summary>How many segments the scenario is split into.</summary>
    public int Count { get; }

    /// <summary>True for the whole scenario (one segment).</summary>
    public bool IsWhole => Count == 1;

    /// <summary>How many of the items 0 .. <paramref name="total"/> - 1 are this segment's.</summary>
    public long ShareOf(long total) => total <= Index ? 0 : (total - Index + Count - 1) / Count;

    /// <inheritdoc cref="ShareOf(long)"/>
    public int ShareOf(int total) => (int)ShareOf((long)total);

    /// <summary>The global number of this segment's item <paramref name="local"/> (both from 0).</summary>
    public long GlobalOf(long local) => local * Count + Index;

    /// <inheritdoc cref="GlobalOf(long)"/>
    public int GlobalOf(int local) => checked(local * Count + Index);

    /// <summary>True when item <paramref name="global"/> (from 0) is this segment's.</summary>
    public bool Owns(long global) => global % Count == Index;

    /// <summary>This segment's number for item <paramref name="global"/>, which it must own.</summary>
    public int LocalOf(int global) => global / Count;

    /// <summary>The form the command line takes.</summary>
    public const string Syntax = "i/n, i from 0 to n-1 (e.g. 0/4 for the first of four)";

    /// <summary>Reads <c>i/n</c>; on failure <paramref name="error"/> says what was wrong and the form expected.</summary>
    public static bool TryParse(string? text, out Segment segment, out string error)
    {
        segment = Whole;
        error = "";
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"'{text}' is not a segment; expected {Syntax}";
            return false;
        }
        if (count < 1 || index >= count)
        {
            error = count < 1
                ? $"'{text}' splits into {count} segments; expected {Syntax}"
                : $"'{text}' names segment {index}, but segments of {count} are numbered 0 to {count - 1}; expected {Syntax}";
            return false;
        }
        segment = new Segment(index, count);
        return true;
    }

    /// <summary><c>i/n</c>.</summary>
    public override string ToString() => $"{Index}/{Count}";
}
