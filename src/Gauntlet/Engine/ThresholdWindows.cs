using System.Globalization;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Thresholds;
using HdrHistogram;

namespace Gauntlet.Engine;

/// <summary>
/// A scenario's per-second data as windows read it: its timeline, each point's latency counts (null where a point's
/// histogram is not known), and how long it issued. The engine keeps the counts of a run that has windowed or live
/// thresholds; a merge adds the segments' per-second histograms into them.
/// </summary>
internal sealed record SecondSeries(IReadOnlyList<TimelinePoint> Timeline, IReadOnlyList<LatencyCounts?> Latency, double IssuingSeconds);

/// <summary>
/// Judges a threshold written with <c>over</c> (<c>p99 &lt; 50ms over 10s</c>) on every sliding window of its length over
/// the per-second data: one window per start second, stepping one second, each lying wholly inside the issuing period.
/// The threshold fails when any window fails, and its result names the worst window. A window's percentiles come from
/// the sum of its seconds' histograms, exact over its operations; its rates are over the operations that ended in it.
/// Shared by the engine (one run), the merge of segments and the live watch (<see cref="AbortWatch"/>).
/// </summary>
internal static class ThresholdWindows
{
    /// <summary>Slack on second boundaries: a point's end is read off a clock, a few milliseconds either way.</summary>
    private const double Slack = 0.05;

