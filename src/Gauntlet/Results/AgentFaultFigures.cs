namespace Gauntlet.Results;

/// <summary>
/// The faults injected into the agents' processes during a scenario (kill, interrupt, pause): how many of each were
/// delivered, how many found no agent process running, and each one with its time. Every delivered fault is in the
/// history too, as a line with <c>"f": "fault:kill"</c> (and so on) and id 0.
/// </summary>
public sealed record AgentFaultFigures
{
    /// <summary>Delivered faults per action (<c>kill</c>, <c>interrupt</c>, <c>pause</c>), in the order the scenario declares them.</summary>
    public IReadOnlyList<AgentFaultCount> Delivered { get; init; } = [];

    /// <summary>
    /// Scheduled faults that hit nothing: no agent process was running at their time, or the one chosen was not seen
    /// stopped (it was already exiting), so its group was resumed and nothing else was sent.
    /// </summary>
    public long Missed { get; init; }

    /// <summary>The delivered faults in time order; the first <see cref="MaxEvents"/> are kept (the history has all).</summary>
    public IReadOnlyList<InjectedFault> Events { get; init; } = [];

    /// <summary>Delivered faults per agent, all of them (the events are capped); for the agents' table, not written to the result.</summary>
    internal IReadOnlyDictionary<int, int> PerAgent { get; init; } = new Dictionary<int, int>();

    /// <summary>How many events a result keeps.</summary>
    public const int MaxEvents = 500;
}

/// <summary>How many faults of one action were delivered.</summary>
public sealed record AgentFaultCount(string Action, long Count);

/// <summary>One fault delivered to one agent's process group.</summary>
/// <param name="Action"><c>kill</c> (SIGKILL), <c>interrupt</c> (SIGINT) or <c>pause</c> (SIGSTOP, then SIGCONT).</param>
/// <param name="Agent">The agent (worker) whose process it hit.</param>
/// <param name="Pid">The process (and process group) signalled.</param>
/// <param name="OperationId">The operation that process was running.</param>
/// <param name="AtSecond">When it was delivered, in seconds from the scenario's start.</param>
/// <param name="UntilSecond">For a pause, when the process was resumed; otherwise equal to <paramref name="AtSecond"/>.</param>
/// <param name="Retired">True when the agent was retired with it (restart: false).</param>
public sealed record InjectedFault(string Action, int Agent, int Pid, long OperationId, double AtSecond, double UntilSecond, bool Retired);
