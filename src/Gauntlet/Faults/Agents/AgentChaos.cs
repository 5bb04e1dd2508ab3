using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Verification;

namespace Gauntlet.Faults.Agents;

/// <summary>
/// Delivers a scenario's <see cref="AgentFault"/>s while it issues operations: one loop on its own task picks the next
/// fault due, chooses a random agent with a process running, and signals that process group. Paused agents are
/// always resumed: on schedule, and all at once when issuing stops, so a pause can never outlast the scenario.
/// </summary>
internal sealed class AgentChaos
{
    /// <summary>How long the loop sleeps at most before looking again, so it notices the end promptly.</summary>
    private static readonly TimeSpan MaxNap = TimeSpan.FromMilliseconds(50);

    private readonly IReadOnlyList<AgentFault> _faults;
    private readonly IAgentProcesses _processes;
    private readonly Options _options;
    private readonly Random[] _random;
    private readonly long[] _next;
    private readonly long[] _delivered;
    private readonly List<Paused> _paused = [];
    private readonly List<InjectedFault> _events = [];
    private readonly Dictionary<int, int> _perAgent = [];
    private readonly List<int> _retired = [];
    private readonly List<AgentProcess> _running = [];

    /// <summary>Processes killed or interrupted and not yet gone from the running list: a dying process is not hit twice.</summary>
    private readonly HashSet<int> _signalled = [];
    private long _missed;

    /// <summary>What the engine gives the chaos loop.</summary>
    /// <param name="StartTicks">The scenario's start, in clock ticks.</param>
    /// <param name="Time">The scenario's clock: faults are due, and pauses end, on it.</param>
    /// <param name="Retire">Retires an agent: it starts no more operations.</param>
    /// <param name="Record">Writes a fault to the history; null when the scenario records none.</param>
    /// <param name="Injected">Counts one fault injected, for the live meter; null when nothing listens.</param>
    internal sealed record Options(long StartTicks, ScenarioClock Time, Action<int> Retire, Action<HistoryEntry>? Record, Action? Injected = null);

    private readonly record struct Paused(AgentProcess Process, long AtTicks, long ResumeTicks, int EventIndex);

    private AgentChaos(IReadOnlyList<AgentFault> faults, IAgentProcesses processes, Options options)
    {
        _faults = faults;
        _processes = processes;
        _options = options;
        _random = [.. faults.Select(f => f.Seed is { } seed ? new Random(seed) : new Random())];
        _next = new long[faults.Count];
        _delivered = new long[faults.Count];
        for (var i = 0; i < faults.Count; i++) _next[i] = FirstDue(i);
    }

