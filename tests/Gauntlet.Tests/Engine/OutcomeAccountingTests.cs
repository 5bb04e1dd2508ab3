using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.InProcess;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Engine;

public sealed class OutcomeAccountingTests
{
    [Fact]
    public async Task Every_outcome_kind_is_counted_and_balances()
    {
        var scenario = new Scenario("mixed", context => (context.Iteration % 10) switch
            {
                0 => new ValueTask<Outcome>(Outcome.Failed("status_500", "server said 500")),
                1 => new ValueTask<Outcome>(Outcome.Crashed("SIGSEGV", "signal 11")),
                2 => throw new InvalidOperationException("boom"),
                3 => new ValueTask<Outcome>(Outcome.TimedOut("reported by the target")),
                _ => new ValueTask<Outcome>(Outcome.Ok),
            })
            .WithLoad(LoadProfile.IterationsPerWorker(2, 500));
        var result = await RunOne(scenario);

        Assert.Equal(1000, result.Counts.Started);
        Assert.Equal(600, result.Counts.Ok);
        Assert.Equal(200, result.Counts.Failed);
        Assert.Equal(100, result.Counts.Crashed);
        Assert.Equal(100, result.Counts.TimedOut);
        Assert.Equal(0, result.Counts.CutOff);
        var status500 = Assert.Single(result.Errors, e => e.Kind == "status_500");
        Assert.Equal(100, status500.Count);
        Assert.Equal("server said 500", status500.SampleMessage);
        var thrown = Assert.Single(result.Errors, e => e.Kind == nameof(InvalidOperationException));
        Assert.Equal("failed", thrown.Status);
        Assert.Equal("boom", thrown.SampleMessage);
        Assert.Equal("crashed", Assert.Single(result.Errors, e => e.Kind == "SIGSEGV").Status);
        Assert.Equal(1000, result.Latency.Count);
    }

