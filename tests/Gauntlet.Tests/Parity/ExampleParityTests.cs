using System.Text.Json;
using Gauntlet.Faults;
using Gauntlet.Faults.Agents;
using Gauntlet.Faults.Proxy;
using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Servers;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.InProcess;
using Gauntlet.Targets.Process;
using Gauntlet.Targets.Tcp;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.ScenarioFiles;
using Gauntlet.Verification;

namespace Gauntlet.Tests.Parity;

/// <summary>
/// One model, two front doors: each example scenario of examples/ is built here in C#, as a user would write it, and
/// loaded from its YAML file; both must be the same scenario (operation, abilities, load, bounds, thresholds,
/// verifiers, faults), validate the same way (the same problems when both are given something the operation cannot
/// do), and, run against the same target, give results of the same shape (configuration, threshold names, request
/// kinds, verifiers, fault windows, report sections). Durations are scaled down the same way on both sides.
/// </summary>
public sealed class ExampleParityTests : IDisposable
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-parity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Closed_ramp_is_the_same_from_csharp_and_yaml()
    {
        var yaml = FromYaml("closed-ramp/scenario.yaml", replacements: [("duration: 2s", "duration: 500ms")]);
        var csharp = Scenario.Create("closed-ramp", new SyntheticOperation(new SyntheticOptions { Latency = 2 * Ms, Distribution = LatencyDistribution.LogNormal, Seed = 1 }))
            .WithLoad(new ClosedProfile { StartWorkers = 0, Stages = [new WorkerStage(500 * Ms, 16), new WorkerStage(500 * Ms, 16)] })
            .WithTimeout(TimeSpan.FromSeconds(1))
            .WithThresholds("p99 < 100ms", "error_rate == 0", "count(timed_out) == 0", "throughput >= 500/s");

        await AssertSameAsync(yaml, csharp);
    }

    [Fact]
    public async Task Open_rate_is_the_same_from_csharp_and_yaml()
    {
        var yaml = FromYaml("open-rate/scenario.yaml", replacements: [("duration: 3s", "duration: 1500ms"), ("stallAfter: 1s", "stallAfter: 500ms")]);
        var csharp = Scenario.Create("open-rate", new SyntheticOperation(new SyntheticOptions { Latency = Ms, Jitter = 500 * TimeSpan.FromMicroseconds(1), StallAfter = 500 * Ms, StallFor = 300 * Ms }))
            .WithLoad(new OpenProfile { StartRate = 500, MaxInFlight = 1000 })
            .WithDuration(1500 * Ms)
            .WithThresholds("dropped == 0", "p50 < 10ms", "max >= 250ms");

        await AssertSameAsync(yaml, csharp);
    }

    [Fact]
    public async Task Iterations_barrier_is_the_same_from_csharp_and_yaml()
    {
        var yaml = FromYaml("iterations-barrier/scenario.yaml");
        var csharp = Scenario.Create("iterations-barrier", new SyntheticOperation(new SyntheticOptions { Latency = 5 * Ms, Distribution = LatencyDistribution.Exponential, ErrorRate = 0.005, ErrorKind = "conflict" }))
            .WithLoad(new IterationsProfile { Workers = 50, Iterations = 20, Barrier = true })
            .WithTimeout(TimeSpan.FromSeconds(1))
            .WithThresholds("count(started) == 1000", "success_rate >= 97%", "count(timed_out) == 0");

        await AssertSameAsync(yaml, csharp);
    }

    [Fact]
    public async Task Fault_window_is_the_same_from_csharp_and_yaml()
    {
        // A third of the example's time line: 3 s, latency from 1 s to 2 s, refusals from 1.3 s to 1.7 s.
        var yaml = FromYaml("fault-window/scenario.yaml", replacements:
            [("duration: 9s", "duration: 3s"), ("from: 3s, to: 6s", "from: 1s, to: 2s"), ("from: 4s, to: 5s", "from: 1300ms, to: 1700ms")]);
        var http = new HttpOperation(new HttpOperationOptions([new HttpRequestKind(Template.Constant("/ok")) { Headers = [new("Connection", Template.Constant("close"))] }])
        {
            Target = HttpOperationOptions.BuiltinHttp,
        });
        var csharp = Scenario.Create("fault-window", http)
            .WithLoad(LoadProfile.Closed(8))
            .WithDuration(TimeSpan.FromSeconds(3))
            .WithTimeout(TimeSpan.FromSeconds(2))
            .WithFaults(new FaultOptions
            {
                Proxy = new FaultProxyOptions { Seed = 7 },
                Schedule =
                [
                    new FaultProxyOptions { DownstreamLatency = 200 * Ms, From = TimeSpan.FromSeconds(1), Until = TimeSpan.FromSeconds(2) },
                    new FaultProxyOptions { RefuseShare = 0.5, From = 1300 * Ms, Until = 1700 * Ms },
                ],
            })
            .WithThresholds("p50 < 100ms", "max >= 200ms", "count(failed) >= 1", "error_rate < 10%", "count(timed_out) == 0");

        await AssertSameAsync(yaml, csharp);
    }

    [Fact]
    public async Task Echo_clients_are_the_same_from_csharp_and_yaml()
    {
        var yaml = FromYaml("echo-10k/scenario.yaml", new() { ["clients"] = "200" });
        var tcp = new TcpOperation(new TcpOptions
        {
            Target = TcpOptions.BuiltinEcho,
            Connect = TcpConnectMode.PerWorker,
            Payload = TcpPayload.Generated(64),
            Expect = TcpExpectation.Echo,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ReadTimeout = TimeSpan.FromSeconds(45),
        });
        var csharp = Scenario.Create("echo-10k", tcp)
            .WithLoad(new IterationsProfile { Workers = 200, Iterations = 1, Batches = new BatchRamp(100, 5 * Ms) })
            .WithDeadline(TimeSpan.FromSeconds(45))
            .WithThresholds("count(ok) == 200", "error_rate == 0%", "count(cut_off) == 0");

        await AssertSameAsync(yaml, csharp);
    }

    [Fact]
    public async Task Process_cli_is_the_same_from_csharp_and_yaml()
    {
        var agent = Path.Combine(RepositoryPaths.Examples, "process-cli", "agent.sh");
        var yaml = FromYaml("process-cli/scenario.yaml", replacements: [("examples/process-cli/agent.sh", agent), ("perWorker: 50", "perWorker: 10")]);
        var process = new ProcessOperation(ProcessOptions.Command(agent, "Agent{worker}Issue{iteration}") with
        {
            Timeout = TimeSpan.FromSeconds(5),
            Checks = new ProcessChecks { ExitCodes = [0], JsonEquals = new Dictionary<string, string> { ["status"] = "created" } },
        });
        var csharp = Scenario.Create("process-cli", process)
            .WithLoad(LoadProfile.IterationsPerWorker(4, 10))
            .WithThresholds("error_rate == 0", "count(crashed) == 0", "count(timed_out) == 0");

        await AssertSameAsync(yaml, csharp);
    }

    [Fact]
    public async Task Concurrent_writers_are_the_same_from_csharp_and_yaml()
    {
        var script = Path.Combine(RepositoryPaths.Examples, "concurrent-writers", "store.sh");
        var yamlStore = Path.Combine(_folder, "yaml-store.txt");
        var csharpStore = Path.Combine(_folder, "csharp-store.txt");
        var yaml = FromYaml("concurrent-writers/scenario.yaml", new() { ["mode"] = "safe", ["store"] = yamlStore },
            [("examples/concurrent-writers/store.sh", script), ("workers: 10, perWorker: 100", "workers: 5, perWorker: 20")]);
        var environment = new Dictionary<string, ArgumentTemplate> { ["STORE"] = ArgumentTemplate.Parse(csharpStore) };
        var writes = new ProcessOperation(ProcessOptions.Command("sh", script, "add", "agent{worker}-write{iteration}", "--safe") with
        {
            Environment = environment,
            Timeout = TimeSpan.FromSeconds(10),
        });
        var store = new CommandRead(ProcessOptions.Command("sh", script, "list") with { Environment = environment }, OutputParse.Lines);
        var csharp = Scenario.Create("concurrent-writers", writes.Labelled(HistoryFunction.Write, c => $"agent{c.WorkerId}-write{c.Iteration}"))
            .WithLoad(new IterationsProfile { Workers = 5, Iterations = 20, Barrier = true })
            .WithVerifiers(Verifier.Set(async token => await store.ReadValuesAsync(token), name: "store"))
            .WithThresholds("lost == 0", "duplicated == 0", "error_rate == 0");

        await AssertSameAsync(yaml, csharp);
    }

    [Fact]
    public async Task Kernel_error_recovery_mix_is_the_same_from_csharp_and_yaml()
    {
        await using var server = await BuiltinHttpServer.StartAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var target = server.Address.ToString().TrimEnd('/');
        var yaml = FromYaml("kernel-requests/suite.yaml", new() { ["target"] = target }, scenario: "error-recovery");
        Assert.True(Gauntlet.Targets.Http.JsonPath.TryParse("$.ok", out var ok, out _));
        var mix = new HttpOperation(new HttpOperationOptions(
        [
            new HttpRequestKind(Template.Constant($"{target}/json")) { Name = "valid", Checks = [new HttpCheck.JsonEquals(ok, "true")] },
            new HttpRequestKind(Template.Constant($"{target}/status/400")) { Name = "invalid", ExpectsRejection = true },
        ]));
        var csharp = Scenario.Create("error-recovery", mix)
            .WithLoad(LoadProfile.Closed(1))
            .WithMaxIterations(200)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithGracePeriod(TimeSpan.FromSeconds(5))
            .WithThresholds("count(timed_out) == 0", "error_rate == 0", "count(valid) == 100", "count(invalid) == 100", "error_rate(valid) == 0", "error_rate(invalid) == 0");

        await AssertSameAsync(yaml, csharp);
    }

    /// <summary>The example's scenario, loaded by the same reader as <c>gauntlet run</c>, after the given scale-downs.</summary>
    private static Scenario FromYaml(string file, Dictionary<string, string>? variables = null, (string From, string To)[]? replacements = null, string? scenario = null)
    {
        var path = Path.Combine(RepositoryPaths.Examples, file);
        var text = File.ReadAllText(path);
        foreach (var (from, to) in replacements ?? [])
        {
            Assert.True(text.Contains(from, StringComparison.Ordinal), $"{file} no longer says '{from}'; update the scale-down");
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        var loaded = ScenarioFile.Parse(text, path, variables);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        return scenario is null ? Assert.Single(loaded.Scenarios) : Assert.Single(loaded.Scenarios, s => s.Name == scenario);
    }

    private async Task AssertSameAsync(Scenario yaml, Scenario csharp)
    {
        AssertSameScenario(yaml, csharp);
        AssertSameValidation(yaml, csharp);

        var fromYaml = await RunAsync(yaml, "yaml");
        var fromCsharp = await RunAsync(csharp, "csharp");
        AssertSameShape(fromYaml, fromCsharp);
    }

    private static void AssertSameScenario(Scenario yaml, Scenario csharp)
    {
        Assert.Empty(yaml.Validate());
        Assert.Empty(csharp.Validate());
        Assert.Equal(yaml.Name, csharp.Name);
        Assert.Equal(yaml.Operation.Name, csharp.Operation.Name);
        Assert.Equal(yaml.Operation.DescribeAbilities(), csharp.Operation.DescribeAbilities());
        Assert.Equal(yaml.Operation.KindNames, csharp.Operation.KindNames);
        Assert.Equal(yaml.Load.Describe(), csharp.Load.Describe());
        Assert.Equal(yaml.Bounds, csharp.Bounds);
        Assert.Equal(yaml.Thresholds, csharp.Thresholds);
        Assert.Equal(yaml.Verifiers.Select(v => v.Name), csharp.Verifiers.Select(v => v.Name));
        Assert.Equal(yaml.HasHistory, csharp.HasHistory);
        Assert.Equal(yaml.Monitor, csharp.Monitor);
        Assert.Equal(yaml.Faults is null, csharp.Faults is null);
        Assert.Equal(yaml.Faults?.UsesProxy, csharp.Faults?.UsesProxy);
        Assert.Equal(yaml.Faults?.Schedule.Count, csharp.Faults?.Schedule.Count);
    }

    /// <summary>Asked for what one of them cannot do, both give the same problems: the operation and the ability it lacks.</summary>
    private static void AssertSameValidation(Scenario yaml, Scenario csharp)
    {
        var chaos = new[] { AgentFault.KillEvery(TimeSpan.FromSeconds(1)) };
        var network = new FaultOptions { Schedule = [new FaultProxyOptions { Latency = 5 * Ms }] };
        Assert.Equal(Problems(yaml.WithAgentFaults(chaos)), Problems(csharp.WithAgentFaults(chaos)));
        Assert.Equal(Problems(yaml.WithFaults(network)), Problems(csharp.WithFaults(network)));
        if (yaml.Operation.Processes is null)
            Assert.Contains(Problems(yaml.WithAgentFaults(chaos)), p => p.Contains($"the operation '{yaml.Operation.Name}' cannot take agent faults", StringComparison.Ordinal));
        if (yaml.Operation.Redirection is null)
            Assert.Contains(Problems(yaml.WithFaults(network)), p => p.Contains($"the operation '{yaml.Operation.Name}' cannot take network faults", StringComparison.Ordinal));
    }

    private static List<string> Problems(Scenario scenario) => [.. scenario.Validate().Select(p => p.ToString())];

    private async Task<RunResult> RunAsync(Scenario scenario, string door)
    {
        var folder = Path.Combine(_folder, door);
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment, ResultsDirectory = folder }).RunAsync(scenario);
        // The pipeline wrote the same files for either door.
        Assert.True(File.Exists(Path.Combine(folder, ReportFolder.ResultFileName)), $"{door}: no result.json");
        Assert.True(File.Exists(Path.Combine(folder, ReportFolder.MarkdownFileName)), $"{door}: no report.md");
        Assert.True(File.Exists(Path.Combine(folder, ReportFolder.HtmlFileName)), $"{door}: no report.html");
        return result;
    }

    private static void AssertSameShape(RunResult yaml, RunResult csharp)
    {
        var a = Assert.Single(yaml.Scenarios);
        var b = Assert.Single(csharp.Scenarios);
        // Verdicts are not compared: a timing threshold may fall either way on a busy machine, whichever door built it.
        Assert.Equal(JsonSerializer.Serialize(a.Config), JsonSerializer.Serialize(b.Config));
        Assert.Equal(a.Thresholds.Select(t => (t.Expression, t.Target)), b.Thresholds.Select(t => (t.Expression, t.Target)));
        Assert.Equal(a.OperationKinds?.Select(k => k.Name), b.OperationKinds?.Select(k => k.Name));
        Assert.Equal(a.Verifications?.Select(v => v.Name), b.Verifications?.Select(v => v.Name));
        Assert.Equal(a.Http is null, b.Http is null);
        Assert.Equal(a.History is null, b.History is null);
        Assert.Equal(a.Windows?.Count, b.Windows?.Count);
        Assert.Equal(a.Counts.Started > 0, b.Counts.Started > 0);
        Assert.Equal(Sections(yaml), Sections(csharp));
    }

    /// <summary>
    /// The Markdown report's headings: the sections a reader finds, whichever door built the scenario; without those
    /// that depend on how the run went rather than on what it was (errors, warnings, reasons, a hang).
    /// </summary>
    private static List<string> Sections(RunResult result) =>
        [.. MarkdownReport.Render(result).Split('\n').Where(line => line.StartsWith('#') && !OutcomeSections.Contains(line))];

    private static readonly HashSet<string> OutcomeSections = ["### Errors", "### Warnings", "### Reasons for the verdict", "### Hang"];
}
