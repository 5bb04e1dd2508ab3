using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>The rows of a merged result's table of segments, the same in every report (Markdown, HTML, the terminal).</summary>
internal static class SegmentText
{
    /// <summary>The columns; a leading <c>&gt;</c> right-aligns a column.</summary>
    public static readonly string[] Headers = ["segment", "host", ">start skew", "started at", ">started", ">ok", ">failed", ">timed out", ">crashed", ">cut off", "from"];

    /// <summary>One line introducing the table.</summary>
    public static string Lead(IReadOnlyList<SegmentRow> segments) =>
        $"Merged from {segments.Count} segment{(segments.Count == 1 ? "" : "s")} (gauntlet merge): counts added, percentiles from the added histograms, verifiers once over the union of the histories.";

    /// <summary>A segment's cells, in the order of <see cref="Headers"/>.</summary>
    public static string[] Cells(SegmentRow row, int count) =>
    [
        $"{row.Index}/{count}",
        row.Host,
        row.StartSkewSeconds is { } skew ? Figures.Seconds(skew) : "—",
        Figures.Instant(row.StartedAt),
        Figures.Count(row.Counts.Started),
        Figures.Count(row.Counts.Ok),
        Figures.Count(row.Counts.Failed),
        Figures.Count(row.Counts.TimedOut),
        Figures.Count(row.Counts.Crashed),
        Figures.Count(row.Counts.CutOff),
        row.Source,
    ];
}