    [Fact]
    public async Task Operations_past_their_timeout_are_timed_out_even_if_they_ignore_the_token()
    {
        // The slow operations return normally, but only once their timeout has fired: past it by construction, however
        // late the timer runs. The others do nothing, and a timeout far above a busy machine's pauses leaves them alone.
        var scenario = Scenario.CreateSync("slow", context =>
            {
                if (context.Iteration % 4 == 0) context.CancellationToken.WaitHandle.WaitOne(S(30)); // ignores the token's request
            })
            .WithLoad(LoadProfile.IterationsPerWorker(2, 20))
            .WithTimeout(Ms(500));
        var result = await RunOne(scenario);

        Assert.Equal(10, result.Counts.TimedOut);
        Assert.Equal(30, result.Counts.Ok);
        Assert.Equal(Outcome.TimedOutKind, Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public async Task Operations_that_honour_the_token_end_as_timed_out_at_the_timeout()
    {
        var scenario = Scenario.Create("cooperative", async context => await Task.Delay(5_000, context.CancellationToken))
            .WithLoad(LoadProfile.IterationsPerWorker(3, 2))
            .WithTimeout(Ms(50));
        var result = await RunOne(scenario);

        Assert.Equal(6, result.Counts.TimedOut);
        Assert.True(result.Latency.MaxMicros < 2_000_000, $"max {result.Latency.MaxMicros}us: the token did not fire");
        Assert.True(result.Latency.P50Micros >= 45_000, $"p50 {result.Latency.P50Micros}us");
    }

    [Fact]
    public async Task Operations_still_running_after_the_grace_period_are_cut_off()
    {
        var never = new TaskCompletionSource();
        var scenario = Scenario.Create("stuck", async _ => await never.Task)
            .WithLoad(LoadProfile.Closed(3))
            .WithDuration(Ms(200))
            .WithGracePeriod(Ms(200))
            .WithHangDetection(null);
        var result = await RunOne(scenario);

        Assert.Equal(3, result.Counts.Started);
        Assert.Equal(3, result.Counts.CutOff);
        Assert.Equal(0, result.Counts.Completed);
        Assert.Contains(result.Warnings, w => w.Message.Contains("cut off"));
        never.SetResult();
    }

    [Fact]
    public async Task In_flight_work_finishes_within_the_grace_period()
    {
        var scenario = Scenario.Create("slowish", async _ => await Task.Delay(150))
            .WithLoad(LoadProfile.Closed(4))
            .WithDuration(Ms(250))
            .WithGracePeriod(S(5));
        var result = await RunOne(scenario);

        Assert.Equal(0, result.Counts.CutOff);
        Assert.Equal(result.Counts.Started, result.Counts.Ok);
        Assert.Equal(Verdict.Passed, result.Verdict);
    }

    [Fact]
    public async Task Watchdog_ends_a_hung_scenario_and_names_the_stuck_workers()
    {
        var never = new TaskCompletionSource();
        var scenario = Scenario.Create("hangs", async context =>
            {
                if (context.WorkerId == 1 && context.Iteration == 3) await never.Task;
                else await Task.Delay(1);
            })
            .WithLoad(LoadProfile.IterationsPerWorker(2, 5))
            .WithDeadline(S(30))
            .WithHangDetection(Ms(400));
        var result = await RunOne(scenario);

        Assert.Equal(Verdict.Hung, result.Verdict);
        Assert.NotNull(result.Hang);
        var stuck = Assert.Single(result.Hang!.Workers);
        Assert.Equal(1, stuck.Worker);
        Assert.Equal(3, stuck.Iteration);
        Assert.True(stuck.RunningSeconds >= 0.4);
        Assert.Equal(1, result.Counts.CutOff);
        Assert.Equal(8, result.Counts.Ok); // worker 0: all 5; worker 1: iterations 0..2
        Assert.True(result.DurationSeconds < 10, $"the hang ended the scenario only after {result.DurationSeconds}s");
        Assert.Contains(result.Reasons, r => r.Message.StartsWith("hang:"));
        never.SetResult();
    }

    [Fact]
    public async Task One_worker_stuck_among_busy_ones_is_named_though_the_scenario_is_not_hung()
    {
        var release = new TaskCompletionSource();
        var scenario = Scenario.Create("partial-hang", async context =>
            {
                if (context.WorkerId == 2 && context.Iteration == 1) await release.Task;
                else await Task.Delay(5);
            })
            .WithLoad(LoadProfile.Closed(3))
            .WithDuration(S(2.5))
            .WithGracePeriod(Ms(100))
            .WithHangDetection(Ms(700));
        var result = await RunOne(scenario);
        release.SetResult();

        Assert.NotEqual(Verdict.Hung, result.Verdict);
        Assert.Null(result.Hang);
        var warning = Assert.Single(result.Warnings, w => w.Message.Contains("was stuck", StringComparison.Ordinal)).Message;
        Assert.StartsWith("worker 2 was stuck in operation ", warning);
        Assert.Contains("for more than 700ms while other workers went on", warning);
        Assert.Equal(1, result.Counts.CutOff);
    }

    [Fact]
    public async Task Deadline_ends_a_scenario_that_runs_too_long_and_fails_it()
    {
        var scenario = Scenario.Create("long", async context => await Task.Delay(50, CancellationToken.None))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 1000))
            .WithDeadline(Ms(400));
        var result = await RunOne(scenario);

        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Message.Contains("deadline"));
        Assert.True(result.Counts.Started < 2000);
        Assert.True(result.DurationSeconds < 5);
    }

    [Fact]
    public async Task Cancellation_stops_issuing_lets_work_finish_and_marks_the_result_interrupted()
    {
        using var cancel = new CancellationTokenSource(Ms(300));
        var scenarios = new[]
        {
            Scenario.Create("first", async _ => await Task.Delay(30, CancellationToken.None)).WithLoad(LoadProfile.Closed(2)).WithDuration(S(20)),
            Scenario.CreateSync("second", _ => { }).WithDuration(S(1)),
        };
        var run = await new Runner(new RunOptions { Environment = TestEnvironment }).RunAsync(scenarios, cancel.Token);

        Assert.True(run.Interrupted);
        var first = Assert.Single(run.Scenarios);
        Assert.Equal(Verdict.Interrupted, first.Verdict);
        Assert.True(first.Counts.Balanced);
        Assert.Equal(0, first.Counts.CutOff);
        Assert.True(first.Counts.Ok > 2);
        Assert.True(first.IssuingSeconds < 5, $"issuing went on {first.IssuingSeconds}s after the cancel");
    }

    [Fact]
    public async Task Each_scenario_gets_its_own_verdict_from_its_thresholds()
    {
        var scenarios = new[]
        {
            Scenario.CreateSync("fast", _ => { }).WithLoad(LoadProfile.IterationsPerWorker(1, 100))
                .WithThresholds("count(ok) == 100", "error_rate == 0%", "p99 < 1s"),
            new Scenario("slow", new SyntheticOperation(new SyntheticOptions { Latency = Ms(3), ErrorRate = 0.5, Seed = 7 }))
                .WithLoad(LoadProfile.IterationsPerWorker(1, 40))
                .WithThresholds("p50 < 1ms", "error_rate < 10%", "count(ok) >= 1"),
        };
        var run = await new Runner(new RunOptions { Environment = TestEnvironment }).RunAsync(scenarios);

        Assert.False(run.Passed);
        Assert.Equal(Verdict.Passed, run.Scenarios[0].Verdict);
        Assert.All(run.Scenarios[0].Thresholds, t => Assert.True(t.Passed, t.Expression));
        var slow = run.Scenarios[1];
        Assert.Equal(Verdict.Failed, slow.Verdict);
        Assert.False(slow.Thresholds[0].Passed);
        Assert.True(slow.Thresholds[0].Actual >= 3000);
        Assert.False(slow.Thresholds[1].Passed);
        Assert.True(slow.Thresholds[2].Passed);
        Assert.Equal(2, slow.Reasons.Count);
        Assert.Contains(slow.Reasons, r => r.Message.Contains("p50 < 1ms"));
    }

    [Fact]
    public async Task Invalid_scenarios_are_all_reported_before_anything_runs()
    {
        var ran = false;
        var scenarios = new[]
        {
            Scenario.CreateSync("a", _ => ran = true).WithDuration(S(1)).WithThresholds("p99 <"),
            Scenario.CreateSync("a", _ => ran = true).WithLoad(LoadProfile.Closed(0)).WithDuration(S(1)),
        };
        var error = await Assert.ThrowsAsync<ScenarioValidationException>(() => new Runner(new RunOptions { Environment = TestEnvironment }).RunAsync(scenarios));

        Assert.False(ran);
        Assert.Contains(error.Problems, p => p.Path == "scenarios[0].thresholds[0]");
        Assert.Contains(error.Problems, p => p.Path == "scenarios[1].load.workers");
        Assert.Contains(error.Problems, p => p.Path == "scenarios[1].name" && p.Message.Contains("unique"));
    }

    [Fact]
    public async Task The_encoded_histogram_decodes_to_the_recorded_distribution()
    {
        var scenario = new Scenario("histogram", new SyntheticOperation(new SyntheticOptions { Latency = Ms(2) }))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 50));
        var result = await RunOne(scenario);

        var histogram = Histograms.Decode(result.Latency.Histogram!);
        Assert.Equal(100, histogram.TotalCount);
        Assert.Equal(result.Latency.P99Micros, histogram.GetValueAtPercentile(99));
        // The synthetic latency is a floor (it finishes its wait precisely); above it a busy machine adds what it will.
        Assert.True(result.Latency.P50Micros >= 1990, $"p50 {result.Latency.P50Micros}us under the 2 ms floor");
    }

    [Fact]
    public async Task Synthetic_error_rate_is_honoured()
    {
        var scenario = new Scenario("errors", new SyntheticOperation(new SyntheticOptions { ErrorRate = 0.25, Seed = 1 }))
            .WithLoad(LoadProfile.IterationsPerWorker(1, 4000))
            .WithThresholds("error_rate < 30%", "error_rate > 20%", "success_rate >= 70%");
        var result = await RunOne(scenario);

        Assert.InRange(result.Counts.Failed, 800, 1200);
        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal("synthetic_error", Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public async Task A_scenario_in_which_nothing_started_fails()
    {
        var scenario = Scenario.CreateSync("idle", _ => { })
            .WithLoad(LoadProfile.OpenRamping(0, 10, new RateStage(S(0.3), 0.1)));
        var result = await RunOne(scenario);
        Assert.Equal(0, result.Counts.Started);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Message.Contains("no operation started"));
    }

    [Fact]
    public async Task Without_thresholds_a_scenario_where_everything_failed_does_not_pass()
    {
        var scenario = new Scenario("all-fail", _ => new ValueTask<Outcome>(Outcome.Failed("refused")))
            .WithLoad(LoadProfile.IterationsPerWorker(1, 10));
        var result = await RunOne(scenario);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Message.Contains("no operation succeeded"));
    }

    [Fact]
    public async Task A_task_returning_lambda_is_awaited_so_its_failure_counts()
    {
        var scenario = Scenario.Create("task", async _ =>
            {
                await Task.Yield();
                throw new HttpRequestException("send failed", new IOException("connection refused"));
            })
            .WithLoad(LoadProfile.IterationsPerWorker(1, 3));
        var result = await RunOne(scenario);
        Assert.Equal(3, result.Counts.Failed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(HttpRequestException), error.Kind);
        Assert.Contains("IOException: connection refused", error.SampleMessage);
    }

    [Fact]
    public async Task Closed_barrier_start_keeps_workers_issuing_until_the_duration_ends()
    {
        var scenario = Scenario.Create("closed-barrier", async _ => await Task.Delay(2))
            .WithLoad(LoadProfile.Closed(20).WithBarrier())
            .WithDuration(Ms(600));
        var result = await RunOne(scenario);
        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.True(result.IssuingSeconds >= 0.55, $"issuing {result.IssuingSeconds}s");
        Assert.True(result.Counts.Ok > 20 * 10, $"ok {result.Counts.Ok}");
        Assert.Equal(20, result.StartSpread!.Workers);
    }
}
