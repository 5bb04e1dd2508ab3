using System.Globalization;
using Gauntlet.Metrics;
using Gauntlet.Monitoring;
using Gauntlet.Results;
using Gauntlet.Thresholds;
using HdrHistogram;

namespace Gauntlet.Engine;

/// <summary>
/// Metric values for thresholds, read from a scenario's result. Ratios use started operations as the
/// denominator, so operations cut off at the end count against the success rate rather than vanishing.
/// </summary>
internal sealed class ScenarioMetricSource(ScenarioResult result, HistogramBase latency) : IMetricSource
{
    public bool TryGet(string key, out double value)
    {
        var counts = result.Counts;
        double? found = key switch
        {
            "min" => Latency(result.Latency.MinMicros),
            "max" => Latency(result.Latency.MaxMicros),
            "mean" => Latency(result.Latency.MeanMicros),
            "stddev" => Latency(result.Latency.StdDevMicros),
            "error_rate" => counts.Started > 0 ? (counts.Failed + counts.TimedOut + counts.Crashed) / (double)counts.Started : null,
            "success_rate" => counts.Started > 0 ? counts.Ok / (double)counts.Started : null,
            "throughput" => result.Throughput.Overall,
            "cv(throughput)" => PerSecondFigures.Available(result) ? result.Throughput.Cv : null,
            "count(started)" => counts.Started,
            "count(ok)" => counts.Ok,
            "count(failed)" => counts.Failed,
            "count(timed_out)" => counts.TimedOut,
            "count(crashed)" => counts.Crashed,
            "count(cut_off)" => counts.CutOff,
            "count(dropped)" => counts.Dropped,
            // The channel patterns report these through their queue verifier too, so a count has one source.
            "lost" or "duplicated" or "unexpected" or "recovered" or "reordered" or "violations" or "unknown" => VerifierCount(key),
            "agents_started" => result.Agents?.Started,
            "agents_never_started" => result.Agents?.NeverStarted.Count,
            "min(agent_ops)" => result.Agents?.Operations.Min,
            "faults_injected" => result.AgentFaults?.Delivered.Sum(d => d.Count),
            "drift(throughput)" => result.Throughput.Drift,
            "rss_slope" => Resources?.RssSlopeBytesPerSecond,
            "max(rss)" => Resources?.MaxRssBytes,
            "mean(cpu)" => Resources?.MeanCpu,
            "max(cpu)" => Resources?.MaxCpu,
            "max(threads)" => Resources?.MaxThreads,
            "max(fds)" => Resources?.MaxFds,
            "growth(fds)" => Resources?.FdGrowth,
            "messages_sent" => result.WebSocket?.MessagesSent,
            "messages_received" => result.WebSocket?.MessagesReceived ?? result.Grpc?.MessagesReceived,
            "messages_lost" => result.WebSocket?.MessagesLost,
            _ when key.EndsWith(')') && MetricCatalog.IsPhaseMetric(key) => PhaseMetric(key),
            _ when key.EndsWith(')') && OperationKind(key) is var (family, kind) => KindMetric(family, kind),
            _ when TargetSeries(key) is var (family, series) => SeriesValue(family, series),
            _ when key.Length > 1 && key[0] == 'p' && double.TryParse(key.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percentile)
                => latency.TotalCount > 0 && percentile is > 0 and <= 100 ? latency.GetValueAtPercentile(percentile) : null,
            _ => Figure(key),
        };
        value = found ?? double.NaN;
        return found is not null;
    }

