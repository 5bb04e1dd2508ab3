using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>One row of a condensed timeline: a single second, or a run of consecutive seconds added up.</summary>
/// <param name="From">End of the first second in the row, in seconds since the scenario start.</param>
/// <param name="To">End of the last second in the row.</param>
/// <param name="Points">How many seconds the row holds.</param>
/// <param name="Started">Operations started, summed.</param>
/// <param name="Ok">Ok outcomes, summed.</param>
/// <param name="Errors">Failed, timed-out and crashed outcomes, summed.</param>
/// <param name="Dropped">Dropped arrivals, summed.</param>
/// <param name="RatePerSecond">Completions per second over the row's span; NaN when the span is empty.</param>
/// <param name="P50">Worst per-second median (us); NaN when nothing completed.</param>
/// <param name="P99">Worst per-second 99th percentile (us); NaN when nothing completed.</param>
/// <param name="MaxInFlight">Largest in-flight count at the end of a second.</param>
/// <param name="MaxWorkers">Largest worker count at the end of a second.</param>
/// <param name="Note">Why the row stands out (errors, dropped, stall, p99 jump, generator-limited), or empty.</param>
internal sealed record TimelineRow(
    double From, double To, int Points, long Started, long Ok, long Errors, long Dropped,
    double RatePerSecond, double P50, double P99, long MaxInFlight, int MaxWorkers, string Note);

/// <summary>
/// Shrinks a per-second timeline to a table a person reads: every second of a short run, and about twenty buckets of
/// a long one, where the seconds that matter (errors, dropped arrivals, stalls, p99 jumps, seconds in which Gauntlet
/// itself limited the rate) keep a row of their own.
/// </summary>
internal static class TimelineCondenser
{
    /// <summary>A timeline with at most this many seconds is shown second by second.</summary>
    public const int MaxUncondensed = 30;

    /// <summary>Buckets a long timeline is cut into before notable seconds are split out.</summary>
    public const int TargetBuckets = 20;

    /// <summary>A condensed timeline never has more rows than this.</summary>
    public const int MaxRows = 25;

    /// <summary>Notable seconds kept as their own rows in a long timeline; the rest stay summed in their bucket.</summary>
    public const int MaxNotable = 8;

    /// <summary>A second whose p99 is this many times the run's median per-second p99 is a jump.</summary>
    public const double P99JumpFactor = 2;

    /// <summary>The note of a second in which Gauntlet itself, not the target, limited the rate (<see cref="TimelinePoint.LimitedBy"/>).</summary>
    public const string GeneratorLimitedNote = "generator-limited";

    /// <summary>Rows for the timeline, condensed when it holds more than <see cref="MaxUncondensed"/> seconds.</summary>
    public static IReadOnlyList<TimelineRow> Condense(IReadOnlyList<TimelinePoint> points)
    {
        var notes = Notes(points);
        if (points.Count <= MaxUncondensed) return Rows(points, notes, keep: _ => true, bucketWidth: 1);

        var kept = PickNotable(points, notes);
        // Each kept second can split its bucket in two, so fewer buckets may be needed to stay within MaxRows.
        for (var buckets = TargetBuckets; ; buckets--)
        {
            var width = (points.Count + buckets - 1) / buckets;
            var rows = Rows(points, notes, kept.Contains, width);
            if (rows.Count <= MaxRows || buckets == 1) return rows;
        }
    }

