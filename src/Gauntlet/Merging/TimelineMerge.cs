using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Merging;

/// <summary>
/// Lays the segments' per-second timelines on one clock, the merged scenario's, which starts at the earliest segment's
/// start. A segment that started <c>d</c> seconds later has its point for <c>(x-1, x]</c> at <c>(d+x-1, d+x]</c> on
/// that clock, and it joins the merged second holding most of it (the one holding its middle), as the one machine's
/// collector would have counted those operations, up to the part of a second the segments' starts differ by. Counts
/// are added; each merged second's p50 and p99 come from the added per-second histograms, never from averaging. Each
/// segment is its own load generator, so a merged second has the busiest segment's figures of Gauntlet itself (CPU,
/// scheduling lag p99, thread-pool queue) and every segment's generator-limited marks: a segment that could not issue
/// its share limited the whole run's rate in that second.
/// </summary>
internal static class TimelineMerge
{
    /// <summary>One segment's timeline and how many seconds after the merged start it began.</summary>
    public sealed record Part(IReadOnlyList<TimelinePoint> Timeline, double OffsetSeconds);

    /// <summary>The merged timeline, and whether every second that completed operations had a histogram to take percentiles from.</summary>
    /// <param name="parts">The segments' timelines.</param>
    /// <param name="durationSeconds">The merged scenario's duration.</param>
    /// <param name="latency">When given, receives each merged point's latency counts (null for a second without its histograms), for windowed thresholds.</param>
    public static (List<TimelinePoint> Timeline, bool PercentilesExact) Merge(IReadOnlyList<Part> parts, double durationSeconds, List<LatencyCounts?>? latency = null)
    {
        var seconds = new SortedDictionary<int, Second>();
        foreach (var part in parts) Place(part, seconds);
        // Each second's histograms are added on its own: side by side, on every core.
        var ordered = seconds.ToArray();
        var points = new TimelinePoint[ordered.Length];
        var counts = new LatencyCounts?[ordered.Length];
        Parallel.For(0, ordered.Length, i =>
        {
            var (index, second) = ordered[i];
            (points[i], counts[i]) = second.ToPoint(Math.Min(index, Math.Max(durationSeconds, index - 1 + 1e-6)), keepCounts: latency is not null);
        });
        latency?.AddRange(counts);
        return ([.. points], ordered.All(s => s.Value.HistogramsComplete));
    }

    /// <summary>The merged second (1 for the first: (0, 1]) that holds the middle of a segment's interval.</summary>
    public static int MergedSecond(double offsetSeconds, double previousSecond, double second) =>
        Math.Max(1, (int)Math.Ceiling(offsetSeconds + (previousSecond + second) / 2));

    private static void Place(Part part, SortedDictionary<int, Second> seconds)
    {
        var previous = 0.0;
        foreach (var point in part.Timeline)
        {
            var index = MergedSecond(part.OffsetSeconds, previous, point.Second);
            if (!seconds.TryGetValue(index, out var second)) seconds[index] = second = new Second();
            second.Add(point, part);
            previous = point.Second;
        }
    }

    /// <summary>The sums of one merged second.</summary>
    private sealed class Second
    {
        private long _started, _completed, _ok, _errors, _dropped;
        private readonly List<LatencySummary> _latency = [];
        // In flight and running workers at the end of the second: each segment's latest point in it, added up.
        private readonly Dictionary<Part, (long InFlight, int Workers)> _endOf = [];
        private double? _cpu, _lag;
        private long? _queue;
        private GeneratorLimits? _limits;

        public bool HistogramsComplete { get; private set; } = true;

        public void Add(TimelinePoint point, Part from)
        {
            _started += point.Started;
            _completed += point.Completed;
            _ok += point.Ok;
            _errors += point.Errors;
            _dropped += point.Dropped;
            _endOf[from] = (point.InFlight, point.Workers);
            _cpu = Max(_cpu, point.GauntletCpu);
            _lag = Max(_lag, point.LagP99Micros);
            _queue = point.ThreadPoolQueue is { } queue ? Math.Max(_queue ?? 0, queue) : _queue;
            if (point.LimitedBy is { } limits)
                _limits = new GeneratorLimits { Cpu = limits.Cpu || _limits?.Cpu == true, SchedulingLag = limits.SchedulingLag || _limits?.SchedulingLag == true };
            if (point.Histogram is { } encoded) _latency.Add(new LatencySummary { Count = point.Completed, Histogram = encoded });
            else if (point.Completed > 0) HistogramsComplete = false;
        }

        public (TimelinePoint Point, LatencyCounts? Latency) ToPoint(double second, bool keepCounts)
        {
            var latency = HistogramsComplete && _latency.Count > 0 ? Histograms.Sum(_latency) : null;
            var counts = !keepCounts ? null : latency is not null ? LatencyCounts.Of(latency) : HistogramsComplete ? LatencyCounts.Empty : null;
            return (new TimelinePoint
            {
                Second = Math.Round(second, 6),
                Started = _started,
                Completed = _completed,
                Ok = _ok,
                Errors = _errors,
                Dropped = _dropped,
                P50Micros = latency is { TotalCount: > 0 } ? latency.GetValueAtPercentile(50) : 0,
                P99Micros = latency is { TotalCount: > 0 } ? latency.GetValueAtPercentile(99) : 0,
                InFlight = _endOf.Values.Sum(v => v.InFlight),
                Workers = _endOf.Values.Sum(v => v.Workers),
                GauntletCpu = _cpu,
                LagP99Micros = _lag,
                ThreadPoolQueue = _queue,
                LimitedBy = _limits,
            }, counts);
        }

        private static double? Max(double? a, double? b) => a is { } x && b is { } y ? Math.Max(x, y) : a ?? b;
    }
}
