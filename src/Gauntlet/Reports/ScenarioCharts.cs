using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// The charts of one scenario in the HTML report, from its <see cref="ScenarioResult"/> (and the baseline run's scenario of
/// the same name, when there is one): load and latency over time, the latency distribution on the nines axis, the
/// per-agent p99, the monitored processes' memory, CPU and handles, and the target's own metrics. Every time chart runs
/// from 0 to the scenario's end, so they line up, zoom together and shade the same fault windows.
/// </summary>
internal static class ScenarioCharts
{
    /// <summary>
    /// A time chart longer than this many points is condensed into buckets of consecutive points, so a one-hour run's
    /// page stays small and quick (about 1 MB less than 3,600 points per series) while a 1,000-pixel-wide chart loses
    /// nothing it could show.
    /// </summary>
    public const int MaxTimePoints = 1000;

    private enum Aggregate { Mean, Max }

    private sealed record TimeLine(string Label, string Color, Aggregate Aggregate, double?[] Values);

    /// <summary>Every chart of scenario <paramref name="index"/>, in page order.</summary>
    public static List<Chart> Of(ScenarioResult s, int index, ScenarioResult? baseline, string? baselinePath)
    {
        var prefix = $"s{index}-";
        var group = $"scenario-{index}";
        var end = End(s);
        var windows = s.Windows ?? [];
        // The per-second charts shade the seconds in which Gauntlet itself limited the rate.
        var limited = Limited(s.Timeline);
        var limitedSeconds = limited.Count == 0 ? null : GeneratorSaturation.Seconds(s.Timeline);
        var charts = new List<Chart> { Throughput(s, prefix, group, end, windows) with { Limited = limited, LimitedSeconds = limitedSeconds } };
        if (AgentLatency(s, prefix) is { } agents) charts.Add(agents);
        charts.Add(LatencyOverTime(s, prefix, group, end, windows) with { Limited = limited, LimitedSeconds = limitedSeconds });
        charts.Add(Nines(s, prefix, baseline, baselinePath));
        if (s.Resources is { } resources)
        {
            var inProcess = resources.Target is null;
            var who = inProcess ? "Gauntlet (the in-process target)" : "the target";
            var target = inProcess ? resources.Self : resources.Samples;
            charts.Add(Rss(prefix + "target-", $"Memory of {who}", target, group, end, windows));
            charts.Add(Cpu(prefix + "target-", $"CPU of {who} (1 = one core busy)", target, group, end, windows));
            charts.Add(Handles(prefix + "target-", $"Threads and open files of {who}", target, group, end, windows));
            if (!inProcess)
            {
                charts.Add(Rss(prefix + "self-", "Memory of Gauntlet itself", resources.Self, group, end, windows));
                charts.Add(Cpu(prefix + "self-", "CPU of Gauntlet itself (1 = one core busy)", resources.Self, group, end, windows));
            }
        }
        var metrics = s.TargetMetrics ?? [];
        for (var i = 0; i < metrics.Count; i++) charts.Add(TargetMetric(metrics[i], $"{prefix}metric-{i}", group, end, windows));
        return charts;
    }

    /// <summary>The generator-limited seconds as spans of the time axis, consecutive ones joined: a point covers the time since the one before it.</summary>
    internal static List<(double From, double To)> Limited(IReadOnlyList<TimelinePoint> timeline)
    {
        var spans = new List<(double From, double To)>();
        var previous = 0.0;
        foreach (var point in timeline)
        {
            if (GeneratorSaturation.IsLimited(point))
            {
                if (spans.Count > 0 && spans[^1].To == previous) spans[^1] = (spans[^1].From, point.Second);
                else spans.Add((previous, point.Second));
            }
            previous = point.Second;
        }
        return spans;
    }

    /// <summary>The scenario's last second: its duration, or a later point (a last sample after the grace period) when one lies beyond it.</summary>
    private static double End(ScenarioResult s)
    {
        var end = s.DurationSeconds;
        if (s.Timeline.Count > 0) end = Math.Max(end, s.Timeline[^1].Second);
        foreach (var w in s.Windows ?? []) end = Math.Max(end, w.ToSecond);
        if (s.Resources is { } r)
            foreach (var samples in (IReadOnlyList<ResourceSample>[])[r.Samples, r.Self])
                if (samples.Count > 0) end = Math.Max(end, samples[^1].Second);
        foreach (var series in s.TargetMetrics ?? [])
            if (series.Points.Count > 0) end = Math.Max(end, series.Points[^1].Second);
        return end > 0 && double.IsFinite(end) ? end : 1;
    }

