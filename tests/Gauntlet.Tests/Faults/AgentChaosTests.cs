using Gauntlet.Faults.Agents;
using Gauntlet.Metrics;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Process;
using Gauntlet.Tests.Targets.Process;
using Gauntlet.Verification;
using Gauntlet.Results;

namespace Gauntlet.Tests.Faults;

/// <summary>
/// The chaos loop records a fault only when its signal landed: a signal that missed (the leader already exiting) is
/// counted as missed, writes no history entry and retires no agent. Agents' processes are fakes that route through
/// <see cref="GroupSignal"/>, so the loop stops after a known number of attempts, never after a length of time.
/// </summary>
public sealed class AgentChaosTests
{
    [Theory]
    [InlineData('Z')]
    [InlineData('R')]
    public async Task A_kill_that_finds_no_stopped_leader_is_counted_missed_and_recorded_nowhere(char leader)
    {
        var run = await Chaos(attempts: 3, new GroupSignalTests.FakeGroups(leader));

        Assert.Equal(3, run.Figures.Missed);
        Assert.Equal(0, Assert.Single(run.Figures.Delivered).Count);
        Assert.Empty(run.Figures.Events);
        Assert.Empty(run.History);
        Assert.Empty(run.Retired);
        Assert.DoesNotContain(run.Groups.Calls, c => c.StartsWith("KILL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_kill_that_lands_is_recorded_against_its_operation()
    {
        var run = await Chaos(attempts: 2, new GroupSignalTests.FakeGroups('T'));

        Assert.Equal(0, run.Figures.Missed);
        Assert.Equal(2, Assert.Single(run.Figures.Delivered).Count);
        Assert.Equal(2, run.Figures.Events.Count);
        Assert.All(run.Figures.Events, e => Assert.Equal(FakeAgents.OperationId, e.OperationId));
        Assert.Equal(2, run.History.Count);
        Assert.Equal([FakeAgents.Agent, FakeAgents.Agent], run.Retired);
    }

    private sealed record ChaosRun(Gauntlet.Results.AgentFaultFigures Figures, List<HistoryEntry> History, List<int> Retired, GroupSignalTests.FakeGroups Groups);

    private static async Task<ChaosRun> Chaos(int attempts, GroupSignalTests.FakeGroups groups)
    {
        using var stop = new CancellationTokenSource();
        var agents = new FakeAgents(groups, attempts, stop);
        var history = new List<HistoryEntry>();
        var retired = new List<int>();
        // No restart, so a kill that lands retires its agent: that, too, must happen only for a real kill.
        var fault = AgentFault.KillEvery(TimeSpan.FromMilliseconds(1)) with { Restart = false };
        var options = new AgentChaos.Options(Clock.Now, ScenarioClock.System, retired.Add, history.Add);
        var figures = await AgentChaos.RunAsync([fault], agents, options, stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        return new ChaosRun(figures, history, retired, groups);
    }

    /// <summary>
    /// One agent, running a fresh process (a new pid) at each look, as a restarted agent does: the loop never aims twice
    /// at a pid it signalled. The signal goes through <see cref="GroupSignal"/> to fake groups.
    /// </summary>
    private sealed class FakeAgents(GroupSignalTests.FakeGroups groups, int attempts, CancellationTokenSource stop) : IAgentProcesses
    {
        public const int Agent = 3;
        public const long OperationId = 17;
        private int _attempts;

        public void CopyRunning(List<AgentProcess> running) => running.Add(new AgentProcess(Agent, 5000 + _attempts, OperationId));

        public bool TrySignal(AgentProcess process, AgentSignal signal, Action? hitting = null)
        {
            var sent = GroupSignal.Deliver(process.Pid, signal, hitting, groups, new GroupSignalTests.SteppingClock());
            // The loop ends after a known number of attempts, whatever the time.
            if (++_attempts == attempts) stop.Cancel();
            return sent;
        }
    }
}
