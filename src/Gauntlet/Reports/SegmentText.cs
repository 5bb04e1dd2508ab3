using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>The line a segment's reports give it: which segment, and how it kept to the shared start.</summary>
internal static class SegmentText
{
    /// <summary><c>segment 1 of 3 (judged by gauntlet merge), started 0.058 s after the shared start 2026-12-05 14:00:00 UTC</c>.</summary>
    public static string Of(SegmentInfo segment)
    {
        var text = $"segment {segment.Index} of {segment.Count} (thresholds and verifiers are judged by gauntlet merge)";
        if (segment.StartAt is not { } startAt) return text + ", started at once";
        var skew = segment.StartSkewSeconds ?? 0;
        return text + $", started {Figures.Seconds(Math.Abs(skew))} {(skew >= 0 ? "after" : "before")} the shared start {Figures.Instant(startAt)}";
    }
}
