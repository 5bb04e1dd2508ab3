using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// The target's own metrics (<see cref="ScenarioResult.TargetMetrics"/>) as every report writes them: one row per series
/// with where it was read, its smallest, largest and last value in its unit, and how many reads failed, so the console,
/// Markdown and HTML tables say the same thing.
/// </summary>
internal static class TargetMetricText
{
    /// <summary>The table's headers; <c>&gt;</c> marks a right-aligned column.</summary>
    public static readonly string[] Headers = ["metric", "source", ">reads", ">min", ">max", ">last", ">failed reads"];

    /// <summary>The cells of one series' row, as plain text (escape them for the format).</summary>
    public static string[] Cells(TargetMetricSeries series)
    {
        var values = Finite(series);
        return
        [
            series.Name, series.Source, Figures.Count(values.Count),
            values.Count == 0 ? Figures.NotAvailable : Value(series.Unit, values.Min()),
            values.Count == 0 ? Figures.NotAvailable : Value(series.Unit, values.Max()),
            values.Count == 0 ? Figures.NotAvailable : Value(series.Unit, values[^1]),
            Figures.Count(series.FailedReads),
        ];
    }

    /// <summary>A value in the series' unit: <c>bytes</c> as <c>12.5MB</c>, <c>seconds</c> as a latency, any other unit after the number.</summary>
    public static string Value(string? unit, double value) => unit switch
    {
        null or "" => Format.Number(value),
        "bytes" => Format.Bytes(value),
        "seconds" => Figures.Seconds(value),
        _ => Format.Number(value) + " " + unit,
    };

    /// <summary>One line for a terminal: <c>heap_bytes (http://…/metrics): min 1MB, max 3MB, last 2MB over 10 reads, 1 failed</c>.</summary>
    public static string Line(TargetMetricSeries series)
    {
        var cells = Cells(series);
        var failed = series.FailedReads == 0 ? "" : $", {cells[6]} failed";
        return $"{series.Name} ({series.Source}): min {cells[3]}, max {cells[4]}, last {cells[5]} over {cells[2]} reads{failed}";
    }

    private static List<double> Finite(TargetMetricSeries series)
    {
        var values = new List<double>(series.Points.Count);
        foreach (var p in series.Points)
            if (double.IsFinite(p.Value)) values.Add(p.Value);
        return values;
    }
}
