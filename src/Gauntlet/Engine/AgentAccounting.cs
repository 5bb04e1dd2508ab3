using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Verification;
using HdrHistogram;

namespace Gauntlet.Engine;

/// <summary>
/// Sees the workers of a closed or iterations scenario one by one, as agents: counts from their slots (which every
/// worker keeps anyway), latency from the history when the scenario recorded one, faults from the chaos loop.
/// </summary>
internal static class AgentAccounting
{
    /// <summary>Per-agent histograms keep two significant digits: plenty to tell agents apart, at 1/8 of the memory.</summary>
    private const int AgentLatencyDigits = 2;

    /// <summary>True when the scenario's workers are agents worth seeing one by one.</summary>
    public static bool Applies(ScenarioRun run) => run.Scenario.Load is ClosedProfile or IterationsProfile && run.Slots.Length >= 2;

    /// <summary>The agents' figures; null when <see cref="Applies"/> is false.</summary>
    public static AgentFigures? Build(ScenarioRun run, AgentFaultFigures? faults, HistoryLog? history)
    {
        if (!Applies(run)) return null;
        var slots = run.Slots;
        var latency = history is not null && slots.Length <= AgentFigures.MaxRows ? ReadLatency(history, run.Segment, slots.Length) : null;
        var faultsPerAgent = faults?.PerAgent ?? new Dictionary<int, int>();
        var rows = new List<AgentRow>();
        var neverStarted = new List<int>();
        var started = 0;
        foreach (var slot in slots)
        {
            if (slot.Started == 0) continue;
            var spawnFailures = slot.SpawnFailures;
            var cutOff = slot.State == WorkerSlot.CutOff ? 1 : 0;
            if (spawnFailures == slot.Started - cutOff && spawnFailures > 0) neverStarted.Add(slot.GlobalId);
            else started++;
            rows.Add(new AgentRow(slot.GlobalId, slot.Started, slot.Ok, slot.Failed, slot.TimedOut, slot.Crashed, cutOff, spawnFailures,
                faultsPerAgent.GetValueOrDefault(slot.GlobalId), latency?[slot.Id] is { } h ? Summarize(h) : null));
        }
        if (rows.Count == 0) return null;
        return new AgentFigures
        {
            Launched = rows.Count,
            Started = started,
            NeverStarted = neverStarted,
            Retired = faults is null ? [] : [.. faults.Events.Where(e => e.Retired).Select(e => e.Agent)],
            Operations = Spread(rows, r => r.Started)!,
            P99Micros = latency is null ? null : Spread(rows.Where(r => r.Latency is { Count: > 0 }).ToList(), r => r.Latency!.P99Micros),
            Rows = rows.Count <= AgentFigures.MaxRows ? rows : null,
        };
    }

    /// <summary>Each agent's latency from the history, indexed by its slot (the history names agents by their global number).</summary>
    private static HistogramBase?[] ReadLatency(HistoryLog history, Segment segment, int agents)
    {
        var histograms = new HistogramBase?[agents];
        // Lines, not entries: only times and workers are needed, so no value string is made per operation.
        using var lines = new HistoryLines(history.Path, history.Scenario, history.StartOffset, names: false);
        while (lines.Read())
        {
            var entry = lines.Current;
            if (entry.IsFault || entry.Worker < 0 || !segment.Owns(entry.Worker) || segment.LocalOf(entry.Worker) >= agents) continue;
            var histogram = histograms[segment.LocalOf(entry.Worker)] ??= new LongHistogram(Histograms.LowestMicros, Histograms.HighestMicros, AgentLatencyDigits);
            histogram.RecordValue(Math.Clamp(entry.CompleteMicros - entry.InvokeMicros, Histograms.LowestMicros, Histograms.HighestMicros));
        }
        return histograms;
    }

    private static AgentLatency Summarize(HistogramBase histogram) => new(
        histogram.TotalCount,
        histogram.GetValueAtPercentile(50),
        histogram.GetValueAtPercentile(99),
        histogram.GetMaxValue());

    /// <summary>The smallest, median and largest of <paramref name="figure"/> over <paramref name="rows"/>, with their agents; null without rows.</summary>
    internal static AgentSpread? Spread(List<AgentRow> rows, Func<AgentRow, double> figure)
    {
        if (rows.Count == 0) return null;
        var sorted = rows.Select(r => (Value: figure(r), r.Agent)).OrderBy(x => x.Value).ThenBy(x => x.Agent).ToList();
        return new AgentSpread(sorted[0].Value, Statistics.Median(sorted.Select(x => x.Value).ToList()), sorted[^1].Value, sorted[0].Agent, sorted[^1].Agent);
    }

    /// <summary>Why the agents fail the scenario, in sentences; empty when every launched agent started.</summary>
    public static IEnumerable<VerdictReason> Reasons(AgentFigures agents, IReadOnlyList<ErrorKindCount> errors)
    {
        if (agents.NeverStarted.Count == 0) yield break;
        var spawn = errors.FirstOrDefault(e => e.Class == ErrorClass.NotStarted);
        var which = agents.NeverStarted.Count <= 10
            ? string.Join(", ", agents.NeverStarted)
            : string.Join(", ", agents.NeverStarted.Take(10)) + $" and {agents.NeverStarted.Count - 10} more";
        yield return new VerdictReason(ReasonCode.AgentsNotStarted, $"{agents.Started} of {agents.Launched} agents started: every operation of agent{(agents.NeverStarted.Count == 1 ? "" : "s")} {which} failed to start its process"
            + (spawn is null ? "" : $" ({spawn.Kind}" + (spawn.SampleMessage is { } sample ? $": {sample}" : "") + ")"));
    }
}
