
namespace Gauntlet.Scenarios;

/// <summary>
/// The faults a scenario injects, in the scenario's own time. Into the network: a fault proxy is started in front of
/// the target for the run when <see cref="Proxy"/> or <see cref="Schedule"/> is set, and the operation is sent
/// through it (the operation must implement <see cref="IRedirectableTarget"/>, as the TCP and HTTP operations do).
/// Into the agents: <see cref="Agents"/> kill, interrupt or pause random agents' processes (process operations).
/// </summary>
public sealed record FaultOptions
{
    /// <summary>
    /// Faults the proxy injects for the whole run (or in their own <see cref="FaultProxyOptions.From"/> to
    /// <see cref="FaultProxyOptions.Until"/> window), and its <see cref="FaultProxyOptions.Seed"/>. An empty
    /// <c>new FaultProxyOptions()</c> starts a proxy that only forwards. Null: only the <see cref="Schedule"/>.
    /// </summary>
    public FaultProxyOptions? Proxy { get; init; }

    /// <summary>
    /// Fault windows, each in force from its <see cref="FaultProxyOptions.From"/> to its
    /// <see cref="FaultProxyOptions.Until"/> (seconds into the scenario), e.g. latency 200 ms from 10 s to 20 s.
    /// Overlapping windows combine (see the fault schedule); each is marked on the report's timeline.
    /// </summary>
    public IReadOnlyList<FaultProxyOptions> Schedule { get; init; } = [];

    /// <summary>Faults injected into the agents' processes (kill, interrupt, pause a random agent on a schedule).</summary>
    public IReadOnlyList<AgentFault> Agents { get; init; } = [];

    /// <summary>True when the scenario runs through a fault proxy.</summary>
    public bool UsesProxy => Proxy is not null || Schedule.Count > 0;

    /// <summary>Every problem, each with its path (<c>proxy.latency</c>, <c>schedule[1].until</c>).</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        Validate(problems);
        return problems.All;
    }

    internal void Validate(ProblemList problems)
    {
        if (Proxy is not null)
        {
            foreach (var problem in Proxy.Validate()) problems.At("proxy").Add(problem.Path, problem.Message);
        }
        if (Agents is null) problems.Add("agents", "is required (an empty list for none)");
        for (var i = 0; i < (Agents?.Count ?? 0); i++)
        {
            if (Agents![i] is not { } fault) problems.At("agents").Add($"[{i}]", "is null");
            else fault.Validate(problems.At("agents").At($"[{i}]"));
        }
        if (Schedule is null)
        {
            problems.Add("schedule", "is required (an empty list for none)");
            return;
        }
        for (var i = 0; i < Schedule.Count; i++)
        {
            var at = problems.At($"schedule[{i}]");
            if (Schedule[i] is not { } window)
            {
                at.Add("is null");
                continue;
            }
            foreach (var problem in window.Validate()) at.Add(problem.Path, problem.Message);
            if (window.Seed is not null) at.Add("seed", "belongs to the proxy (faults.proxy.seed), which draws for every window");
            if (window.IsTransparent) at.Add("names no fault; give one of latency, jitter, bandwidth, resetAfter, resetRate, blackhole, refuse or slowClose");
        }
    }

    /// <summary>One line per fault: <c>latency 200ms (both ways) from 10s until 20s; refuse 50% from 25s</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Proxy is not null) parts.Add(Proxy.IsTransparent ? "a proxy that only forwards" : Proxy.Describe());
        foreach (var window in Schedule ?? []) parts.Add(window.Describe());
        foreach (var fault in Agents ?? []) parts.Add(fault.Describe());
        return string.Join("; ", parts);
    }
}
