using System.Net;
using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Faults;
using Gauntlet.Faults.Proxy;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.Tcp;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Faults;

/// <summary>Scenario-level faults: the proxy started for the run, its schedule in the scenario's time, and the windows in the result and reports.</summary>
public sealed class ScenarioFaultsTests
{
    [Fact]
    public async Task A_latency_window_shows_higher_latency_inside_than_outside_and_is_in_the_result()
    {
        var loaded = ScenarioFile.Parse("""
            name: window
            operation: { tcp: { target: builtin:echo, payload: 64B } }
            load: { closed: { workers: 2 } }
            duration: 5s
            faults:
              schedule:
                - { latency: 100ms, from: 1500ms, to: 3500ms }
            """, "window.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));

        var run = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(loaded.Scenarios);
        var result = Assert.Single(run.Scenarios);

        Assert.Equal(0, result.Counts.Failed + result.Counts.TimedOut);
        var window = Assert.Single(result.Windows!);
        Assert.Equal(1.5, window.FromSecond);
        Assert.Equal(3.5, window.ToSecond);
        Assert.Contains("latency 100ms", window.Label);
        // A second of the timeline wholly inside the window (1.5-3.5 s), and the first one, wholly before it.
        var timeline = result.Timeline;
        var inside = timeline.Skip(1).Where((p, i) => timeline[i].Second >= 1.5 && p.Second <= 3.5).First();
        var before = timeline[0];
        Assert.True(before.Second <= 1.5, $"the first second of the timeline ends at {before.Second} s, inside the window");
        Assert.True(inside.P50Micros >= 100_000, $"p50 inside the window {inside.P50Micros} us: the 100 ms latency was not injected");
        Assert.True(before.P50Micros < inside.P50Micros / 2, $"p50 before the window {before.P50Micros} us is not below half the p50 inside it ({inside.P50Micros} us)");
        Assert.True(before.Completed > inside.Completed * 5, $"{before.Completed} ops before the window, {inside.Completed} inside it");

        var json = ResultFile.Serialize(run);
        Assert.Contains("\"windows\"", json);
        var back = Assert.Single(ResultFile.Deserialize(json).Scenarios);
        Assert.Equal(result.Windows, back.Windows);
        var markdown = MarkdownReport.Render(run);
        Assert.Contains("### Fault windows", markdown);
        Assert.Contains("| 1 | 1.5s | 3.5s | latency 100ms (both ways) |", markdown);
        Assert.Contains("fault 1", markdown);
    }

    [Fact]
    public async Task A_window_that_never_opened_is_not_in_the_result_and_an_open_one_is_cut_at_the_end()
    {
        var scenario = new TcpOperation(new TcpOptions { Target = TcpOptions.BuiltinEcho }).ToScenario("cut")
            .WithLoad(LoadProfile.Closed(1))
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithFaults(new FaultOptions
            {
                Schedule =
                [
                    new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(1), From = TimeSpan.FromMilliseconds(200) },
                    new FaultProxyOptions { RefuseShare = 1, From = TimeSpan.FromHours(1) },
                ],
            });
        // The schedule follows the scenario's simulated clock: the proxy's 1 ms latency waits on it too.
        var clock = new SimulatedClock();
        var result = await RunHelpers.RunSimulated(clock, scenario);

        var window = Assert.Single(result.Windows!);
        Assert.Equal(0.2, window.FromSecond);
        Assert.Equal(result.DurationSeconds, window.ToSecond, 3);
        Assert.True(window.ToSecond >= 1.0, $"the window was cut at {window.ToSecond} s, before the 1 s run ended");
        Assert.Equal(0, result.Counts.Failed);
    }

