using System.Net;
using System.Net.Sockets;
using System.Text;
using Gauntlet.Monitoring.Prometheus;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Microsoft.Extensions.Time.Testing;

namespace Gauntlet.Tests.Monitoring.Prometheus;

public sealed class TargetMetricsMonitorTests
{
    /// <summary>Answers each request with the next scripted reply (a body, or an exception to throw) and signals each call.</summary>
    private sealed class ScriptedHandler(params object[] replies) : HttpMessageHandler
    {
        private int _next;

        public SemaphoreSlim Calls { get; } = new(0);

        public List<Uri> Requested { get; } = [];

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!);
            var reply = replies[Math.Min(_next++, replies.Length - 1)];
            try
            {
                return reply switch
                {
                    Exception e => throw e,
                    HttpStatusCode code => new HttpResponseMessage(code) { Content = new StringContent("") },
                    _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent((string)reply, Encoding.UTF8) },
                };
            }
            finally
            {
                Calls.Release();
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts the monitor, lets it read <paramref name="reads"/> - 1 times one interval apart on the fake clock, and stops
    /// it, which reads once more at the instant of the last read.
    /// </summary>
    private static TargetMetricsReading ReadTimes(MonitorOptions options, ScriptedHandler handler, int reads)
    {
        var clock = new FakeTimeProvider();
        using var monitor = new TargetMetricsMonitor(options, time: clock, handler: handler);
        monitor.Start();
        for (var i = 0; i < reads - 1; i++)
        {
            Assert.True(handler.Calls.Wait(Bound), $"read {i + 1} did not happen");
            if (i < reads - 2) clock.Advance(options.Interval);
        }
        var reading = monitor.Stop();
        Assert.Equal(reads, handler.Requested.Count);
        return reading;
    }

    [Fact]
    public void Each_interval_reads_the_series_and_failed_reads_are_counted_into_one_warning_naming_the_url_and_the_error()
    {
        var options = new MonitorOptions
        {
            Interval = TimeSpan.FromSeconds(1),
            Prometheus = [new PrometheusMonitorOptions { Url = "http://127.0.0.1:9100/metrics", Metrics = ["queue_depth", "jobs{queue=\"orders\"}"] }],
        };
        var handler = new ScriptedHandler(
            "queue_depth 3\njobs{queue=\"orders\",host=\"a\"} 2\njobs{queue=\"orders\",host=\"b\"} 5\njobs{queue=\"other\"} 100\n",
            new HttpRequestException("Connection refused (127.0.0.1:9100)"),
            "# TYPE queue_depth gauge\nqueue_depth{ 1\n",
            HttpStatusCode.ServiceUnavailable,
            "queue_depth 0\n");

        var reading = ReadTimes(options, handler, 5);

        var depth = reading.Series.Single(s => s.Name == "queue_depth");
        Assert.Equal([new TargetMetricPoint(0, 3), new TargetMetricPoint(3, 0)], depth.Points);
        Assert.Equal(3, depth.FailedReads);
        Assert.Equal("http://127.0.0.1:9100/metrics", depth.Source);
        Assert.Null(depth.Unit);
        var jobs = reading.Series.Single(s => s.Name == "jobs{queue=\"orders\"}");
        // The two label sets the selector takes are summed; the other queue is not.
        Assert.Equal([new TargetMetricPoint(0, 7)], jobs.Points);
        Assert.Equal(4, jobs.FailedReads);
        var warning = Assert.Single(reading.Warnings);
        Assert.Equal(WarningCode.TargetMetricsUnread, warning.Code);
        Assert.Equal("the target's metrics at http://127.0.0.1:9100/metrics: 3 of 5 reads failed: Connection refused (127.0.0.1:9100) (1×); "
            + "malformed exposition, line 2: expected a label name or '}' at column 14: 'queue_depth{ 1' (1×); HTTP 503 Service Unavailable (1×); "
            + "'jobs{queue=\"orders\"}' had no value in 1 of 2 reads that succeeded: absent from the exposition (1×)", warning.Message);
    }

    [Fact]
    public void A_query_reads_a_prometheus_server_and_sums_a_vector()
    {
        var options = new MonitorOptions
        {
            Interval = TimeSpan.FromMilliseconds(500),
            Prometheus = [new PrometheusMonitorOptions { Url = "http://127.0.0.1:9090/", Query = "rate(http_requests_total[1m])", Name = "request_rate" }],
        };
        var handler = new ScriptedHandler(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1700000000.1,"2.5"]},{"metric":{"a":"2"},"value":[1700000000.1,"4"]}]}}""",
            """{"status":"success","data":{"resultType":"scalar","result":[1700000000.1,"7"]}}""",
            """{"status":"success","data":{"resultType":"vector","result":[]}}""",
            """{"status":"success","data":{"resultType":"matrix","result":[]}}""",
            new HttpRequestException("Connection refused (127.0.0.1:9090)"));

        var reading = ReadTimes(options, handler, 5);

        Assert.Equal(new Uri("http://127.0.0.1:9090/api/v1/query?query=rate%28http_requests_total%5B1m%5D%29"), handler.Requested[0]);
        var series = Assert.Single(reading.Series);
        Assert.Equal("request_rate", series.Name);
        Assert.Equal("query 'rate(http_requests_total[1m])' at http://127.0.0.1:9090/", series.Source);
        Assert.Equal([new TargetMetricPoint(0, 6.5), new TargetMetricPoint(0.5, 7)], series.Points);
        Assert.Equal(3, series.FailedReads);
        var warning = Assert.Single(reading.Warnings).Message;
        Assert.Contains("2 of 5 reads failed: ", warning, StringComparison.Ordinal);
        Assert.Contains("the query answered a matrix; Gauntlet reads a vector (summed) or a scalar", warning, StringComparison.Ordinal);
        Assert.Contains("'request_rate' had no value in 1 of 3 reads that succeeded: no data (the query answered an empty vector) (1×)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_error_answer_is_a_failed_read_with_the_servers_words()
    {
        var options = new MonitorOptions
        {
            Prometheus = [new PrometheusMonitorOptions { Url = "http://127.0.0.1:9090", Query = "rate(x[1m]", Name = "x_rate" }],
        };
        var handler = new ScriptedHandler("""{"status":"error","errorType":"bad_data","error":"parse error: unclosed left bracket"}""");

        var reading = ReadTimes(options, handler, 2);

        Assert.Contains("2 of 2 reads failed: the server answered an error: parse error: unclosed left bracket (2×); 'x_rate' has no points, so its thresholds cannot be judged",
            Assert.Single(reading.Warnings).Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: bound, then closed.</summary>
    internal static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The real handler, signalling after each read (connected or refused).</summary>
    private sealed class SignallingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public SemaphoreSlim Calls { get; } = new(0);

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return base.Send(request, cancellationToken);
            }
            finally
            {
                Calls.Release();
            }
        }
    }

    [Fact]
    public void An_unreachable_endpoint_is_a_warning_per_interval_never_a_crash()
    {
        var port = ClosedPort();
        var url = $"http://127.0.0.1:{port}/metrics";
        var options = new MonitorOptions { Interval = TimeSpan.FromSeconds(1), Prometheus = [new PrometheusMonitorOptions { Url = url, Metrics = ["up"] }] };
        var clock = new FakeTimeProvider();
        var handler = new SignallingHandler();
        using var monitor = new TargetMetricsMonitor(options, time: clock, handler: handler);

        monitor.Start();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(handler.Calls.Wait(Bound));
            if (i < 2) clock.Advance(TimeSpan.FromSeconds(1));
        }
        var reading = monitor.Stop();

        var series = Assert.Single(reading.Series);
        Assert.Empty(series.Points);
        // Three reads one interval apart, and the last one when stopped.
        Assert.Equal(4, series.FailedReads);
        var warning = Assert.Single(reading.Warnings).Message;
        Assert.StartsWith($"the target's metrics at {url}: 4 of 4 reads failed: Connection refused (127.0.0.1:{port}) (4×)", warning, StringComparison.Ordinal);
        Assert.EndsWith("'up' has no points, so its thresholds cannot be judged", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silent_endpoint_times_out_within_the_sources_timeout()
    {
        // A listener that accepts and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var options = new MonitorOptions
        {
            Prometheus = [new PrometheusMonitorOptions { Url = $"http://127.0.0.1:{port}/metrics", Metrics = ["up"], Timeout = TimeSpan.FromMilliseconds(200) }],
        };
        var handler = new SignallingHandler();
        using var monitor = new TargetMetricsMonitor(options, time: new FakeTimeProvider(), handler: handler);

        monitor.Start();
        Assert.True(handler.Calls.Wait(Bound));
        var reading = monitor.Stop();

        Assert.Contains("2 of 2 reads failed: no answer within 200ms (2×)", Assert.Single(reading.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_without_an_operation_address_says_to_give_a_full_url()
    {
        var options = new MonitorOptions { Prometheus = [new PrometheusMonitorOptions { Url = "/metrics", Metrics = ["up"] }] };
        var handler = new ScriptedHandler("up 1\n");
        using var monitor = new TargetMetricsMonitor(options, time: new FakeTimeProvider(), handler: handler);
        monitor.Start();
        var reading = monitor.Stop();

        Assert.Empty(handler.Requested);
        Assert.Contains("'/metrics' is a path, but the operation connects to no single address to read it on; give a full URL such as http://127.0.0.1:8080/metrics",
            Assert.Single(reading.Warnings).Message, StringComparison.Ordinal);
    }
}
