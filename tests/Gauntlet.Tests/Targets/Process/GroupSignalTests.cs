using Gauntlet.Scenarios;
using Gauntlet.Targets.Process;
using Gauntlet.Native;

namespace Gauntlet.Tests.Targets.Process;

/// <summary>
/// A fault's signal lands only on a leader seen stopped: every other path (a zombie, a process gone, a leader that never
/// shows as stopped, such as one already inside exit()) resumes the group, sends nothing else and reports a miss.
/// The system and the clock are fakes, so each path is reached on purpose, not by racing a real child.
/// </summary>
public sealed class GroupSignalTests
{
    private const int Pid = 4242;

    [Fact]
    public void A_kill_lands_once_the_leader_is_seen_stopped()
    {
        var groups = new FakeGroups('S', 'S', 'T');
        var hit = 0;
        var sent = GroupSignal.Deliver(Pid, AgentSignal.Kill, () => { hit++; groups.Note("hitting"); }, groups, new SteppingClock());

        Assert.True(sent);
        Assert.Equal(1, hit);
        Assert.Equal(["STOP -4242", "hitting", "KILL -4242"], groups.Calls);
    }

    [Fact]
    public void An_interrupt_is_sent_while_stopped_and_the_group_resumed()
    {
        var groups = new FakeGroups('T');
        Assert.True(GroupSignal.Deliver(Pid, AgentSignal.Interrupt, null, groups, new SteppingClock()));
        Assert.Equal(["STOP -4242", "INT -4242", "CONT -4242"], groups.Calls);
    }

    [Theory]
    [InlineData('Z')]
    [InlineData('X')]
    public void A_zombie_leader_is_a_miss_and_the_group_is_resumed_not_killed(char state)
    {
        var groups = new FakeGroups(state);
        var hit = false;
        var sent = GroupSignal.Deliver(Pid, AgentSignal.Kill, () => hit = true, groups, new SteppingClock());

        Assert.False(sent);
        Assert.False(hit);
        Assert.Equal(["STOP -4242", "CONT -4242"], groups.Calls);
    }

    [Fact]
    public void A_leader_gone_before_it_stopped_is_a_miss()
    {
        var groups = new FakeGroups([null]);
        Assert.False(GroupSignal.Deliver(Pid, AgentSignal.Kill, null, groups, new SteppingClock()));
        Assert.Equal(["STOP -4242", "CONT -4242"], groups.Calls);
    }

    [Theory]
    [InlineData('R')]
    [InlineData('D')]
    public void A_leader_never_seen_stopped_is_a_miss_after_the_stop_wait_not_a_kill(char state)
    {
        // A leader inside exit() (R) or an uninterruptible wait (D) does not stop, yet kill() on its group would still
        // return 0: the old code sent SIGKILL after the wait and recorded a kill against an operation that succeeded.
        var groups = new FakeGroups(state);
        var clock = new SteppingClock();
        var hit = false;
        var sent = GroupSignal.Deliver(Pid, AgentSignal.Kill, () => hit = true, groups, clock);

        Assert.False(sent);
        Assert.False(hit);
        Assert.Equal(["STOP -4242", "CONT -4242"], groups.Calls);
        // It waited the whole stop wait, polling, before giving up: one step of the fake clock per poll.
        Assert.True(clock.Elapsed >= GroupSignal.StopWait, $"gave up after {clock.Elapsed}");
        Assert.Equal((int)(GroupSignal.StopWait / SteppingClock.Step), groups.StatePolls);
    }

    [Fact]
    public void A_group_that_cannot_be_stopped_is_a_miss_with_nothing_else_sent()
    {
        var groups = new FakeGroups('T') { StopFails = true };
        Assert.False(GroupSignal.Deliver(Pid, AgentSignal.Kill, null, groups, new SteppingClock()));
        Assert.Equal(["STOP -4242"], groups.Calls);
    }

    /// <summary>kill(2) recorded, and the leader's state read from a script whose last entry repeats.</summary>
    internal sealed class FakeGroups(params char?[] states) : IProcessGroups
    {
        private int _next;

        public List<string> Calls { get; } = [];
        public int StatePolls { get; private set; }
        public bool StopFails { get; init; }

        public void Note(string what) => Calls.Add(what);

        public int Kill(int pid, int signal)
        {
            var name = signal switch
            {
                Libc.SIGSTOP => "STOP",
                Libc.SIGCONT => "CONT",
                Libc.SIGKILL => "KILL",
                Libc.SIGINT => "INT",
                _ => signal.ToString(),
            };
            Calls.Add($"{name} {pid}");
            return signal == Libc.SIGSTOP && StopFails ? -1 : 0;
        }

        public char? State(int pid)
        {
            StatePolls++;
            return states[Math.Min(_next++, states.Length - 1)];
        }
    }

    /// <summary>A clock that moves <see cref="Step"/> each time it is read, so a wait for time ends after a known number of polls.</summary>
    internal sealed class SteppingClock : TimeProvider
    {
        public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

        private long _ticks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(_ticks - Step.Ticks);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp()
        {
            var now = _ticks;
            _ticks += Step.Ticks;
            return now;
        }
    }
}
