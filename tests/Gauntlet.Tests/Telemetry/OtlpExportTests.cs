using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Gauntlet.Engine;
using Gauntlet.Pipeline;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace Gauntlet.Tests.Telemetry;

/// <summary>
/// OTLP/HTTP export, received by a collector written for the test: each request is decoded with classes generated from
/// OpenTelemetry's own .proto files (Telemetry/Proto), so what is checked is the protocol, not the exporter's idea of it.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private WebApplication? _collector;
    private readonly ConcurrentQueue<ExportMetricsServiceRequest> _received = new();
    private string _url = "";

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _collector = builder.Build();
        _collector.MapPost("/v1/metrics", async (HttpContext http) =>
        {
            Stream body = http.Request.Body;
            if (http.Request.Headers.ContentEncoding == "gzip") body = new GZipStream(body, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            await body.CopyToAsync(buffer);
            Assert.Equal("application/x-protobuf", http.Request.ContentType);
            _received.Enqueue(ExportMetricsServiceRequest.Parser.ParseFrom(buffer.ToArray()));
            return Microsoft.AspNetCore.Http.Results.Bytes(new ExportMetricsServiceResponse().ToByteArray(), "application/x-protobuf");
        });
        // A collector that refuses what it is sent, with a status the exporter does not retry.
        _collector.MapPost("/refuse", () => Microsoft.AspNetCore.Http.Results.StatusCode(StatusCodes.Status400BadRequest));
        await _collector.StartAsync();
        _url = _collector.Urls.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_collector is not null) await _collector.DisposeAsync();
    }

    private IEnumerable<(Metric Metric, OpenTelemetry.Proto.Resource.V1.Resource Resource)> Metrics(string name) =>
        _received.SelectMany(request => request.ResourceMetrics)
            .SelectMany(resource => resource.ScopeMetrics.Where(scope => scope.Scope.Name == GauntletMeter.Name)
                .SelectMany(scope => scope.Metrics.Where(m => m.Name == name).Select(m => (m, resource.Resource))));

    private static bool Tagged(IEnumerable<OpenTelemetry.Proto.Common.V1.KeyValue> attributes, string key, string value) =>
        attributes.Any(a => a.Key == key && a.Value.StringValue == value);

    [Fact]
    public async Task The_last_export_carries_the_results_counts_and_histogram()
    {
        var name = $"otlp-{Guid.NewGuid():N}";
        var scenario = new Scenario(name, context => new ValueTask<Outcome>(context.Iteration % 4 == 0 ? Outcome.Failed("no", "said no") : Outcome.Ok))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 300));
        var options = new RunOptions
        {
            Telemetry = new TelemetryOptions { Otlp = true, OtlpEndpoint = new Uri(_url), Interval = TimeSpan.FromMilliseconds(200) },
        };

        var result = (await new Runner(options).RunAsync(scenario)).Scenarios[0];

        Assert.NotEmpty(_received);
        var operations = Metrics(GauntletMeter.Operations).ToList();
        Assert.NotEmpty(operations);
        var (sum, resource) = operations[^1];
        Assert.True(Tagged(resource.Attributes, "service.name", "gauntlet"));
        Assert.True(sum.Sum.IsMonotonic);
        Assert.Equal(AggregationTemporality.Cumulative, sum.Sum.AggregationTemporality);
        var mine = sum.Sum.DataPoints.Where(p => Tagged(p.Attributes, "scenario", name)).ToList();
        Assert.Equal(result.Counts.Ok, mine.Single(p => Tagged(p.Attributes, "outcome", "ok")).AsInt);
        Assert.Equal(result.Counts.Failed, mine.Single(p => Tagged(p.Attributes, "outcome", "failed")).AsInt);
        Assert.All(mine, p => Assert.True(Tagged(p.Attributes, "kind", "delegate") && Tagged(p.Attributes, "segment", "0/1")));

        var (histogram, _) = Metrics(GauntletMeter.OperationDuration).Last();
        Assert.Equal("s", histogram.Unit);
        var point = histogram.Histogram.DataPoints.Single(p => Tagged(p.Attributes, "scenario", name));
        Assert.Equal((ulong)result.Latency.Count, point.Count);
        Assert.Equal(GauntletMeter.LatencyBuckets, point.ExplicitBounds);
        Assert.Equal(point.Count, point.BucketCounts.Aggregate(0UL, (a, b) => a + b));
        Assert.DoesNotContain(result.Warnings, w => w.Code == Gauntlet.Results.WarningCode.TelemetryExportFailed);
    }

    [Fact]
    public async Task Exports_the_collector_refuses_are_a_warning_on_every_scenario_with_the_count_and_the_status()
    {
        var scenarios = new[] { "first", "second" }.Select(name => new Scenario($"refused-{name}", _ => new ValueTask<Outcome>(Outcome.Ok))
            .WithLoad(LoadProfile.IterationsPerWorker(1, 50)));
        var options = new RunOptions
        {
            Telemetry = new TelemetryOptions { Otlp = true, OtlpEndpoint = new Uri(_url.TrimEnd('/') + "/refuse"), Interval = TimeSpan.FromMilliseconds(200) },
        };

        var result = await new Runner(options).RunAsync(scenarios);

        Assert.Equal(2, result.Scenarios.Count);
        Assert.All(result.Scenarios, scenario =>
        {
            var warning = Assert.Single(scenario.Warnings, w => w.Code == Gauntlet.Results.WarningCode.TelemetryExportFailed);
            // Every export failed, the last one (the final figures, at shutdown) included.
            Assert.Matches(@"^(\d+) of \1 exports of the live figures to http://127\.0\.0\.1:\d+/refuse failed \(last: HTTP 400 Bad Request\)", warning.Message);
        });
        Assert.True(result.Passed);
    }

    [Fact]
    public async Task A_collector_that_is_not_there_is_a_warning_naming_the_refused_connection()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var scenario = new Scenario("no-collector", _ => new ValueTask<Outcome>(Outcome.Ok)).WithLoad(LoadProfile.IterationsPerWorker(1, 10));
        var options = new RunOptions { Telemetry = new TelemetryOptions { Otlp = true, OtlpEndpoint = new Uri($"http://127.0.0.1:{port}"), Interval = TimeSpan.FromMilliseconds(200) } };

        var result = (await new Runner(options).RunAsync(scenario)).Scenarios[0];

        var warning = Assert.Single(result.Warnings, w => w.Code == Gauntlet.Results.WarningCode.TelemetryExportFailed);
        Assert.Contains($"to http://127.0.0.1:{port}/v1/metrics failed (last: Connection refused", warning.Message, StringComparison.Ordinal);
        Assert.Equal(Gauntlet.Results.Verdict.Passed, result.Verdict);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_before_the_run()
    {
        var refused = Assert.Throws<ScenarioValidationException>(() => TelemetryExport.Start(new TelemetryOptions
        {
            Otlp = true,
            OtlpEndpoint = new Uri("ftp://127.0.0.1/"),
            OtlpProtocol = "json",
            Interval = TimeSpan.Zero,
        }));

        Assert.Equal(["telemetry.otlp", "telemetry.otlpProtocol", "telemetry.interval"], refused.Problems.Select(p => p.Path));
        Assert.Null(TelemetryExport.Start(new TelemetryOptions()));
    }
}
