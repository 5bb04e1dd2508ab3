using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gauntlet.Results;
using Gauntlet.Tests.Cli;

namespace Gauntlet.Tests.Telemetry;

/// <summary>
/// A real Prometheus server (Debian's package, which .ci/run installs) scrapes <c>gauntlet run</c> while it runs, and
/// what it stored agrees with result.json: the last scrape may miss at most one scrape interval's operations.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private const int Rate = 200;
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Prometheus_scrapes_a_running_gauntlet_and_its_counter_agrees_with_the_result()
    {
        Assert.True(File.Exists(PrometheusBinary), $"{PrometheusBinary} is missing: install Debian's prometheus package (.ci/run does)");
        var folder = Directory.CreateTempSubdirectory("gauntlet-prometheus-").FullName;
        var metricsPort = FreePort();
        var prometheusPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global: {"{"} scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s {"}"}
            scrape_configs:
              - job_name: gauntlet
                static_configs: [ {"{"} targets: ['127.0.0.1:{metricsPort}'] {"}"} ]
            """);
        var scenario = Path.Combine(folder, "scraped.yaml");
        await File.WriteAllTextAsync(scenario, $"""
            name: scraped
            operation: {"{"} tcp: {"{"} target: "builtin:echo", payload: 64B, expect: echo {"}"} {"}"}
            load: {"{"} open: {"{"} rate: {Rate}/s, maxInFlight: 16 {"}"} {"}"}
            duration: 5s
            telemetry: {"{"} prometheus: 127.0.0.1:{metricsPort} {"}"}
            """);

        using var prometheus = Process.Start(new ProcessStartInfo(PrometheusBinary)
        {
            ArgumentList =
            {
                $"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{prometheusPort}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await WaitReadyAsync(http, prometheus);
            // Prometheus takes up new targets a few seconds after it starts: the run begins once the target is being
            // scraped (and found down), so that every second of the run is in reach of a scrape.
            await WaitAsync(prometheus, "the first scrape of the target", async () => await SeriesAsync(http, "up{job=\"gauntlet\"}") > 0);

            var run = await CliProcess.RunAsync(["run", scenario, "-o", Path.Combine(folder, "out")], TimeSpan.FromSeconds(90), null);
            Assert.True(run.ExitCode == 0, run.ToString());
            var result = (await ResultFile.ReadAsync(Path.Combine(folder, "out", "result.json"))).Scenarios[0];

            var scraped = await QueryAsync(http, "max_over_time(gauntlet_operations_total{scenario=\"scraped\",outcome=\"ok\"}[5m])");
            var scrapes = await QueryAsync(http, "sum_over_time(up{job=\"gauntlet\"}[5m])");
            Assert.True(scrapes >= 3, $"Prometheus scraped a running gauntlet {scrapes} times in a 5 s run");
            Assert.True(result.Counts.Ok >= Rate * 4, $"{result.Counts.Ok} ok");
            Assert.InRange(scraped, result.Counts.Ok - Rate, result.Counts.Ok);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync().WaitAsync(Bounded);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Waits, at most a minute, for Prometheus to say it is ready.</summary>
    private static Task WaitReadyAsync(HttpClient http, Process prometheus) => WaitAsync(prometheus, "Prometheus to be ready", async () =>
    {
        using var ready = await http.GetAsync("/-/ready");
        return ready.IsSuccessStatusCode;
    });

    /// <summary>Polls <paramref name="condition"/> (a server's answer: nothing to wait on but asking) for at most a minute.</summary>
    private static async Task WaitAsync(Process prometheus, string what, Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Bounded)
        {
            Assert.False(prometheus.HasExited, $"prometheus exited with {(prometheus.HasExited ? prometheus.ExitCode : 0)} while waiting for {what}");
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail($"waited {Bounded.TotalSeconds} s for {what}");
    }

    /// <summary>How many series an instant query returns.</summary>
    private static async Task<int> SeriesAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        if (!response.IsSuccessStatusCode) return 0;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").GetProperty("result").GetArrayLength();
    }

    /// <summary>An instant query's one value, through Prometheus's HTTP API.</summary>
    private static async Task<double> QueryAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        var series = json.RootElement.GetProperty("data").GetProperty("result");
        Assert.True(series.GetArrayLength() == 1, $"{query}: {body}");
        return double.Parse(series[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }
}
