using System.Globalization;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// The summary of <c>gauntlet http</c>, in the manner of wrk: latency distribution, requests, bytes, status codes,
/// errors, requests/s and transfer/s. Reads a <see cref="ScenarioResult"/> only.
/// </summary>
internal static class HttpSummary
{
    /// <summary>The summary of one quick-mode scenario against <paramref name="url"/>.</summary>
    public static string Render(ScenarioResult scenario, string url)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var s = new StringBuilder();
        var http = scenario.Http;
        s.Append(CultureInfo.InvariantCulture, $"Running {Figures.Seconds(scenario.IssuingSeconds)} test @ {url}\n");
        s.Append(CultureInfo.InvariantCulture, $"  {scenario.Config.Load}; {scenario.Config.Bounds}\n");
        if (http is not null)
        {
            s.Append(CultureInfo.InvariantCulture, $"  HTTP/{http.Version} on {http.Engine}");
            if (http.Engine == "raw-http1")
                s.Append(CultureInfo.InvariantCulture, $", {Figures.Count(http.ConnectionsOpened)} connections opened, {Figures.Count(http.ServerCloses)} closed by the server");
            else if (http.Phases is not null) s.Append(CultureInfo.InvariantCulture, $", {Figures.Count(http.ConnectionsOpened)} connections opened");
            s.Append('\n');
        }
        var l = scenario.Latency;
        var open = scenario.ServiceTime is not null;
        s.Append(open ? "  Latency (from intended start, coordinated omission corrected)\n" : "  Latency\n");
        s.Append(CultureInfo.InvariantCulture, $"    mean {Cell(l, l.MeanMicros)}  stdev {Cell(l, l.StdDevMicros)}  max {Cell(l, l.MaxMicros)}\n");
        s.Append("  Latency distribution\n");
        foreach (var (label, value) in new[] { ("50%", l.P50Micros), ("90%", l.P90Micros), ("95%", l.P95Micros), ("99%", l.P99Micros), ("99.9%", l.P999Micros) })
            s.Append(CultureInfo.InvariantCulture, $"    {label,6}  {Cell(l, value)}\n");
        if (scenario.ServiceTime is { } service)
            s.Append(CultureInfo.InvariantCulture, $"  Service time: p50 {Cell(service, service.P50Micros)}, p99 {Cell(service, service.P99Micros)}, max {Cell(service, service.MaxMicros)}\n");
        var c = scenario.Counts;
        s.Append(CultureInfo.InvariantCulture, $"  {Figures.Count(c.Completed)} requests in {Figures.Seconds(scenario.DurationSeconds)}");
        if (http is not null) s.Append(CultureInfo.InvariantCulture, $", {Bytes(http.BytesIn)} read, {Bytes(http.BytesOut)} written");
        s.Append('\n');
        s.Append(CultureInfo.InvariantCulture, $"  {Figures.Count(c.Ok)} ok, {Figures.Count(c.Failed)} failed, {Figures.Count(c.TimedOut)} timed out, {Figures.Count(c.CutOff)} cut off");
        if (scenario.Arrivals is not null || c.Dropped > 0) s.Append(CultureInfo.InvariantCulture, $", {Figures.Count(c.Dropped)} dropped");
        s.Append('\n');
        if (scenario.Arrivals is { } arrivals)
            s.Append(CultureInfo.InvariantCulture, $"  Arrivals: requested {Format.Rate(arrivals.RequestedRate)}, achieved {Format.Rate(arrivals.AchievedRate)}\n");
        if (http is { StatusCodes.Count: > 0 })
            s.Append("  Status codes: ").Append(string.Join(", ", http.StatusCodes.Select(code => $"{code.Code}: {Figures.Count(code.Count)}"))).Append('\n');
        if (scenario.Errors.Count > 0)
        {
            s.Append("  Errors: ").Append(string.Join(", ", scenario.Errors.Select(e => $"{e.Kind} {Figures.Count(e.Count)}"))).Append('\n');
            var first = scenario.Errors[0];
            if (first.SampleMessage is { } sample) s.Append(CultureInfo.InvariantCulture, $"    e.g. {first.Kind}: {Figures.Plain(sample)}\n");
        }
        if (http is not null)
        {
            foreach (var row in HttpPhaseText.Rows(http))
                s.Append(CultureInfo.InvariantCulture, $"  {row[0] + ":",-20} p50 {row[2]}, p99 {row[4]}, max {row[5]} ({row[1]} {row[6]})\n");
            if (http.Sse is { } sse) s.Append("  Server-Sent Events: ").Append(HttpPhaseText.Streams(sse)).Append('\n');
        }
        foreach (var kind in scenario.OperationKinds ?? [])
            s.Append(CultureInfo.InvariantCulture, $"  Kind {kind.Name}: {Figures.Count(kind.Ok)}/{Figures.Count(kind.Count)} ok{(kind.ExpectsRejection ? " (rejected as expected)" : "")}, p50 {Cell(kind.Latency, kind.Latency.P50Micros)}, p99 {Cell(kind.Latency, kind.Latency.P99Micros)}\n");
        foreach (var warning in scenario.Warnings) s.Append("  warning: ").Append(Figures.Plain(warning.Message)).Append('\n');
        var seconds = scenario.DurationSeconds;
        s.Append(CultureInfo.InvariantCulture, $"Requests/sec: {(seconds > 0 ? c.Completed / seconds : 0):F2}\n");
        if (http is not null) s.Append(CultureInfo.InvariantCulture, $"Transfer/sec: {Bytes((long)http.BytesInPerSecond)} in, {Bytes((long)http.BytesOutPerSecond)} out\n");
        return s.ToString();
    }

    private static string Cell(LatencySummary summary, double micros) => Figures.Latency(summary, micros);

    /// <summary>Bytes in binary units: <c>512B</c>, <c>1.50KiB</c>, <c>95.37MiB</c>, <c>1.20GiB</c>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes}B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F2}KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F2}MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2}GiB"),
    };
}
