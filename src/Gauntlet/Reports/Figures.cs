using System.Globalization;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>Figures as every report spells them, with their unit; builds on <see cref="Format"/>.</summary>
internal static class Figures
{
    public const string NotAvailable = "n/a";

    /// <summary>A whole count with thousands separators: <c>44,990</c>.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Seconds as seconds (<c>65.25s</c>), or as a latency below one second (<c>12.1ms</c>); easy to compare.</summary>
    public static string Seconds(double seconds)
    {
        if (double.IsNaN(seconds)) return NotAvailable;
        if (seconds == 0) return "0s";
        return Math.Abs(seconds) < 1 ? Format.Micros(seconds * 1_000_000) : Format.Number(seconds) + "s";
    }

    /// <summary>Bytes as GiB, or <c>unknown</c> when the probe could not read them.</summary>
    public static string Memory(long bytes) => bytes <= 0 ? "unknown" : Format.Number(bytes / (1024.0 * 1024 * 1024)) + " GiB";

    /// <summary>
    /// The latency statistics every report lists, in order, after the minimum: percentiles, then max, mean and
    /// stddev. One list, so the terminal and Markdown tables cannot drift apart.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, Func<LatencySummary, double> Value)> LatencyStatistics =
    [
        ("p50", l => l.P50Micros), ("p90", l => l.P90Micros), ("p95", l => l.P95Micros), ("p99", l => l.P99Micros), ("p99.9", l => l.P999Micros),
        ("max", l => l.MaxMicros), ("mean", l => l.MeanMicros), ("stddev", l => l.StdDevMicros),
    ];

    /// <summary>A latency in microseconds, or <c>n/a</c> when nothing was recorded.</summary>
    public static string Latency(LatencySummary summary, double micros) => summary.Count == 0 ? NotAvailable : Format.Micros(micros);

    /// <summary>ok / started as a percentage, the same figure the <c>success_rate</c> threshold reads.</summary>
    public static string SuccessRate(Counts counts) =>
        counts.Started == 0 ? NotAvailable : Format.Percent(counts.Ok / (double)counts.Started);

    /// <summary>A share of started operations as a percentage.</summary>
    public static string Share(long count, long started) => started == 0 ? NotAvailable : Format.Percent(count / (double)started);

    /// <summary>A wall-clock instant in UTC: <c>2025-03-01 12:00:00 UTC</c>.</summary>
    public static string Instant(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>
    /// User text for a terminal on one line: control characters (newlines, tabs, and the escape character that starts
    /// a colour code in a child process's output) become spaces, so they cannot break a table or restyle the terminal.
    /// </summary>
    public static string Plain(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!text.Any(char.IsControl)) return text;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        });
    }

    /// <summary>An outcome status as people read it: <c>timedOut</c> becomes <c>timed out</c>.</summary>
    public static string Status(string status) => status switch
    {
        "timedOut" => "timed out",
        "cutOff" => "cut off",
        _ => status,
    };

    /// <summary>A scenario's own figure with its unit: <c>12.3M/s</c>, <c>1.2ms</c>, <c>3.4 MiB</c>, <c>17</c>.</summary>
    public static string Value(Results.Figure figure) => figure.Unit switch
    {
        Results.Figure.RateUnit => Format.Rate(figure.Value),
        Results.Figure.MicrosUnit => Format.Micros(figure.Value),
        Results.Figure.BytesUnit => Bytes(figure.Value),
        _ => Format.Number(figure.Value),
    };

    /// <summary>A size in B, KiB, MiB or GiB.</summary>
    public static string Bytes(double bytes) =>
        bytes >= 1 << 30 ? Format.Number(bytes / (1 << 30)) + " GiB"
        : bytes >= 1 << 20 ? Format.Number(bytes / (1 << 20)) + " MiB"
        : bytes >= 1 << 10 ? Format.Number(bytes / (1 << 10)) + " KiB"
        : Format.Number(bytes) + " B";
}
