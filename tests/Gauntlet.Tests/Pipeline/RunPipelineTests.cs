using Gauntlet.Faults;
using Gauntlet.Faults.Proxy;
using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.InProcess;
using Gauntlet.Testing;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.Results;

namespace Gauntlet.Tests.Pipeline;

/// <summary>The run pipeline as a C# user meets it: one call from a scenario to a judged result and its reports.</summary>
public sealed class RunPipelineTests
{
    private static Scenario Quick(string name = "quick") =>
        Scenario.Create(name, new SyntheticOperation(new SyntheticOptions { Latency = TimeSpan.FromMilliseconds(1) }))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 10));

    [Fact]
    public async Task A_results_folder_gets_the_same_files_gauntlet_run_writes()
    {
        using var folder = new TempFolder();
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment, ResultsDirectory = folder.Path, JUnit = true })
            .RunAsync(Quick().WithThresholds("count(ok) == 20"));

        Assert.True(result.Passed);
        Assert.Equal(ExitCodes.Passed, ExitCodes.Of(result));
        var stored = await ResultFile.ReadAsync(folder.File(ReportFolder.ResultFileName));
        Assert.Equal(20, Assert.Single(stored.Scenarios).Counts.Ok);
        Assert.Contains("## Acceptance criteria", await File.ReadAllTextAsync(folder.File(ReportFolder.MarkdownFileName)));
        Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(folder.File(ReportFolder.HtmlFileName)), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<testcase", await File.ReadAllTextAsync(folder.File(ReportFolder.JUnitFileName)));
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public async Task Without_a_results_folder_nothing_is_written_and_reports_can_follow_in_one_call()
    {
        using var folder = new TempFolder();
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(Quick());
        Assert.Empty(Directory.GetFiles(folder.Path));

        var files = await result.WriteReportsAsync(folder.Path);

        Assert.True(File.Exists(files.Result));
        Assert.True(File.Exists(files.Markdown));
        Assert.True(File.Exists(files.Html));
        Assert.Null(files.JUnit);
    }

    [Fact]
    public async Task A_regression_against_the_baseline_fails_the_run_and_is_in_the_result_and_the_report()
    {
        using var folder = new TempFolder();
        var quiet = new RunOptions { Environment = RunHelpers.TestEnvironment };
        var clean = await new Runner(quiet).RunAsync(Quick("checkout").WithLoad(LoadProfile.IterationsPerWorker(2, 100)));
        // The same scenario, now failing half of its operations, and a scenario the baseline has is missing.
        var slow = Scenario.Create("checkout", new SyntheticOperation(new SyntheticOptions { Latency = TimeSpan.FromMilliseconds(1), ErrorRate = 0.5, Seed = 3 }))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 100));
        var baseline = clean with { Scenarios = [.. clean.Scenarios, clean.Scenarios[0] with { Name = "login" }] };

        var result = await new Runner(quiet with { ResultsDirectory = folder.Path, Baseline = new BaselineOptions(baseline, "baseline/result.json") }).RunAsync(slow);

        Assert.Equal(Verdict.Passed, Assert.Single(result.Scenarios).Verdict);
        var verdict = Assert.IsType<BaselineVerdict>(result.Baseline);
        Assert.True(verdict.Regressed);
        Assert.Contains(verdict.Regressions, line => line.StartsWith("checkout: error_rate ", StringComparison.Ordinal));
        Assert.Equal(["login"], verdict.Missing);
        Assert.False(result.Passed);
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
        Assert.True(File.Exists(folder.File(ReportFolder.ComparisonFileName)));
        Assert.Contains("## Against the baseline", await File.ReadAllTextAsync(folder.File(ReportFolder.MarkdownFileName)));
        Assert.True((await ResultFile.ReadAsync(folder.File(ReportFolder.ResultFileName))).Baseline!.Regressed);
        // report.html draws the baseline's latency beside this run's.
        var html = await File.ReadAllTextAsync(folder.File(ReportFolder.HtmlFileName));
        Assert.Contains("\"label\":\"baseline latency\"", html, StringComparison.Ordinal);
        Assert.Contains("Dashed: the same scenario in the baseline run baseline/result.json", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_pass_async_runs_the_pipeline_and_names_the_reports_when_it_fails()
    {
        using var folder = new TempFolder();
        var options = new RunOptions { Environment = RunHelpers.TestEnvironment, ResultsDirectory = folder.Path };

        var passed = await Quick().ShouldPassAsync(options);
        Assert.Equal(20, passed.Scenarios[0].Counts.Ok);

        var failing = await Assert.ThrowsAsync<GauntletAssertionException>(() => Quick().WithThresholds("count(ok) == 21").ShouldPassAsync(options));
        Assert.Contains("threshold 'count(ok) == 21' failed", failing.Message);
        Assert.Contains($"Reports: {Path.GetFullPath(folder.Path)}", failing.Message);
    }

    [Fact]
    public async Task A_csharp_scenario_on_the_builtin_http_server_starts_it()
    {
        // The C# guide's built-in server sample: set-up belongs to the operation, so C# gets what YAML gets.
        var scenario = Scenario.Create("builtin", HttpOperation.GetBuiltin("/ok")).WithLoad(LoadProfile.Closed(2)).WithMaxIterations(50);

        var result = await RunHelpers.RunOne(scenario);

        Assert.Equal(50, result.Counts.Ok);
        Assert.Equal(50, Assert.Single(result.Http!.StatusCodes).Count);
    }

    [Fact]
    public async Task A_csharp_scenario_with_faults_puts_the_proxy_in_front_of_its_operation()
    {
        var operation = new HttpOperation(new HttpOperationOptions([new HttpRequestKind(Template.Constant("/ok"))]) { Target = HttpOperationOptions.BuiltinHttp });
        var scenario = Scenario.Create("faults", operation)
            .WithLoad(LoadProfile.Closed(2))
            .WithMaxIterations(20)
            .WithFaults(new FaultOptions { Proxy = new FaultProxyOptions { DownstreamLatency = TimeSpan.FromMilliseconds(30) } });

        Assert.Empty(scenario.Validate());
        var result = await RunHelpers.RunOne(scenario);

        Assert.Equal(20, result.Counts.Ok);
        Assert.True(result.Latency.MinMicros >= 30_000, $"min latency {result.Latency.MinMicros} us: the replies did not cross the proxy");
    }

    [Fact]
    public async Task A_search_run_by_the_pipeline_reports_its_probes_progress_through_the_run_options()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var template = Scenario.Create("probed", new SyntheticOperation(new SyntheticOptions { Latency = TimeSpan.FromMilliseconds(1) }))
            .WithLoad(LoadProfile.Closed(1)).WithDuration(TimeSpan.FromMilliseconds(1200));
        var search = new Gauntlet.Search.BreakingPointSearch("probed",
            new Gauntlet.Search.SearchOptions { Parameter = "workers", From = 1, To = 2, Mode = SearchMode.Step, Step = 1 },
            Gauntlet.Search.SearchParameter.Workers(template));
        var probes = 0;

        var result = await new Runner(new RunOptions
        {
            Environment = RunHelpers.TestEnvironment,
            OnProgress = progress => seen.Add(progress.Scenario),
            OnSearchProbe = (_, _) => Interlocked.Increment(ref probes),
        }).RunAsync([], [search]);

        var found = Assert.Single(result.Searches!);
        Assert.Equal(2, found.Probes.Count);
        Assert.Equal(2, probes);
        Assert.Contains("probed", seen);
        Assert.Equal(RunHelpers.TestEnvironment, result.Environment);
    }

    [Fact]
    public void An_operations_own_method_as_a_delegate_is_refused_with_what_to_write_instead()
    {
        var operation = new HttpOperation(new HttpOperationOptions([new HttpRequestKind(Template.Constant("/ok"))]) { Target = HttpOperationOptions.BuiltinHttp });

        var problems = Scenario.Create("hidden", operation.RunAsync).WithMaxIterations(1).Validate();

        var problem = Assert.Single(problems);
        Assert.Equal("operation", problem.Path);
        Assert.Contains("is a method of the operation 'http'", problem.Message);
        Assert.Contains("Scenario.Create(name, operation)", problem.Message);
    }

    [Fact]
    public async Task A_delegate_operation_declares_no_ability_and_runs()
    {
        var calls = 0;
        var scenario = Scenario.Create("delegate", _ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(Outcome.Ok);
        }).WithMaxIterations(5);

        Assert.Equal("delegate", scenario.Operation.Name);
        Assert.Equal("none", scenario.Operation.DescribeAbilities());
        Assert.Equal(5, (await RunHelpers.RunOne(scenario)).Counts.Ok);
        Assert.Equal(5, calls);
    }

    [Fact]
    public async Task Set_up_and_tear_down_come_in_pairs_around_each_run_and_tear_down_follows_the_verifiers()
    {
        var operation = new RecordingOperation();
        var scenario = Scenario.Create("recorded", operation).WithMaxIterations(3)
            .WithVerifiers(Gauntlet.Scenarios.Verifier.UniqueIds()).WithHistory();
        var runner = new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment });

        await runner.RunAsync(scenario);
        await runner.RunAsync(scenario);

        Assert.Equal(["set-up", "run", "run", "run", "load-ended", "figures", "tear-down", "set-up", "run", "run", "run", "load-ended", "figures", "tear-down"], operation.Calls);
    }

    [Fact]
    public async Task A_set_up_that_cannot_reach_the_target_ends_the_run_before_anything_is_issued()
    {
        var operation = new RecordingOperation { Unreachable = true };

        var thrown = await Assert.ThrowsAsync<TargetUnreachableException>(() => new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment })
            .RunAsync(Scenario.Create("down", operation).WithMaxIterations(3)));

        Assert.Equal("nothing listens there", thrown.Message);
        Assert.Equal(["set-up"], operation.Calls);
    }

    private sealed class RecordingOperation : Operation
    {
        private readonly Lock _gate = new();

        public List<string> Calls { get; } = [];

        public bool Unreachable { get; init; }

        public override string Name => "recording";

        public override ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
        {
            Add("set-up");
            return Unreachable ? throw new TargetUnreachableException("nothing listens there") : ValueTask.CompletedTask;
        }

        public override ValueTask<Outcome> RunAsync(OperationContext context)
        {
            Add("run");
            context.Function = "read";
            context.Value = $"id-{context.OperationId}";
            return ValueTask.FromResult(Outcome.Ok);
        }

        public override void LoadEnded() => Add("load-ended");

        public override ScenarioResult AddFigures(ScenarioResult result)
        {
            Add("figures");
            return result;
        }

        public override ValueTask TearDownAsync()
        {
            Add("tear-down");
            return ValueTask.CompletedTask;
        }

        private void Add(string call)
        {
            lock (_gate) Calls.Add(call);
        }
    }
}
