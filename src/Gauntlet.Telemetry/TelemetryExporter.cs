using System.Net;
using System.Net.Sockets;
using Gauntlet.Engine;
using Gauntlet.Pipeline;
using Gauntlet.Scenarios;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Gauntlet.Telemetry;

/// <summary>
/// Exports the meter <see cref="GauntletMeter.Name"/> as <see cref="TelemetryOptions"/> say, with the OpenTelemetry
/// .NET SDK: a periodic OTLP exporter (the <c>OTEL_EXPORTER_OTLP_*</c> variables apply to whatever the options leave
/// unset) and the SDK's stand-alone Prometheus endpoint. The resource is <c>service.name=gauntlet</c>.
/// </summary>
public static class TelemetryExporter
{
    /// <summary>How long stopping waits for the last export; a collector that does not answer does not hold the run's end longer.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts exporting; dispose the result to stop, which flushes the final figures (at most
    /// <see cref="ShutdownTimeout"/>). Throws <see cref="ScenarioValidationException"/> when the Prometheus endpoint
    /// cannot listen where asked.
    /// </summary>
    public static IDisposable Start(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("gauntlet", serviceVersion: typeof(GauntletMeter).Assembly.GetName().Version?.ToString(3)))
            .AddMeter(GauntletMeter.Name);
        if (options.Otlp)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Protocol = ProtocolOf(options.OtlpProtocol ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL"));
                if (options.OtlpEndpoint is { } endpoint) exporter.Endpoint = EndpointFor(endpoint, exporter.Protocol);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.Interval.TotalMilliseconds;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            });
        }
        if (options.Prometheus is { } listen)
        {
            builder.AddPrometheusHttpListener(prometheus =>
            {
                prometheus.Host = HostOf(listen);
                prometheus.Port = listen.Port;
                prometheus.ScrapeEndpointPath = "/metrics";
                // Each scrape reads the figures afresh: a test or a tight scrape interval sees the newest second.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            });
        }
        try
        {
            return new Export(builder.Build()!);
        }
        catch (Exception e) when (options.Prometheus is { } endpoint && e is HttpListenerException or SocketException or InvalidOperationException)
        {
            throw new ScenarioValidationException([new Problem("telemetry.prometheus",
                $"cannot serve {TelemetryOptions.PrometheusUrl(endpoint)}: {(e.InnerException ?? e).Message}; choose a free port (e.g. --metrics 127.0.0.1:{TelemetryOptions.DefaultPrometheusPort + 1})")]);
        }
    }

    /// <summary>http/protobuf unless grpc is asked for (OpenTelemetry's specification makes http/protobuf the default; the .NET SDK's own default is grpc).</summary>
    private static OtlpExportProtocol ProtocolOf(string? name) =>
        string.Equals(name?.Trim(), "grpc", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;

    /// <summary>An http/protobuf URL without a path gets the metrics path, as the base URL of OTEL_EXPORTER_OTLP_ENDPOINT does.</summary>
    internal static Uri EndpointFor(Uri endpoint, OtlpExportProtocol protocol) =>
        protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, "/v1/metrics") : endpoint;

    /// <summary>HttpListener's host for an address: any address is <c>+</c>, an IPv6 one bracketed.</summary>
    internal static string HostOf(IPEndPoint endpoint) =>
        endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "+"
        : endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]"
        : endpoint.Address.ToString();

    private sealed class Export(MeterProvider provider) : IDisposable
    {
        public void Dispose()
        {
            // Shutdown collects and exports once more: the last export carries the run's final figures.
            provider.Shutdown((int)ShutdownTimeout.TotalMilliseconds);
            provider.Dispose();
        }
    }
}
