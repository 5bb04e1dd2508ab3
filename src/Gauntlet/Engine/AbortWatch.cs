using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Thresholds;
using HdrHistogram;

namespace Gauntlet.Engine;

/// <summary>
/// Watches the thresholds written with <c>abort:</c> (<see cref="Threshold.AbortAfter"/>) while the scenario runs, as
/// k6's <c>abortOnFail</c> with <c>delayAbortEval</c>: after each second the collector hands it the data so far; a
/// threshold is judged from its <c>after</c> on, a windowed one on its latest complete window and any other on the
/// whole run so far. The first failure stops issuing (<see cref="StopReason.Aborted"/>): in-flight operations get the
/// grace period, as at the end of the duration, and the result is written as usual, saying the scenario was aborted.
/// A threshold without a measurement yet (nothing completed) does not abort. Runs on the collector's thread.
/// </summary>
internal sealed class AbortWatch
{
    /// <summary>A second read off the clock may end a hair before the whole second it stands for.</summary>
    private const double Slack = 1e-3;

    private readonly ScenarioRun _run;
    private readonly Threshold[] _thresholds;
    private readonly LatencyWindow _soFar = new();
    private readonly HistogramBase _scratch = Histograms.Create();
    private bool _soFarComplete = true;

    private AbortWatch(ScenarioRun run, Threshold[] thresholds)
    {
        _run = run;
        _thresholds = thresholds;
    }

    /// <summary>Set when a threshold failed and stopped the scenario.</summary>
    public ScenarioAbort? Aborted { get; private set; }

    /// <summary>
    /// The watch of <paramref name="run"/>'s abort thresholds; null when it has none, or is a segment of a split run,
    /// whose share of the figures cannot judge the whole run's thresholds.
    /// </summary>
    public static AbortWatch? For(ScenarioRun run)
    {
        Threshold[] watched = [.. run.Scenario.Thresholds.Where(t => t.AbortAfter is not null && t.Error is null)];
        return watched.Length == 0 || !run.Segment.IsWhole ? null : new AbortWatch(run, watched);
    }

    /// <summary>After the collector added a point (not the last, partial one) and its latency counts.</summary>
    public void OnSecond(IReadOnlyList<TimelinePoint> timeline, IReadOnlyList<LatencyCounts?> latency, Collector.Totals totals)
    {
        if (latency.Count > 0 && latency[^1] is { } counts) _soFar.Add(counts);
        else _soFarComplete = false;
        if (Aborted is not null || _run.IssuingStopped) return;
        var now = timeline[^1].Second;
        var series = new SecondSeries(timeline, latency, double.MaxValue);
        foreach (var threshold in _thresholds)
        {
            if (now + Slack < threshold.AbortAfter!.Value.TotalSeconds) continue;
            ThresholdResult result;
            WorstWindow? window = null;
            if (threshold.Window is not null)
            {
                if (ThresholdWindows.Latest(threshold, series) is not var (latest, failing)) continue;
                (result, window) = (latest, failing);
            }
            else
            {
                var points = ThresholdWindows.Issuing(series);
                var source = ThresholdWindows.WindowMetricSource.Over(points, 0, points.Count - 1, _soFarComplete ? _soFar : null, _scratch, totals);
                result = ThresholdEvaluator.EvaluateWindow(threshold, source);
            }
            if (result.Actual is null || result.Passed) continue;
            Aborted = new ScenarioAbort(Math.Round(now, 3), threshold.Expression, result.ActualText) { Window = window };
            _run.StopIssuing(StopReason.Aborted);
            return;
        }
    }

    /// <summary>The reason an aborted scenario fails, in the one line the reports show.</summary>
    public static VerdictReason Reason(ScenarioAbort aborted, TimeSpan? after)
    {
        ArgumentNullException.ThrowIfNull(aborted);
        var where = aborted.Window is { } w ? $" in the window {ThresholdWindows.Seconds(w.FromSecond)}-{ThresholdWindows.Seconds(w.ToSecond)}" : " over the run so far";
        var delay = after is { } a && a > TimeSpan.Zero ? $", watched from {Format.Duration(a)}" : "";
        return new VerdictReason(ReasonCode.Aborted,
            $"aborted at {ThresholdWindows.Seconds(aborted.AtSecond)}: threshold '{aborted.Threshold}' failed with {aborted.ActualText}{where}{delay}; issuing stopped there and in-flight operations were given the grace period, so the figures are partial");
    }
}
