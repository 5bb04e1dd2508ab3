using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Cli;

namespace Gauntlet.Tests.Engine;

/// <summary>A warm-up runs load first on the same operation and target, reported apart, seen by no figure or threshold of the measured part.</summary>
public sealed class WarmupTests
{
    [Fact]
    public async Task Warm_up_operations_are_reported_apart_and_the_measured_count_is_exact()
    {
        var calls = 0;
        var scenario = Scenario.Create("warm", async _ =>
            {
                Interlocked.Increment(ref calls);
                await Task.Yield();
            })
            .WithLoad(LoadProfile.Closed(2))
            .WithWarmup(TimeSpan.FromMilliseconds(300))
            .WithMaxIterations(50)
            .WithThresholds("count(started) == 50");

        var result = await RunHelpers.RunOne(scenario);

        var warmup = Assert.IsType<WarmupResult>(result.Warmup);
        Assert.True(warmup.Counts.Started > 0, "the warm-up ran no operation");
        Assert.True(warmup.Counts.Balanced, $"warm-up accounting: {warmup.Counts}");
        Assert.Equal(50, result.Counts.Started);
        Assert.Equal(calls, warmup.Counts.Started + result.Counts.Started);
        Assert.All(result.Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText}"));
        Assert.Contains("warm-up 300ms", result.Config.Bounds);
    }

    [Fact]
    public async Task Latency_thresholds_do_not_see_a_cold_start_the_warm_up_absorbed()
    {
        // The first two calls are cold (600 ms each), every later one instant, on simulated time: the 2 s warm-up and
        // the cold calls pass in steps, and latency is measured on the same clock.
        static Scenario Cold(string name, TimeProvider clock)
        {
            var calls = 0;
            return Scenario.Create(name, async _ =>
                {
                    if (Interlocked.Increment(ref calls) <= 2) await Task.Delay(TimeSpan.FromMilliseconds(600), clock);
                })
                .WithMaxIterations(20)
                .WithThresholds("max < 500ms");
        }

        var coldClock = new SimulatedClock();
        var cold = await RunHelpers.RunSimulated(coldClock, Cold("cold", coldClock));
        var warmClock = new SimulatedClock();
        var warmed = await RunHelpers.RunSimulated(warmClock, Cold("warmed", warmClock).WithWarmup(TimeSpan.FromSeconds(2)));

        Assert.False(Assert.Single(cold.Thresholds).Passed);
        Assert.True(Assert.Single(warmed.Thresholds).Passed, warmed.Thresholds[0].ActualText);
        Assert.True(warmed.Warmup!.Latency.MaxMicros >= 600_000, $"the warm-up's max {warmed.Warmup.Latency.MaxMicros} us should hold the cold calls");
    }

    [Fact]
    public async Task Http_figures_count_only_the_measured_requests_and_the_server_is_set_up_once()
    {
        var operation = new HttpOperation(new HttpOperationOptions([new HttpRequestKind(Template.Constant("/ok"))]) { Target = HttpOperationOptions.BuiltinHttp });
        var scenario = Scenario.Create("warm-http", operation).WithLoad(LoadProfile.Closed(2)).WithWarmup(TimeSpan.FromMilliseconds(300)).WithMaxIterations(30);

        var result = await RunHelpers.RunOne(scenario);

        Assert.True(result.Warmup!.Counts.Ok > 0);
        Assert.Equal(30, result.Counts.Ok);
        Assert.Equal(30, Assert.Single(result.Http!.StatusCodes).Count);
    }

    [Fact]
    public void Warmup_is_read_from_a_scenario_file_and_checked_with_its_location()
    {
        var loaded = ScenarioFile.Parse("""
            name: warm
            operation: { synthetic: { latency: 1ms } }
            warmup: 2s
            duration: 5s
            """, "warm.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(loaded.Scenarios).Bounds.Warmup);

        var broken = ScenarioFile.Parse("""
            name: warm
            operation: { synthetic: { latency: 1ms } }
            warmup: 0s
            duration: 5s
            """, "warm.yaml");
        var error = Assert.Single(broken.Errors);
        Assert.Equal((3, 9), (error.Line, error.Column));
        Assert.Contains("warmup", error.Message);
    }

    [Fact]
    public async Task Quick_modes_take_warmup_into_their_scenario()
    {
        var http = await CliProcess.RunAsync("http", "http://127.0.0.1:9/ok", "-n", "10", "--warmup", "2s", "--print-yaml");
        var tcp = await CliProcess.RunAsync("tcp", "builtin:echo", "-n", "10", "--warmup", "500ms", "--print-yaml");
        var bad = await CliProcess.RunAsync("http", "http://127.0.0.1:9/ok", "-n", "10", "--warmup", "soon");

        Assert.Contains("warmup: 2s", http.Stdout);
        Assert.Contains("warmup: 500ms", tcp.Stdout);
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("--warmup", bad.Stderr);
    }
}