    private static Chart Throughput(ScenarioResult s, string prefix, string group, double end, IReadOnlyList<TimelineWindow> windows)
    {
        var x = new List<double>();
        var ok = new List<double?>();
        var errors = new List<double?>();
        var dropped = new List<double?>();
        var previous = 0.0;
        foreach (var p in s.Timeline)
        {
            var length = p.Second - previous;
            previous = p.Second;
            if (length <= 0.05) continue; // a sliver at the end would show a spike
            x.Add(p.Second);
            ok.Add(p.Ok / length);
            errors.Add(p.Errors / length);
            dropped.Add(p.Dropped / length);
        }
        List<TimeLine> lines = [new("ok per second", Chart.Palette[0], Aggregate.Mean, [.. ok]), new("errors per second", Chart.Palette[1], Aggregate.Mean, [.. errors])];
        if (s.Arrivals is not null) lines.Add(new("dropped arrivals per second", Chart.Palette[4], Aggregate.Mean, [.. dropped]));
        return Time(prefix + "throughput", "Throughput and errors per second", ChartUnit.PerSecond, group, end, x, lines, windows) with { Wide = true };
    }

    private static Chart LatencyOverTime(ScenarioResult s, string prefix, string group, double end, IReadOnlyList<TimelineWindow> windows)
    {
        var points = s.Timeline.Where(p => p.Completed > 0).ToList();
        return Time(prefix + "latency", "Latency percentiles per second", ChartUnit.Micros, group, end, [.. points.Select(p => p.Second)],
        [
            new("p50", Chart.Palette[0], Aggregate.Max, [.. points.Select(p => (double?)p.P50Micros)]),
            new("p99", Chart.Palette[1], Aggregate.Max, [.. points.Select(p => (double?)p.P99Micros)]),
        ], windows) with { Wide = true };
    }

    /// <summary>The whole run's latency by percentile, with the open model's service time and the baseline's latency beside it.</summary>
    private static Chart Nines(ScenarioResult s, string prefix, ScenarioResult? baseline, string? baselinePath)
    {
        var lines = new List<ChartLine>();
        var notes = new List<string>();
        void Add(string label, string color, LatencySummary summary, bool dashed, string whose)
        {
            if (summary.Count == 0) return;
            var values = NinesAxis.Of(summary, out var whyNot);
            if (whyNot is not null) notes.Add($"{whose}: {whyNot}.");
            lines.Add(new ChartLine(label, color, values) { Dashed = dashed, SpanGaps = whyNot is not null });
        }
        var open = s.ServiceTime is { Count: > 0 };
        Add(open ? "latency (from the intended start)" : "latency", Chart.Palette[0], s.Latency, dashed: false, "Latency");
        if (open) Add("service time", Chart.Palette[2], s.ServiceTime!, dashed: false, "Service time");
        if (baselinePath is not null)
        {
            if (baseline is null) notes.Add($"The baseline {baselinePath} has no scenario named {s.Name}.");
            else if (baseline.Latency.Count == 0) notes.Add($"The baseline {baselinePath} completed no operation in this scenario.");
            else
            {
                Add("baseline latency", Chart.Palette[1], baseline.Latency, dashed: true, "Baseline");
                notes.Insert(0, $"Dashed: the same scenario in the baseline run {baselinePath} ({Figures.Count(baseline.Latency.Count)} samples).");
            }
        }
        if (NinesAxis.Resolution(s.Latency.Count) is { } resolution) notes.Add(resolution);
        return new Chart
        {
            Id = prefix + "nines",
            Title = "Latency by percentile (the whole run; each step to the right is one more nine)",
            Kind = ChartKind.Nines,
            Unit = ChartUnit.Micros,
            X = NinesAxis.Grid,
            Lines = lines,
            Note = notes.Count == 0 ? null : string.Join(" ", notes),
            Wide = true,
        };
    }

    private static Chart? AgentLatency(ScenarioResult s, string prefix)
    {
        if (s.Agents?.Rows is not { Count: > 0 and <= AgentText.MaxTableRows } rows || rows.All(r => r.Latency is null)) return null;
        var measured = rows.Where(r => r.Latency is not null).ToList();
        return new Chart
        {
            Id = prefix + "agents",
            Title = "p99 latency per agent",
            Kind = ChartKind.Bars,
            Unit = ChartUnit.Micros,
            X = [.. Enumerable.Range(0, measured.Count).Select(i => (double)i)],
            Labels = [.. measured.Select(r => $"agent {r.Agent}")],
            Lines = [new ChartLine("p99", "#8e44ad", [.. measured.Select(r => (double?)r.Latency!.P99Micros)])],
        };
    }

    private static Chart Rss(string prefix, string title, IReadOnlyList<ResourceSample> samples, string group, double end, IReadOnlyList<TimelineWindow> windows)
    {
        var running = samples.Where(x => x.Processes > 0).ToList();
        return Time(prefix + "rss", title + ": resident memory", ChartUnit.Bytes, group, end, [.. running.Select(x => x.Second)],
            [new("RSS", Chart.Palette[0], Aggregate.Max, [.. running.Select(x => (double?)x.RssBytes)])], windows);
    }

    private static Chart Cpu(string prefix, string title, IReadOnlyList<ResourceSample> samples, string group, double end, IReadOnlyList<TimelineWindow> windows)
    {
        // The first sample has no interval before it, so no CPU figure.
        var running = samples.Where(x => x.Processes > 0).Skip(1).ToList();
        return Time(prefix + "cpu", title, ChartUnit.Cores, group, end, [.. running.Select(x => x.Second)],
            [new("CPU", Chart.Palette[1], Aggregate.Mean, [.. running.Select(x => (double?)x.Cpu)])], windows);
    }

