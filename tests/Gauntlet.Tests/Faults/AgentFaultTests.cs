using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Faults.Agents;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Process;
using Gauntlet.Verification;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Faults;

/// <summary>
/// Faults injected into agents' processes: what each does to the operation it hits, how it is recorded in the
/// history and the result, and the agents' own accounting around it.
/// </summary>
public sealed class AgentFaultTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-chaos-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Agents that each sleep <paramref name="sleep"/> per operation, labelled for the history.</summary>
    private static Scenario Sleepers(string sleep, int workers, int perWorker) =>
        new Scenario("sleepers", new ProcessOperation(ProcessOptions.Command("sleep", sleep)).Labelled(HistoryFunction.Write, c => $"w{c.WorkerId}-{c.Iteration}"))
            .WithLoad(LoadProfile.IterationsPerWorker(workers, perWorker))
            .WithHistory()
            .WithDeadline(TimeSpan.FromSeconds(60));

    private async Task<(ScenarioResult Result, List<HistoryEntry> History)> Run(Scenario scenario)
    {
        var runner = new Runner(new RunOptions { Environment = TestEnvironment, ResultsDirectory = _folder });
        var result = Assert.Single((await runner.RunAsync(scenario)).Scenarios);
        Assert.True(result.Counts.Balanced, result.Counts.ToString());
        return (result, HistoryReader.Read(Path.Combine(_folder, Gauntlet.Results.HistoryInfo.FileName)).ToList());
    }

    [Fact]
    public async Task A_killed_operation_crashes_with_SIGKILL_and_the_history_says_indeterminate()
    {
        var (result, history) = await Run(Sleepers("0.2", workers: 3, perWorker: 6)
            .WithAgentFaults(AgentFault.KillEvery(TimeSpan.FromMilliseconds(150)) with { Seed = 1 }));

        var faults = Assert.IsType<AgentFaultFigures>(result.AgentFaults);
        var kills = faults.Events.Where(e => e.Action == "kill").ToList();
        Assert.NotEmpty(kills);
        Assert.Equal(kills.Count, faults.Delivered.Single(d => d.Action == "kill").Count);
        // Every kill hit a distinct operation, and that operation is the one the history marks as killed.
        Assert.Equal(kills.Count, kills.Select(k => k.OperationId).Distinct().Count());
        foreach (var kill in kills)
        {
            var hit = Assert.Single(history, e => e.Id == kill.OperationId);
            Assert.Equal(HistoryOutcome.Indeterminate, hit.Outcome);
            Assert.Equal("SIGKILL", hit.Error);
            Assert.Equal(kill.Agent, hit.Worker);
        }
        Assert.Equal(kills.Count, result.Errors.Single(e => e.Kind == "SIGKILL").Count);
        // The faults are lines of the history too, apart from the operations.
        var faultLines = history.Where(e => e.IsFault).ToList();
        Assert.Equal(kills.Count, faultLines.Count);
        Assert.All(faultLines, line => Assert.Equal("fault:kill", line.Function));
        Assert.Equal(result.Counts.Started, history.Count(e => !e.IsFault));
        Assert.Equal(kills.Count, result.History!.Faults);
        // Restarted agents go on: every agent ran all of its operations.
        Assert.Equal(18, result.Counts.Started);
        Assert.Equal(kills.Count, result.Windows!.Count);
        Assert.Equal("kill a random agent every 150ms", result.Config.Faults);
    }

    [Fact]
    public async Task An_agent_killed_without_restart_is_retired_and_starts_nothing_more()
    {
        var (result, _) = await Run(Sleepers("0.3", workers: 3, perWorker: 8)
            .WithAgentFaults(AgentFault.KillEvery(TimeSpan.FromMilliseconds(400)) with { Restart = false, Seed = 3, To = TimeSpan.FromSeconds(1) }));

        var faults = result.AgentFaults!;
        var retired = faults.Events.Where(e => e.Retired).Select(e => e.Agent).ToList();
        Assert.NotEmpty(retired);
        Assert.Equal(retired, result.Agents!.Retired);
        foreach (var agent in retired)
        {
            var row = result.Agents.Rows!.Single(r => r.Agent == agent);
            Assert.True(row.Started < 8, $"agent {agent} was retired but started {row.Started} operations");
            Assert.Equal(1, row.Crashed);
        }
        foreach (var row in result.Agents.Rows!.Where(r => !retired.Contains(r.Agent))) Assert.Equal(8, row.Started);
    }

    [Fact]
    public async Task A_paused_agent_is_resumed_and_its_operation_takes_the_pause_longer()
    {
        var (result, history) = await Run(Sleepers("0.05", workers: 2, perWorker: 10)
            .WithAgentFaults(AgentFault.PauseEvery(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)) with { Seed = 5 }));

        var pauses = result.AgentFaults!.Events.Where(e => e.Action == "pause").ToList();
        Assert.NotEmpty(pauses);
        Assert.Equal(0, result.Counts.Crashed + result.Counts.Failed);
        foreach (var pause in pauses)
        {
            Assert.True(pause.UntilSecond - pause.AtSecond >= 0.29, $"paused for only {pause.UntilSecond - pause.AtSecond:0.000}s");
            var hit = Assert.Single(history, e => e.Id == pause.OperationId);
            Assert.True(hit.CompleteMicros - hit.InvokeMicros >= 290_000, $"operation {hit.Id} took {hit.CompleteMicros - hit.InvokeMicros} us though paused for 300 ms");
        }
        var lines = history.Where(e => e.Function == "fault:pause").ToList();
        Assert.Equal(pauses.Count, lines.Count);
        Assert.All(lines, line => Assert.True(line.CompleteMicros - line.InvokeMicros >= 290_000));
    }

    [Fact]
    public async Task Interrupt_sends_SIGINT()
    {
        var (result, _) = await Run(Sleepers("0.3", workers: 2, perWorker: 3)
            .WithAgentFaults(AgentFault.InterruptEvery(TimeSpan.FromMilliseconds(150)) with { Seed = 2 }));

        var interrupts = result.AgentFaults!.Events.Count(e => e.Action == "interrupt");
        Assert.True(interrupts > 0);
        Assert.Equal(interrupts, result.Errors.Single(e => e.Kind == "SIGINT").Count);
    }

    [Fact]
    public async Task Faults_at_a_random_rate_are_delivered_only_inside_their_window()
    {
        var (result, _) = await Run(Sleepers("0.1", workers: 3, perWorker: 20)
            .WithAgentFaults(new AgentFault(AgentFaultAction.Kill) { Rate = 10, From = TimeSpan.FromMilliseconds(500), To = TimeSpan.FromMilliseconds(1200), Seed = 9 }));

        var events = result.AgentFaults!.Events;
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.InRange(e.AtSecond, 0.5, 1.25));
    }

    [Fact]
    public void Agent_faults_need_an_operation_that_runs_processes()
    {
        var scenario = Scenario.CreateSync("in-process", _ => { })
            .WithMaxIterations(10)
            .WithAgentFaults(AgentFault.KillEvery(TimeSpan.FromSeconds(1)), new AgentFault(AgentFaultAction.Pause) { Every = TimeSpan.FromSeconds(1), Rate = 2, Restart = false });

        var problems = scenario.Validate();
        Assert.Contains(problems, p => p.Path == "faults.agents" && p.Message.Contains("process operation", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "faults.agents[1]" && p.Message.Contains("both every and rate", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "faults.agents[1].restart");
    }

    [Fact]
    public async Task Agents_whose_program_does_not_exist_never_start_and_fail_the_scenario()
    {
        // Agents 0-2 run a program that exists; agent 3's does not.
        for (var i = 0; i < 3; i++) File.CreateSymbolicLink(Path.Combine(_folder, $"agent{i}"), "/bin/true");
        var operation = new ProcessOperation(ProcessOptions.Command(Path.Combine(_folder, "agent{worker}")));
        var result = await RunOne(new Scenario("spawn", operation).WithLoad(LoadProfile.IterationsPerWorker(4, 5)));

        var agents = Assert.IsType<AgentFigures>(result.Agents);
        Assert.Equal(4, agents.Launched);
        Assert.Equal(3, agents.Started);
        Assert.Equal(new[] { 3 }, agents.NeverStarted);
        Assert.Equal(5, agents.Rows!.Single(r => r.Agent == 3).SpawnFailures);
        Assert.Equal(Verdict.Failed, result.Verdict);
        var reason = Assert.Single(result.Reasons, r => r.Message.Contains("agents started", StringComparison.Ordinal)).Message;
        Assert.Contains("3 of 4 agents started", reason);
        Assert.Contains("agent 3 ", reason);
        Assert.Contains("spawn_ENOENT", reason);
    }

    [Fact]
    public async Task The_recovery_step_runs_after_the_last_operation_and_before_the_verifiers()
    {
        // One log of events in the order they happened: each operation's last act, the recovery step, the verifier.
        var order = new List<string>();
        var scenario = Scenario.CreateSync("ordered", context =>
            {
                context.Function = HistoryFunction.Write;
                context.Value = $"v{context.OperationId}";
                lock (order) order.Add("operation");
            })
            .WithMaxIterations(20)
            .WithRecovery(new RecoveryStep(_ =>
            {
                lock (order) order.Add("recover");
                return ValueTask.FromResult(Outcome.Failed("check_failed", "2 orphaned temp files"));
            }))
            .WithVerifiers(Verifier.Set(_ =>
            {
                lock (order) order.Add("verify");
                return Task.FromResult<IEnumerable<string>>([.. Enumerable.Range(1, 20).Select(i => $"v{i}")]);
            }));

        var result = await RunOne(scenario);

        Assert.Equal([.. Enumerable.Repeat("operation", 20), "recover", "verify"], order);
        var recovery = Assert.IsType<RecoveryResult>(result.Recovery);
        Assert.False(recovery.Ok);
        Assert.Equal("check_failed", recovery.Kind);
        // A failed recovery fails the scenario; the verifiers still ran and passed.
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Message.Contains("recovery step failed", StringComparison.Ordinal) && r.Message.Contains("2 orphaned temp files", StringComparison.Ordinal));
        Assert.True(Assert.Single(result.Verifications!).Passed);
    }

    [Fact]
    public async Task A_recovery_step_that_hangs_is_abandoned_at_its_timeout()
    {
        var scenario = Scenario.CreateSync("hanging-recovery", _ => { })
            .WithMaxIterations(3)
            .WithRecovery(new RecoveryStep(async _ =>
            {
                await Task.Delay(Timeout.Infinite, CancellationToken.None);   // ignores its token on purpose
                return Outcome.Ok;
            }) { Timeout = TimeSpan.FromMilliseconds(200) });

        var result = await RunOne(scenario);

        Assert.False(result.Recovery!.Ok);
        Assert.Equal(Outcome.TimedOutKind, result.Recovery.Kind);
        Assert.InRange(result.Recovery.Seconds, 0.2, 10);
    }
}
