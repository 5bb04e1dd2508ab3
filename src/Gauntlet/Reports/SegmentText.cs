using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// What the reports say of segments, the same in every report (Markdown, HTML, the terminal): a segment's own line,
/// and the rows of a merged result's table of segments.
/// </summary>
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

    /// <summary><c>segment 1 of 3 (judged by gauntlet merge), started 0.058 s after the shared start 2026-12-05 14:00:00 UTC</c>.</summary>
    public static string Of(SegmentInfo segment)
    {
        var text = $"segment {segment.Index} of {segment.Count} (thresholds and verifiers are judged by gauntlet merge)";
        if (segment.StartAt is not { } startAt) return text + ", started at once";
        var skew = segment.StartSkewSeconds ?? 0;
        return text + $", started {Figures.Seconds(Math.Abs(skew))} {(skew >= 0 ? "after" : "before")} the shared start {Figures.Instant(startAt)}";
    }
}
