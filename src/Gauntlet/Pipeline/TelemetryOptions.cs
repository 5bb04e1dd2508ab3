using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Gauntlet.Scenarios;

namespace Gauntlet.Pipeline;

/// <summary>
/// Where a run's live figures (<see cref="Engine.GauntletMeter"/>) go while it runs: an OTLP collector, a Prometheus
/// scrape endpoint, or both; off unless one is set. The exporters are in the package Gauntlet.Telemetry (the
/// OpenTelemetry .NET SDK), which the run loads by name; without it, a run that asks for export is refused with the
/// package to add. In a scenario file: <c>telemetry: { otlp: http://127.0.0.1:4318, prometheus: 127.0.0.1:9464 }</c>;
/// on the command line: <c>--otlp [URL]</c> and <c>--metrics ADDRESS:PORT</c>.
/// </summary>
public sealed record TelemetryOptions
{
    /// <summary>Default <see cref="Interval"/>: one export a second, the rhythm of the engine's own figures.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Shortest <see cref="Interval"/>.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest <see cref="Interval"/>.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(5);

    /// <summary>The default port of the Prometheus endpoint, OpenTelemetry's own for its Prometheus exporter.</summary>
    public const int DefaultPrometheusPort = 9464;

    /// <summary>Export over OTLP (to <see cref="OtlpEndpoint"/>).</summary>
    public bool Otlp { get; init; }

    /// <summary>
    /// The collector: for <c>http/protobuf</c> a base URL (<c>/v1/metrics</c> is added when it has no path) or the
    /// full metrics URL; for <c>grpc</c> the server's URL. Null: the <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c> or
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, else <c>http://localhost:4318</c>.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>http/protobuf</c> or <c>grpc</c>; null: the <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> variable, else <c>http/protobuf</c>.</summary>
    public string? OtlpProtocol { get; init; }

    /// <summary>Serve the figures for Prometheus to scrape at <c>http://ADDRESS:PORT/metrics</c>; null: no endpoint. Use 0.0.0.0 to be scraped from other machines (a pod).</summary>
    public IPEndPoint? Prometheus { get; init; }

    /// <summary>Time between two OTLP exports (Prometheus scrapes when it likes).</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>True when anything is exported.</summary>
    public bool Enabled => Otlp || Prometheus is not null;

    /// <summary>The protocols <see cref="OtlpProtocol"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Protocols = ["http/protobuf", "grpc"];

    internal void Validate(ProblemList problems)
    {
        if (OtlpEndpoint is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
            problems.Add("otlp", $"must be an http:// or https:// URL such as http://127.0.0.1:4318, got '{url}'");
        if (OtlpProtocol is { } protocol && !Protocols.Contains(protocol))
            problems.Add("otlpProtocol", $"must be one of {string.Join(", ", Protocols)}, got '{protocol}'");
        if (Prometheus is { Port: 0 })
            problems.Add("prometheus", $"needs a port, such as 127.0.0.1:{DefaultPrometheusPort}");
        if (Interval < MinInterval || Interval > MaxInterval)
            problems.Add("interval", $"must be from {Format.Duration(MinInterval)} to {Format.Duration(MaxInterval)}, got {Format.Duration(Interval)}");
    }

    /// <summary>Where the figures go, in words, for the console: <c>OTLP http/protobuf to http://...; Prometheus at http://127.0.0.1:9464/metrics</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Otlp) parts.Add($"OTLP {OtlpProtocol ?? "(protocol from the environment)"} to {OtlpEndpoint?.ToString() ?? "the collector the environment names"}");
        if (Prometheus is { } endpoint) parts.Add($"Prometheus at {PrometheusUrl(endpoint)}");
        return string.Join("; ", parts);
    }

    /// <summary>Reads <c>ADDRESS:PORT</c> for the Prometheus endpoint (<c>127.0.0.1:9464</c>, <c>[::1]:9464</c>, <c>0.0.0.0:9464</c>), or a port alone for the loopback address.</summary>
    internal static bool TryParseListen(string text, out IPEndPoint endpoint, [NotNullWhen(false)] out string? error)
    {
        text = text.Trim();
        endpoint = null!;
        error = null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= IPEndPoint.MaxPort)
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
        else if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port > 0 && text.Contains(':', StringComparison.Ordinal))
            endpoint = parsed;
        if (endpoint is not null) return true;
        error = $"expected ADDRESS:PORT such as 127.0.0.1:{DefaultPrometheusPort} (0.0.0.0:{DefaultPrometheusPort} to be scraped from other machines), got '{text}'";
        return false;
    }

    /// <summary>Reads the OTLP collector's URL: absolute, http or https.</summary>
    internal static bool TryParseOtlp(string text, out Uri url, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
        {
            url = parsed;
            return true;
        }
        url = null!;
        error = $"expected the collector's URL such as http://127.0.0.1:4318 (http/protobuf) or http://127.0.0.1:4317 (grpc), got '{text.Trim()}'";
        return false;
    }

    /// <summary>The scrape URL of an endpoint.</summary>
    public static string PrometheusUrl(IPEndPoint endpoint) => $"http://{endpoint}/metrics";
}
