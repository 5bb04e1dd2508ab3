
namespace Gauntlet.Scenarios;

/// <summary>What an injected fault does to an agent's process group.</summary>
public enum AgentFaultAction
{
    /// <summary>SIGKILL: the agent dies mid-operation, with no chance to clean up.</summary>
    Kill,

    /// <summary>SIGINT: what Ctrl-C does; the agent may clean up or die.</summary>
    Interrupt,

    /// <summary>SIGSTOP, then SIGCONT after <see cref="AgentFault.PauseFor"/>: the agent freezes, holding whatever it holds.</summary>
    Pause,
}

/// <summary>
/// Chaos for agents: during the scenario, signal a random agent's running process group on a schedule, either
/// <see cref="Every"/> fixed interval or at random at <see cref="Rate"/> per second (a Poisson process), between
/// <see cref="From"/> and <see cref="To"/>. An agent whose process is killed or interrupted goes on with its next
/// operation (it restarts), unless <see cref="Restart"/> is false: then it is retired and starts nothing more. Each
/// delivered fault is recorded in the history and the result; the operation it hit ends as crashed (or timed out),
/// which the history records as indeterminate.
/// </summary>
public sealed record AgentFault(AgentFaultAction Action)
{
    /// <summary>One fault every this long, the first one this long after <see cref="From"/>.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>Faults per second on average, at random moments (exponential gaps); instead of <see cref="Every"/>.</summary>
    public double? Rate { get; init; }

    /// <summary>For <see cref="AgentFaultAction.Pause"/>: how long the agent stays stopped. Default 500 ms.</summary>
    public TimeSpan PauseFor { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>False: an agent killed or interrupted is retired and starts no more operations. Default true.</summary>
    public bool Restart { get; init; } = true;

    /// <summary>No fault before this time from the scenario's start. Default: from the start.</summary>
    public TimeSpan From { get; init; }

    /// <summary>No fault after this time from the scenario's start; null: until issuing stops.</summary>
    public TimeSpan? To { get; init; }

    /// <summary>Seed for the choice of agent (and the random moments), for a reproducible schedule; null: a random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Kills a random agent's process every <paramref name="every"/>.</summary>
    public static AgentFault KillEvery(TimeSpan every) => new(AgentFaultAction.Kill) { Every = every };

    /// <summary>Interrupts a random agent's process every <paramref name="every"/>.</summary>
    public static AgentFault InterruptEvery(TimeSpan every) => new(AgentFaultAction.Interrupt) { Every = every };

    /// <summary>Pauses a random agent's process for <paramref name="pauseFor"/> every <paramref name="every"/>.</summary>
    public static AgentFault PauseEvery(TimeSpan every, TimeSpan pauseFor) => new(AgentFaultAction.Pause) { Every = every, PauseFor = pauseFor };

    /// <summary>The action's name in YAML, reports and the history: <c>kill</c>, <c>interrupt</c>, <c>pause</c>.</summary>
    public string ActionName => Name(Action);

    /// <summary>The name of <paramref name="action"/>.</summary>
    public static string Name(AgentFaultAction action) => action switch
    {
        AgentFaultAction.Kill => "kill",
        AgentFaultAction.Interrupt => "interrupt",
        AgentFaultAction.Pause => "pause",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown fault action"),
    };

    /// <summary>One line for reports: <c>kill a random agent every 500ms (no restart)</c>.</summary>
    public string Describe()
    {
        var what = Action switch
        {
            AgentFaultAction.Kill => "kill a random agent",
            AgentFaultAction.Interrupt => "interrupt a random agent",
            _ => $"pause a random agent for {Format.Duration(PauseFor)}",
        };
        var when = Every is { } every ? $"every {Format.Duration(every)}" : $"{Rate:0.###}/s at random";
        var window = From > TimeSpan.Zero || To is not null
            ? $" from {Format.Duration(From)}" + (To is { } to ? $" to {Format.Duration(to)}" : "")
            : "";
        var restart = Action != AgentFaultAction.Pause && !Restart ? " (no restart)" : "";
        return $"{what} {when}{window}{restart}";
    }

    internal void Validate(ProblemList problems)
    {
        if (!Enum.IsDefined(Action)) problems.Add("action", $"{(int)Action} is not a fault action; use kill, interrupt or pause");
        if (Every is null && Rate is null) problems.Add("says when faults happen with neither every nor rate; give one, such as every: 2s or rate: 0.5/s");
        if (Every is not null && Rate is not null) problems.Add("gives both every and rate; keep one");
        problems.Positive("every", Every);
        if (Rate is { } rate && !(rate > 0 && double.IsFinite(rate))) problems.Add("rate", $"must be a positive rate, such as 0.5/s; found {rate}");
        if (Action == AgentFaultAction.Pause) problems.Positive("pauseFor", PauseFor);
        if (From < TimeSpan.Zero) problems.Add("from", "must not be negative");
        if (To is { } to && to <= From) problems.Add("to", $"is {Format.Duration(to)}, not after from ({Format.Duration(From)})");
        if (Action == AgentFaultAction.Pause && !Restart) problems.Add("restart", "does not apply to pause: a paused agent is always resumed");
    }
}