    /// <summary>Why a per-second metric is not measured: the scenario issued for too few whole seconds; null for any other metric.</summary>
    public string? WhyNotMeasured(string key) => key switch
    {
        "cv(throughput)" => PerSecondFigures.WhyNotAvailable(result),
        "drift(throughput)" when result.Throughput.Drift is null && result.Throughput.Seconds < 2 * ResourceAnalysis.MinDriftWindow
            => PerSecondFigures.Needs(2 * ResourceAnalysis.MinDriftWindow, result),
        _ when key.EndsWith(')') && MetricCatalog.IsPhaseMetric(key) => PhaseSummary(key) is { Count: 0 }
            ? $"no request reached the phase '{PhaseName(key)}' in this run"
            : $"this run did not measure the phase '{PhaseName(key)}' (an HTTP operation measures connect, ttfb and transfer; tls on https:// through HttpClient; first_event and event_gap with stream: sse; "
              + "a WebSocket operation measures connect; a gRPC server-streaming call first_message and message_gap)",
        "messages_sent" or "messages_lost" when result.WebSocket is null => "only a WebSocket operation counts the messages it sends and loses; this scenario has none",
        "messages_received" when result.WebSocket is null && result.Grpc is null => "only a WebSocket or gRPC operation counts the messages it receives; this scenario has neither",
        _ when key.EndsWith(')') && OperationKind(key) is null && TargetSeries(key) is var (_, series) && series.Points.Count == 0
            => $"no read of the target's metric '{series.Name}' succeeded ({series.FailedReads} failed; see the warnings)",
        _ when key.EndsWith(')') && OperationKind(key) is null && TargetSeries(key) is null && SeriesArgument(key) is { } name
            => $"the target's metric '{name}' was not read in this run" + (result.TargetMetrics is null ? " (no target metrics were read: in a split run only segment 0 reads them)" : ""),
        _ => null,
    };

    /// <summary>The series argument of <c>last(x)</c>, <c>max(x{a="b"})</c>: what follows the first parenthesis.</summary>
    private static string? SeriesArgument(string key)
    {
        var open = key.IndexOf('(', StringComparison.Ordinal);
        // max(rss) is the resource monitor's, never a series.
        return open > 0 && key[^1] == ')' && MetricCatalog.SeriesFunctions.Contains(key[..open]) && !MetricCatalog.Metrics.Any(m => m.Key == key) && !MetricCatalog.IsPhaseMetric(key)
            ? key[(open + 1)..^1]
            : null;
    }

    /// <summary><c>max(queue_depth)</c> as the function and the series of <see cref="ScenarioResult.TargetMetrics"/> it names; null when there is none.</summary>
    private (string Family, TargetMetricSeries Series)? TargetSeries(string key)
    {
        if (SeriesArgument(key) is not { } name || result.TargetMetrics is not { } all) return null;
        foreach (var series in all)
            if (series.Name == name) return (key[..key.IndexOf('(', StringComparison.Ordinal)], series);
        return null;
    }

    /// <summary>
    /// The function over the series' points, in the threshold's base unit: a series in seconds in microseconds (the
    /// unit of a duration), any other as read (bytes, a fraction, a number). Null without points.
    /// </summary>
    private static double? SeriesValue(string family, TargetMetricSeries series)
    {
        var points = series.Points;
        if (points.Count == 0) return null;
        double value = family switch
        {
            "min" => points.Min(p => p.Value),
            "max" => points.Max(p => p.Value),
            "mean" => points.Average(p => p.Value),
            "last" => points[^1].Value,
            "delta" => points[^1].Value - points[0].Value,
            _ => double.NaN,
        };
        return series.Unit == "seconds" ? value * 1_000_000 : value;
    }

