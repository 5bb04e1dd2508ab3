using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>
/// Reads a history file written by <see cref="HistoryLog"/> back, one entry at a time, so that verifying a history
/// of millions of operations holds one line in memory, not the history.
/// </summary>
public static class HistoryReader
{
    /// <summary>
    /// The entries of <paramref name="scenario"/> (every scenario's when null) in <paramref name="path"/>, in file order,
    /// from byte <paramref name="offset"/> on. A line that is not a history entry throws <see cref="InvalidDataException"/>
    /// naming the file and line.
    /// </summary>
    public static IEnumerable<HistoryEntry> Read(string path, string? scenario = null, long offset = 0)
    {
        using var lines = new HistoryLines(path, scenario, offset, names: false);
        while (lines.Read()) yield return lines.Current.ToEntry();
    }

    /// <summary>
    /// As <see cref="Read"/>, with each entry's line number (from 1, counted from <paramref name="offset"/>) and, when
    /// <paramref name="names"/> is true, its scenario's name.
    /// </summary>
    internal static IEnumerable<(HistoryEntry Entry, long Line, string? Scenario)> ReadLines(string path, string? scenario = null, long offset = 0, bool names = true)
    {
        using var lines = new HistoryLines(path, scenario, offset, names);
        while (lines.Read()) yield return (lines.Current.ToEntry(), lines.LineNumber, lines.Scenario);
    }
}