    /// <summary>Starts delivering <paramref name="faults"/> until <paramref name="stop"/> is cancelled; await the task for the figures.</summary>
    public static Task<AgentFaultFigures> RunAsync(IReadOnlyList<AgentFault> faults, IAgentProcesses processes, Options options, CancellationToken stop)
    {
        var chaos = new AgentChaos(faults, processes, options);
        return Task.Factory.StartNew(() => chaos.Loop(stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private AgentFaultFigures Loop(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var now = _options.Time.Now;
                ResumeDue(now);
                for (var i = 0; i < _faults.Count; i++)
                {
                    if (_next[i] > now) continue;
                    Deliver(i, now);
                    _next[i] = NextDue(i, _next[i]);
                }
                var wake = _next.Length == 0 ? long.MaxValue : _next.Min();
                foreach (var paused in _paused) wake = Math.Min(wake, paused.ResumeTicks);
                var nap = wake == long.MaxValue ? MaxNap : TimeSpan.FromTicks(Math.Clamp(Clock.ToTimeSpan(wake - _options.Time.Now).Ticks, 0, MaxNap.Ticks));
                if (nap > TimeSpan.Zero) _options.Time.Sleep(nap, stop.WaitHandle);
            }
        }
        finally
        {
            // Whatever ends the loop, nothing stays stopped.
            ResumeDue(long.MaxValue);
        }
        return Figures();
    }

    private void Deliver(int index, long now)
    {
        var fault = _faults[index];
        _running.Clear();
        _processes.CopyRunning(_running);
        _signalled.IntersectWith(_running.Select(p => p.Pid));
        _running.RemoveAll(p => _signalled.Contains(p.Pid));
        // A paused agent is not paused or interrupted (which would resume it early); it may still be killed.
        if (fault.Action != AgentFaultAction.Kill) _running.RemoveAll(p => _paused.Any(q => q.Process.Pid == p.Pid));
        if (_running.Count == 0)
        {
            _missed++;
            return;
        }
        var target = _running[_random[index].Next(_running.Count)];
        var retire = fault.Action != AgentFaultAction.Pause && !fault.Restart;
        var signal = fault.Action switch
        {
            AgentFaultAction.Kill => AgentSignal.Kill,
            AgentFaultAction.Interrupt => AgentSignal.Interrupt,
            _ => AgentSignal.Stop,
        };
        // Retired once its process is held alive and before the signal lands, so the agent's loop sees it when the
        // killed operation returns, and an agent whose process had already ended is not retired for nothing.
        if (!_processes.TrySignal(target, signal, retire ? () => _options.Retire(target.Agent) : null))
        {
            _missed++;
            return;
        }
        if (fault.Action != AgentFaultAction.Pause) _signalled.Add(target.Pid);
        _delivered[index]++;
        _perAgent[target.Agent] = _perAgent.GetValueOrDefault(target.Agent) + 1;
        if (retire) _retired.Add(target.Agent);
        var at = Seconds(now);
        var eventIndex = AddEvent(new InjectedFault(fault.ActionName, target.Agent, target.Pid, target.OperationId, at, at, retire));
        _options.Injected?.Invoke();
        if (fault.Action == AgentFaultAction.Pause)
            _paused.Add(new Paused(target, now, now + Clock.FromTimeSpan(fault.PauseFor), eventIndex));
        else
            _options.Record?.Invoke(HistoryEntry.Fault(target.Agent, fault.ActionName, Describe(target, retire), Micros(now), Micros(now)));
    }

    private void ResumeDue(long now)
    {
        for (var i = _paused.Count - 1; i >= 0; i--)
        {
            var paused = _paused[i];
            if (paused.ResumeTicks > now) continue;
            _processes.TrySignal(paused.Process, AgentSignal.Continue);
            var resumed = _options.Time.Now;
            if (paused.EventIndex >= 0) _events[paused.EventIndex] = _events[paused.EventIndex] with { UntilSecond = Seconds(resumed) };
            _options.Record?.Invoke(HistoryEntry.Fault(paused.Process.Agent, AgentFault.Name(AgentFaultAction.Pause), Describe(paused.Process, false), Micros(paused.AtTicks), Micros(resumed)));
            _paused.RemoveAt(i);
        }
    }

    private int AddEvent(InjectedFault fault)
    {
        if (_events.Count >= AgentFaultFigures.MaxEvents) return -1;
        _events.Add(fault);
        return _events.Count - 1;
    }

    private AgentFaultFigures Figures() => new()
    {
        // One count per action, in the order the scenario first declares it (GroupBy keeps that order).
        Delivered = [.. Enumerable.Range(0, _faults.Count).GroupBy(i => _faults[i].ActionName).Select(g => new AgentFaultCount(g.Key, g.Sum(i => _delivered[i])))],
        Missed = _missed,
        Events = [.. _events],
        PerAgent = new Dictionary<int, int>(_perAgent),
    };

    private static string Describe(AgentProcess process, bool retired) =>
        $"pid {process.Pid}, operation {process.OperationId}" + (retired ? ", agent retired" : "");

    private long FirstDue(int index)
    {
        var fault = _faults[index];
        var from = _options.StartTicks + Clock.FromTimeSpan(fault.From);
        var first = fault.Every is { } every ? from + Clock.FromTimeSpan(every) : from + RandomGap(index);
        return AfterWindow(fault, first) ? long.MaxValue : first;
    }

    private long NextDue(int index, long previous)
    {
        var fault = _faults[index];
        var next = fault.Every is { } every ? previous + Clock.FromTimeSpan(every) : previous + RandomGap(index);
        return AfterWindow(fault, next) ? long.MaxValue : next;
    }

    private bool AfterWindow(AgentFault fault, long ticks) => fault.To is { } to && ticks > _options.StartTicks + Clock.FromTimeSpan(to);

    /// <summary>An exponential gap for a Poisson process at the fault's rate.</summary>
    private long RandomGap(int index)
    {
        var seconds = -Math.Log(1 - _random[index].NextDouble()) / _faults[index].Rate!.Value;
        return Clock.FromTimeSpan(TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds)));
    }

    private double Seconds(long ticks) => Math.Round(Clock.ToSeconds(ticks - _options.StartTicks), 6);

    private long Micros(long ticks) => Clock.ToMicros(ticks - _options.StartTicks);
}