    private static List<TimelineRow> Rows(IReadOnlyList<TimelinePoint> points, string[] notes, Func<int, bool> keep, int bucketWidth)
    {
        var rows = new List<TimelineRow>();
        var first = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var last = i == points.Count - 1;
            var endsHere = bucketWidth == 1 || keep(i) || last || keep(i + 1) || (i + 1) / bucketWidth != i / bucketWidth;
            if (!endsHere) continue;
            rows.Add(Row(points, first, i, first == i ? notes[i] : BucketNote(notes, first, i)));
            first = i + 1;
        }
        return rows;
    }

    private static TimelineRow Row(IReadOnlyList<TimelinePoint> points, int first, int last, string note)
    {
        long started = 0, ok = 0, errors = 0, dropped = 0, inFlight = 0;
        var workers = 0;
        double p50 = double.NaN, p99 = double.NaN;
        for (var i = first; i <= last; i++)
        {
            var p = points[i];
            started += p.Started;
            ok += p.Ok;
            errors += p.Errors;
            dropped += p.Dropped;
            inFlight = Math.Max(inFlight, p.InFlight);
            workers = Math.Max(workers, p.Workers);
            if (p.Completed > 0)
            {
                p50 = double.IsNaN(p50) ? p.P50Micros : Math.Max(p50, p.P50Micros);
                p99 = double.IsNaN(p99) ? p.P99Micros : Math.Max(p99, p.P99Micros);
            }
        }
        var from = first == 0 ? 0 : points[first - 1].Second;
        var span = points[last].Second - from;
        long completed = 0;
        for (var i = first; i <= last; i++) completed += points[i].Completed;
        var rate = span > 0 ? completed / span : double.NaN;
        return new TimelineRow(points[first].Second, points[last].Second, last - first + 1, started, ok, errors, dropped,
            rate, p50, p99, inFlight, workers, note);
    }

    /// <summary>Why each second stands out, or an empty string.</summary>
    private static string[] Notes(IReadOnlyList<TimelinePoint> points)
    {
        var p99s = new List<double>();
        foreach (var p in points)
            if (p.Completed > 0) p99s.Add(p.P99Micros);
        p99s.Sort();
        var typicalP99 = p99s.Count == 0 ? double.NaN : p99s[p99s.Count / 2];

        var notes = new string[points.Count];
        var reasons = new List<string>(5);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            reasons.Clear();
            if (p.Errors > 0) reasons.Add("errors");
            if (p.Dropped > 0) reasons.Add("dropped");
            if (p.Completed == 0 && p.InFlight > 0) reasons.Add("stall");
            if (p.Completed > 0 && typicalP99 > 0 && p.P99Micros >= P99JumpFactor * typicalP99) reasons.Add("p99 jump");
            if (GeneratorSaturation.IsLimited(p)) reasons.Add(GeneratorLimitedNote);
            notes[i] = string.Join(", ", reasons);
        }
        return notes;
    }

    /// <summary>
    /// The notable seconds that keep their own row: the first second of each kind of trouble, the worst p99, the most
    /// errors, then the rest in order of errors and p99, at most <see cref="MaxNotable"/>.
    /// </summary>
    private static HashSet<int> PickNotable(IReadOnlyList<TimelinePoint> points, string[] notes)
    {
        var candidates = new List<int>();
        for (var i = 0; i < points.Count; i++)
            if (notes[i].Length > 0) candidates.Add(i);
        if (candidates.Count <= MaxNotable) return [.. candidates];

        var kept = new HashSet<int>();
        void Add(int index)
        {
            if (index >= 0 && kept.Count < MaxNotable) kept.Add(index);
        }
        Add(candidates.FirstOrDefault(i => points[i].Errors > 0, -1));
        Add(candidates.FirstOrDefault(i => points[i].Dropped > 0, -1));
        Add(candidates.FirstOrDefault(i => points[i].Completed == 0, -1));
        Add(candidates.FirstOrDefault(i => GeneratorSaturation.IsLimited(points[i]), -1));
        Add(candidates.Where(i => points[i].Completed > 0).DefaultIfEmpty(-1).MaxBy(i => i < 0 ? 0 : points[i].P99Micros));
        Add(candidates.Where(i => points[i].Errors > 0).DefaultIfEmpty(-1).MaxBy(i => i < 0 ? 0 : points[i].Errors));
        foreach (var i in candidates.OrderByDescending(i => points[i].Errors + points[i].Dropped).ThenByDescending(i => points[i].P99Micros))
            Add(i);
        return kept;
    }

    private static string BucketNote(string[] notes, int first, int last)
    {
        var flagged = 0;
        var kinds = new List<string>();
        for (var i = first; i <= last; i++)
        {
            if (notes[i].Length == 0) continue;
            flagged++;
            foreach (var kind in notes[i].Split(", "))
                if (!kinds.Contains(kind)) kinds.Add(kind);
        }
        return flagged == 0 ? "" : $"{flagged}s with {string.Join(", ", kinds)}";
    }
}