    private static Chart Handles(string prefix, string title, IReadOnlyList<ResourceSample> samples, string group, double end, IReadOnlyList<TimelineWindow> windows)
    {
        var running = samples.Where(x => x.Processes > 0).ToList();
        return Time(prefix + "handles", title, ChartUnit.Count, group, end, [.. running.Select(x => x.Second)],
        [
            new("open file descriptors", Chart.Palette[2], Aggregate.Max, [.. running.Select(x => (double?)x.Fds)]),
            new("threads", Chart.Palette[3], Aggregate.Max, [.. running.Select(x => (double?)x.Threads)]),
        ], windows);
    }

    private static Chart TargetMetric(TargetMetricSeries series, string id, string group, double end, IReadOnlyList<TimelineWindow> windows)
    {
        var (unit, suffix) = series.Unit switch
        {
            "bytes" => (ChartUnit.Bytes, null),
            "seconds" => (ChartUnit.Seconds, null),
            null or "" => (ChartUnit.Number, null),
            var other => (ChartUnit.Number, other),
        };
        var points = series.Points.Where(p => double.IsFinite(p.Second)).ToList();
        var title = series.Unit is { Length: > 0 } named ? $"{series.Name} ({named})" : series.Name;
        var chart = Time(id, title, unit, group, end, [.. points.Select(p => p.Second)], [new(series.Name, Chart.Palette[5], Aggregate.Mean, [.. points.Select(p => (double?)p.Value)])], windows);
        var read = $"Read from {series.Source}: {Figures.Count(points.Count)} read{(points.Count == 1 ? "" : "s")}, {Figures.Count(series.FailedReads)} failed.";
        return chart with { Suffix = suffix, Note = chart.Note is null ? read : read + " " + chart.Note };
    }

    /// <summary>
    /// A time chart from 0 to <paramref name="end"/> (a point without values at each end when the data does not reach
    /// it, so every time chart of the scenario spans the same seconds), condensed past <see cref="MaxTimePoints"/>.
    /// </summary>
    private static Chart Time(string id, string title, ChartUnit unit, string group, double end, IReadOnlyList<double> x, IReadOnlyList<TimeLine> lines, IReadOnlyList<TimelineWindow> windows)
    {
        string? note = null;
        var xs = x;
        var values = lines.Select(l => (IReadOnlyList<double?>)l.Values).ToList();
        if (x.Count > MaxTimePoints)
        {
            var width = (x.Count + MaxTimePoints - 1) / MaxTimePoints;
            xs = Condense(x, width, Aggregate.Max);
            for (var i = 0; i < lines.Count; i++) values[i] = Condense(lines[i].Values, width, lines[i].Aggregate);
            note = $"Each point drawn stands for {width} consecutive readings: {Describe(lines)}.";
        }
        var allX = new List<double>(xs.Count + 2);
        var padStart = xs.Count == 0 || xs[0] > 0;
        var padEnd = xs.Count == 0 || xs[^1] < end;
        if (padStart) allX.Add(0);
        allX.AddRange(xs);
        if (padEnd) allX.Add(end);
        var chartLines = new List<ChartLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var padded = new List<double?>(allX.Count);
            if (padStart) padded.Add(null);
            padded.AddRange(values[i]);
            if (padEnd) padded.Add(null);
            chartLines.Add(new ChartLine(lines[i].Label, lines[i].Color, padded));
        }
        return new Chart { Id = id, Title = title, Unit = unit, Group = group, X = allX, Lines = chartLines, Windows = windows, Note = note };
    }

    private static string Describe(IReadOnlyList<TimeLine> lines)
    {
        var means = lines.Where(l => l.Aggregate == Aggregate.Mean).Select(l => l.Label).ToList();
        var maxes = lines.Where(l => l.Aggregate == Aggregate.Max).Select(l => l.Label).ToList();
        var parts = new List<string>();
        if (means.Count > 0) parts.Add($"{string.Join(", ", means)} averaged");
        if (maxes.Count > 0) parts.Add($"{string.Join(", ", maxes)} the largest");
        return string.Join("; ", parts);
    }

    private static double[] Condense(IReadOnlyList<double> x, int width, Aggregate aggregate) =>
        [.. Condense([.. x.Select(v => (double?)v)], width, aggregate).Select(v => v ?? double.NaN)];

    /// <summary>Consecutive runs of <paramref name="width"/> values as one: their mean or largest, null when none is finite.</summary>
    private static double?[] Condense(IReadOnlyList<double?> values, int width, Aggregate aggregate)
    {
        var result = new double?[(values.Count + width - 1) / width];
        for (var b = 0; b < result.Length; b++)
        {
            double sum = 0, max = double.MinValue;
            var n = 0;
            for (var i = b * width; i < Math.Min(values.Count, (b + 1) * width); i++)
            {
                if (values[i] is not { } v || !double.IsFinite(v)) continue;
                sum += v;
                max = Math.Max(max, v);
                n++;
            }
            result[b] = n == 0 ? null : aggregate == Aggregate.Mean ? sum / n : max;
        }
        return result;
    }
}