    public static ThresholdResult Judge(Threshold threshold, SecondSeries series)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        var length = threshold.Window!.Value.TotalSeconds;
        var points = Issuing(series);
        var window = new LatencyWindow();
        var scratch = Histograms.Create();
        ThresholdResult? worst = null;
        var (worstFrom, worstTo, worstBadness) = (0.0, 0.0, double.NegativeInfinity);
        int judged = 0, failed = 0, unmeasured = 0;
        var end = 0;
        for (var first = 0; first < points.Count; first++)
        {
            var from = points[first].From;
            // Grow the window to its length, then judge it; shrink it by its first second before the next start.
            while (end < points.Count && points[end].Point.Second <= from + length + Slack)
            {
                if (points[end].Latency is { } counts) window.Add(counts);
                end++;
            }
            var last = end - 1;
            if (last < first)
            {
                // This second alone is longer than the window (the collector covered a stall with one point): no window starts here.
                end = first + 1;
                continue;
            }
            if (points[last].Point.Second < from + length - Slack) break;
            var source = WindowMetricSource.Over(points, first, last, window, scratch);
            var result = ThresholdEvaluator.EvaluateWindow(threshold, source);
            if (result.Actual is { } actual)
            {
                judged++;
                if (!result.Passed) failed++;
                var badness = Badness(threshold, actual);
                if (badness > worstBadness)
                    (worst, worstFrom, worstTo, worstBadness) = (result, from, points[last].Point.Second, badness);
            }
            else unmeasured++;
            if (points[first].Latency is { } leaving) window.Remove(leaving);
        }
        if (worst is null)
        {
            var why = judged + unmeasured == 0
                ? $"the scenario issued for {Seconds(series.IssuingSeconds)}, shorter than the {Seconds(length)} window; no window of that length fits in it"
                : $"none of its {unmeasured} windows had a measurement (no operation completed in them, or their seconds carry no histogram)";
            return new ThresholdResult(threshold.Expression, threshold.Target, null, Format.Number(double.NaN), false, Threshold.CannotBeJudgedNote + why);
        }
        var note = $"worst window {Seconds(worstFrom)}-{Seconds(worstTo)}; "
            + (failed == 0 ? $"all {judged} windows passed" : $"{failed} of {judged} windows failed");
        return worst with
        {
            Passed = failed == 0,
            Note = worst.Note is null ? note : note + "; " + worst.Note,
            Window = new WorstWindow(Math.Round(worstFrom, 3), Math.Round(worstTo, 3), judged, failed),
        };
    }

    /// <summary>
    /// The window of the last <see cref="Threshold.Window"/> seconds of <paramref name="series"/> (the latest complete one),
    /// judged; null when fewer seconds than that have passed, or when it had no measurement.
    /// </summary>
    public static (ThresholdResult Result, WorstWindow Window)? Latest(Threshold threshold, SecondSeries series)
    {
        var length = threshold.Window!.Value.TotalSeconds;
        var points = Issuing(series);
        if (points.Count == 0) return null;
        var last = points.Count - 1;
        var to = points[last].Point.Second;
        var first = last;
        while (first > 0 && points[first - 1].From >= to - length - Slack) first--;
        if (points[first].From > to - length + Slack) return null;
        var window = new LatencyWindow();
        for (var i = first; i <= last; i++)
            if (points[i].Latency is { } counts) window.Add(counts);
        var result = ThresholdEvaluator.EvaluateWindow(threshold, WindowMetricSource.Over(points, first, last, window, Histograms.Create()));
        return result.Actual is null ? null : (result, new WorstWindow(Math.Round(points[first].From, 3), Math.Round(to, 3), 1, result.Passed ? 0 : 1));
    }

    /// <summary>How far a window's value is from passing, larger is worse, so the worst window is the one with the largest.</summary>
    private static double Badness(Threshold threshold, double actual) => threshold.Comparison switch
    {
        Comparison.Less or Comparison.LessOrEqual => actual,
        Comparison.Greater or Comparison.GreaterOrEqual => -actual,
        Comparison.Equal => Math.Abs(actual - threshold.Value),
        Comparison.NotEqual => -Math.Abs(actual - threshold.Value),
        _ => actual,
    };

    /// <summary>One timeline point with the second it starts at and its latency counts.</summary>
    internal readonly record struct Second(TimelinePoint Point, double From, LatencyCounts? Latency);

    /// <summary>The points that end inside the issuing period, each with its start (the previous point's end).</summary>
    internal static List<Second> Issuing(SecondSeries series)
    {
        var points = new List<Second>(series.Timeline.Count);
        var previous = 0.0;
        for (var i = 0; i < series.Timeline.Count; i++)
        {
            var point = series.Timeline[i];
            if (point.Second > series.IssuingSeconds + Slack) break;
            var counts = i < series.Latency.Count ? series.Latency[i] : null;
            // A second in which nothing completed needs no histogram.
            points.Add(new Second(point, previous, counts ?? (point.Completed == 0 ? LatencyCounts.Empty : null)));
            previous = point.Second;
        }
        return points;
    }

    /// <summary><c>12s</c>, <c>12.5s</c>.</summary>
    internal static string Seconds(double seconds) => Math.Round(seconds, 1).ToString("0.#", CultureInfo.InvariantCulture) + "s";

    /// <summary>
    /// The figures of one window: latency from its histogram (when each of its seconds that completed operations has
    /// one), rates over the operations that ended in it, counts summed, throughput over its length. The live watch of a
    /// threshold without a window reads the whole run so far, and the running totals' counts of each outcome.
    /// </summary>
    internal sealed class WindowMetricSource : IWindowMetricSource
    {
        private long _started, _ok, _completed, _errors, _dropped;
        private double _seconds;
        private HistogramBase? _latency;
        private Collector.Totals? _totals;

        public static WindowMetricSource Over(List<Second> points, int first, int last, LatencyWindow? window, HistogramBase scratch, Collector.Totals? totals = null)
        {
            var source = new WindowMetricSource { _totals = totals };
            var complete = true;
            for (var i = first; i <= last; i++)
            {
                var point = points[i].Point;
                source._started += point.Started;
                source._ok += point.Ok;
                source._completed += point.Completed;
                source._errors += point.Errors;
                source._dropped += point.Dropped;
                if (points[i].Latency is null) complete = false;
            }
            source._seconds = last >= first ? points[last].Point.Second - points[first].From : 0;
            source._latency = complete && window is not null ? window.Fill(scratch) : null;
            return source;
        }

        public bool TryGet(string key, out double value)
        {
            double? found = key switch
            {
                "min" => Latency(h => Histograms.MinValue(h)),
                "max" => Latency(h => h.GetMaxValue()),
                "mean" => Latency(h => h.GetMean()),
                "stddev" => Latency(h => h.GetStdDeviation()),
                "error_rate" => _completed > 0 ? _errors / (double)_completed : null,
                "success_rate" => _completed > 0 ? _ok / (double)_completed : null,
                "throughput" => _seconds > 0 ? _completed / _seconds : null,
                "count(started)" => _started,
                "count(ok)" => _ok,
                "count(dropped)" => _dropped,
                "count(failed)" => _totals?.Failed,
                "count(timed_out)" => _totals?.TimedOut,
                "count(crashed)" => _totals?.Crashed,
                _ when key.Length > 1 && key[0] == 'p' && double.TryParse(key.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percentile)
                    => percentile is > 0 and <= 100 ? Latency(h => h.GetValueAtPercentile(percentile)) : null,
                _ => null,
            };
            value = found ?? double.NaN;
            return found is not null;
        }

        private double? Latency(Func<HistogramBase, double> read) => _latency is { TotalCount: > 0 } h ? read(h) : null;
    }
}
