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
        ExportRequests? requests = null;
        if (options.Otlp)
        {
            requests = new ExportRequests();
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Protocol = ProtocolOf(options.OtlpProtocol ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL"));
                if (options.OtlpEndpoint is { } endpoint) exporter.Endpoint = EndpointFor(endpoint, exporter.Protocol);
                // The SDK's own client, with a handler that sees each export's answer: the exporter reports a failure
                // only to its event source, where no one running a test would look.
                var timeout = TimeSpan.FromMilliseconds(exporter.TimeoutMilliseconds);
                exporter.HttpClientFactory = () => new HttpClient(requests.Handler()) { Timeout = timeout };
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
            return new Export(builder.Build()!, requests);
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

    private sealed class Export(MeterProvider provider, ExportRequests? requests) : IDisposable, ITelemetryExportHealth
    {
        public string? Failures => requests?.Failures;

        public void Dispose()
        {
            // Shutdown collects and exports once more: the last export carries the run's final figures.
            provider.Shutdown((int)ShutdownTimeout.TotalMilliseconds);
            provider.Dispose();
        }
    }

    /// <summary>
    /// The OTLP exporter's requests and how many failed (no answer, or an HTTP error status), with the last failure.
    /// A gRPC export that the collector refuses with a status in its trailers is not seen here; its HTTP answer is 200.
    /// </summary>
    internal sealed class ExportRequests
    {
        private int _sent;
        private int _failed;
        private volatile string? _last;
        private volatile string? _endpoint;

        public DelegatingHandler Handler() => new Counting(this) { InnerHandler = new SocketsHttpHandler() };

        /// <summary>Null when none failed; else how many of how many, where to, and the last error.</summary>
        public string? Failures => Volatile.Read(ref _failed) is var failed and > 0
            ? $"{failed} of {Volatile.Read(ref _sent)} exports of the live figures to {_endpoint} failed (last: {_last}): "
              + "the collector's copy of this run has gaps, the result's figures are whole; check that the collector runs and listens there (--otlp URL, OTEL_EXPORTER_OTLP_ENDPOINT)"
            : null;

        private void Answered(HttpRequestMessage request, string? failure)
        {
            Interlocked.Increment(ref _sent);
            _endpoint ??= request.RequestUri?.GetLeftPart(UriPartial.Path);
            if (failure is null) return;
            Interlocked.Increment(ref _failed);
            _last = failure;
        }

        /// <summary>Sees both ways of sending: the exporter sends synchronously on .NET, HttpClient's callers asynchronously.</summary>
        private sealed class Counting(ExportRequests requests) : DelegatingHandler
        {
            protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                try
                {
                    return Answered(request, base.Send(request, cancellationToken));
                }
                catch (Exception e) when (Failed(request, e))
                {
                    throw; // not reached: the filter counts the failure and lets it go on to the exporter untouched
                }
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                try
                {
                    return Answered(request, await base.SendAsync(request, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception e) when (Failed(request, e))
                {
                    throw; // not reached: the filter counts the failure and lets it go on to the exporter untouched
                }
            }

            private HttpResponseMessage Answered(HttpRequestMessage request, HttpResponseMessage response)
            {
                requests.Answered(request, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                return response;
            }

            /// <summary>Counts a request that got no answer; false, so the exception goes on to the exporter as before.</summary>
            private bool Failed(HttpRequestMessage request, Exception e)
            {
                if (e is HttpRequestException or OperationCanceledException)
                    requests.Answered(request, e is OperationCanceledException ? "no answer within the export timeout" : (e.InnerException ?? e).Message);
                return false;
            }
        }
    }
}