    [Fact]
    public async Task Refusals_in_a_window_fail_new_connections_only_inside_it()
    {
        var scenario = new TcpOperation(new TcpOptions { Target = TcpOptions.BuiltinEcho, Connect = TcpConnectMode.PerOperation }).ToScenario("refuse")
            // A modest rate: a few hundred connections in all, so no error but the refusals can come from running out of ports.
            .WithLoad(LoadProfile.Open(200, maxInFlight: 20))
            .WithDuration(TimeSpan.FromSeconds(3))
            .WithFaults(new FaultOptions { Proxy = new FaultProxyOptions { Seed = 1 }, Schedule = [new FaultProxyOptions { RefuseShare = 1, From = TimeSpan.FromSeconds(1) }] });
        var result = await RunHelpers.RunOne(scenario);

        Assert.True(result.Counts.Ok > 0, "operations before the window should pass");
        Assert.True(result.Counts.Failed > 0, "operations inside the window should be refused");
        // The second that holds the window's opening may see both; the ones before and well after it see one kind each.
        var errorsBefore = result.Timeline.Where(p => p.Second <= 1.0).Sum(p => p.Errors);
        var okAfter = result.Timeline.Where((p, i) => i > 0 && result.Timeline[i - 1].Second >= 1.1).Sum(p => p.Ok);
        var kinds = string.Join(", ", result.Errors.Select(e => $"{e.Kind} {e.Count}"));
        Assert.True(errorsBefore == 0, $"{errorsBefore} errors before the window opened ({kinds})");
        Assert.Equal(0, okAfter);
    }

    [Fact]
    public async Task Http_requests_to_builtin_http_go_through_the_proxy()
    {
        var options = new HttpOperationOptions([new HttpRequestKind(Template.Constant("/ok"))]) { Target = HttpOperationOptions.BuiltinHttp };
        var operation = new HttpOperation(options);
        var scenario = new Scenario("http-faults", operation)
            .WithLoad(new IterationsProfile { Workers = 2, Iterations = 5 })
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithFaults(new FaultOptions { Proxy = new FaultProxyOptions { DownstreamLatency = TimeSpan.FromMilliseconds(50) } });
        var result = await RunHelpers.RunOne(scenario);

        Assert.Equal(10, result.Counts.Ok);
        Assert.Equal(200, Assert.Single(result.Http!.StatusCodes).Code);
        Assert.True(result.Latency.MinMicros >= 50_000, $"min latency {result.Latency.MinMicros} us: the replies did not cross the proxy's 50 ms");
        Assert.Contains("latency 50ms (replies)", Assert.Single(result.Windows!).Label);
    }

    [Fact]
    public async Task Builtin_http_target_serves_a_yaml_scenario_without_faults()
    {
        var loaded = ScenarioFile.Parse("""
            name: builtin-http
            operation: { http: { target: builtin:http, url: "/status/204", status: 204 } }
            load: { iterations: { workers: 2, perWorker: 10 } }
            """, "builtin-http.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var result = await RunHelpers.RunOne(Assert.Single(loaded.Scenarios));

        Assert.Equal(20, result.Counts.Ok);
        Assert.Equal(new StatusCodeCount(204, 20), Assert.Single(result.Http!.StatusCodes));
        Assert.Null(result.Windows);
    }

    [Fact]
    public void Faults_need_an_operation_the_proxy_can_stand_in_front_of()
    {
        var problems = Scenario.Create("synthetic", _ => Task.CompletedTask)
            .WithDuration(TimeSpan.FromSeconds(1))
            .WithFaults(new FaultOptions { Schedule = [new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(5) }, new FaultProxyOptions { Seed = 3 }] })
            .Validate();

        // Names the operation and the ability it lacks.
        Assert.Contains(problems, p => p.Path == "faults" && p.Message.StartsWith("the operation 'delegate' cannot take network faults", StringComparison.Ordinal)
            && p.Message.Contains("connect to one address", StringComparison.Ordinal) && p.Message.Contains("overrides Redirection", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "faults.schedule[1].seed");
        Assert.Contains(problems, p => p.Path == "faults.schedule[1]" && p.Message.Contains("names no fault"));
    }
}
