using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// The words every report uses for agents, the faults injected into them and the recovery step, so the terminal,
/// Markdown and HTML reports say the same thing. Reads RunResult records only.
/// </summary>
internal static class AgentText
{
    /// <summary>Above this many agents the reports show the spreads and leave the per-agent table to result.json.</summary>
    public const int MaxTableRows = 64;

    /// <summary>The per-agent table's headers; <c>&gt;</c> marks a right-aligned column.</summary>
    public static readonly string[] Headers = ["agent", ">started", ">ok", ">failed", ">timed out", ">crashed", ">cut off", ">not spawned", ">faults", ">p50", ">p99", ">max"];

    /// <summary><c>10 of 10 started; operations per agent min 48 (agent 3), median 50, max 50 (agent 0)</c>.</summary>
    public static string Summary(AgentFigures agents)
    {
        var text = $"{agents.Started} of {agents.Launched} started";
        if (agents.NeverStarted.Count > 0) text += $" ({agents.NeverStarted.Count} never started a process)";
        var ops = agents.Operations;
        text += $"; operations per agent min {Figures.Count((long)ops.Min)} (agent {ops.MinAgent}), median {Figures.Count((long)ops.Median)}, max {Figures.Count((long)ops.Max)} (agent {ops.MaxAgent})";
        if (agents.P99Micros is { } p99)
            text += $"; p99 per agent from {Format.Micros(p99.Min)} (agent {p99.MinAgent}) to {Format.Micros(p99.Max)} (agent {p99.MaxAgent})";
        if (agents.Retired.Count > 0) text += $"; retired by faults: agent{(agents.Retired.Count == 1 ? "" : "s")} {string.Join(", ", agents.Retired)}";
        return text;
    }

    /// <summary>
    /// What a wide latency spread between agents means, in one sentence; null when the agents look alike. A lock
    /// serialises its holders: the slowest agent's p99 several times the fastest's, or far above the median, is waiting.
    /// </summary>
    public static string? Contention(AgentFigures agents)
    {
        if (agents.P99Micros is not { Min: > 0 } p99 || agents.Started < 2) return null;
        var ratio = p99.Max / p99.Min;
        return ratio < ContentionRatio ? null
            : $"agents waited unevenly: agent {p99.MaxAgent}'s p99 is {ratio:0.#}x agent {p99.MinAgent}'s; with a shared lock or queue in the target, that gap is time spent waiting, not working";
    }

    /// <summary>Above this ratio of the slowest to the fastest agent's p99 the reports point at waiting.</summary>
    public const double ContentionRatio = 3;

    /// <summary>One row of the per-agent table, formatted.</summary>
    public static string[] Cells(AgentRow row) =>
    [
        row.Agent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Figures.Count(row.Started), Figures.Count(row.Ok), Figures.Count(row.Failed), Figures.Count(row.TimedOut),
        Figures.Count(row.Crashed), Figures.Count(row.CutOff), Figures.Count(row.SpawnFailures), Figures.Count(row.Faults),
        row.Latency is { } l ? Format.Micros(l.P50Micros) : Figures.NotAvailable,
        row.Latency is { } p ? Format.Micros(p.P99Micros) : Figures.NotAvailable,
        row.Latency is { } m ? Format.Micros(m.MaxMicros) : Figures.NotAvailable,
    ];

    /// <summary><c>kill ×12, pause ×4; 1 found no agent process running</c>.</summary>
    public static string Faults(AgentFaultFigures faults)
    {
        var delivered = faults.Delivered.Count == 0 ? "none delivered" : string.Join(", ", faults.Delivered.Select(d => $"{d.Action} ×{Figures.Count(d.Count)}"));
        return faults.Missed == 0 ? delivered : $"{delivered}; {Figures.Count(faults.Missed)} found no agent process running";
    }

    /// <summary>One injected fault: <c>1.234s kill agent 3 (pid 4242, operation 17)</c>.</summary>
    public static string Event(InjectedFault e) =>
        $"{e.AtSecond:0.000}s {e.Action} agent {e.Agent} (pid {e.Pid}, operation {e.OperationId})"
        + (e.UntilSecond > e.AtSecond ? $" until {e.UntilSecond:0.000}s" : "")
        + (e.Retired ? ", retired" : "");

    /// <summary><c>ok in 0.31s: sh store.sh check</c>, or the failure.</summary>
    public static string Recovery(RecoveryResult recovery) =>
        (recovery.Ok ? $"ok in {Figures.Seconds(recovery.Seconds)}" : $"FAILED ({recovery.Kind}) after {Figures.Seconds(recovery.Seconds)}: {recovery.Message}")
        + (recovery.Step is { } step ? $" [{step}]" : "");
}