    /// <summary><c>p99(valid)</c> as the family <c>p99</c> and the kind <c>valid</c>, when the scenario reports that kind; else null.</summary>
    private (string Family, OperationKindFigures Kind)? OperationKind(string key)
    {
        var open = key.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || result.OperationKinds is not { } kinds) return null;
        var name = key.AsSpan(open + 1, key.Length - open - 2);
        foreach (var kind in kinds)
            if (name.SequenceEqual(kind.Name)) return (key[..open], kind);
        return null;
    }

    /// <summary>A per-kind metric (see MetricCatalog): the kind's service time, rates over its ended operations, its count.</summary>
    private static double? KindMetric(string family, OperationKindFigures kind)
    {
        var latency = kind.Latency;
        double? Measured(double micros) => latency.Count > 0 ? micros : null;
        return family switch
        {
            "count" => kind.Count,
            "error_rate" => kind.Count > 0 ? kind.NotOk / (double)kind.Count : null,
            "success_rate" => kind.Count > 0 ? kind.Ok / (double)kind.Count : null,
            "min" => Measured(latency.MinMicros),
            "max" => Measured(latency.MaxMicros),
            "mean" => Measured(latency.MeanMicros),
            "stddev" => Measured(latency.StdDevMicros),
            _ when family.Length > 1 && family[0] == 'p' && double.TryParse(family.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percentile)
                => latency.Count > 0 ? KindPercentile(latency, percentile) : null,
            _ => null,
        };
    }

    private static string PhaseName(string key) => key[(key.IndexOf('(', StringComparison.Ordinal) + 1)..^1];

    /// <summary>The phase's summary in <see cref="ScenarioResult.Http"/>: a request phase or an event stream's; null when not measured.</summary>
    private LatencySummary? PhaseSummary(string key) => PhaseName(key) switch
    {
        "connect" => result.Http?.Phases?.Connect ?? result.WebSocket?.ConnectTime,
        "tls" => result.Http?.Phases?.Tls,
        "ttfb" => result.Http?.Phases?.Ttfb,
        "transfer" => result.Http?.Phases?.Transfer,
        "first_event" => result.Http?.Sse?.FirstEvent,
        "event_gap" => result.Http?.Sse?.Gap,
        "first_message" => result.Grpc?.FirstMessage,
        "message_gap" => result.Grpc?.MessageGap,
        _ => null,
    };

    /// <summary><c>p99(ttfb)</c>, <c>max(connect)</c>: the statistic of the phase's histogram; not measured when the phase has no value.</summary>
    private double? PhaseMetric(string key)
    {
        if (PhaseSummary(key) is not { Count: > 0 } phase) return null;
        var family = key[..key.IndexOf('(', StringComparison.Ordinal)];
        return family switch
        {
            "min" => phase.MinMicros,
            "max" => phase.MaxMicros,
            "mean" => phase.MeanMicros,
            _ => double.TryParse(family.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percentile) ? KindPercentile(phase, percentile) : null,
        };
    }

    /// <summary>From the kind's histogram when the result holds it, else from its summary's fixed percentiles.</summary>
    private static double? KindPercentile(LatencySummary latency, double percentile)
    {
        if (latency.Histogram is { } encoded) return Histograms.Decode(encoded).GetValueAtPercentile(percentile);
        return percentile switch
        {
            50 => latency.P50Micros,
            90 => latency.P90Micros,
            95 => latency.P95Micros,
            99 => latency.P99Micros,
            99.9 => latency.P999Micros,
            _ => null,
        };
    }

    /// <summary>A scenario's own figure by key (<c>item_rate</c>, <c>lost</c>); not measured when the scenario does not report it.</summary>
    private double? Figure(string key)
    {
        if (result.Figures is not { } figures) return null;
        foreach (var figure in figures)
            if (figure.Key == key) return figure.Value;
        return null;
    }

    /// <summary>The monitored target's figures; Gauntlet's own when no target was set (the system under test runs in-process).</summary>
    private ResourceFigures? Resources => result.Resources is { } r ? (r.Target is null ? r.SelfFigures : r.TargetFigures) : null;

    private double? Latency(double micros) => result.Latency.Count > 0 ? micros : null;

    /// <summary>The count summed over the verifiers that report it; not measured when none does.</summary>
    private double? VerifierCount(string name)
    {
        var reported = (result.Verifications ?? []).Select(v => v.Count(name)).OfType<long>().ToList();
        return reported.Count == 0 ? null : reported.Sum();
    }
}
