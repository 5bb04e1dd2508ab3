using System.Text.Json.Serialization;

namespace Gauntlet.Results;

/// <summary>
/// The workers of a closed or iterations scenario seen one by one, as agents: how many started at all, what each
/// did, how long its operations took, and which were retired by an injected fault. So one agent doing all the work
/// cannot hide nine that did none, and a spawn that failed is an agent that never started, not a silent gap.
/// </summary>
public sealed record AgentFigures
{
    /// <summary>Agents that were launched: workers that began at least one operation.</summary>
    public int Launched { get; init; }

    /// <summary>Agents that reached their target: at least one operation that was not a failed spawn.</summary>
    public int Started { get; init; }

    /// <summary>Agents whose every operation failed to spawn; each is a reason the scenario fails.</summary>
    public IReadOnlyList<int> NeverStarted { get; init; } = [];

    /// <summary>Agents retired by an injected fault (killed without restart), in the order they were retired.</summary>
    public IReadOnlyList<int> Retired { get; init; } = [];

    /// <summary>Operations started per agent: the smallest, median and largest count over the launched agents.</summary>
    public required AgentSpread Operations { get; init; }

    /// <summary>
    /// p99 latency per agent, in microseconds: the smallest, median and largest over the agents, when the scenario
    /// recorded a history; null otherwise. A wide spread under a lock means some agents waited much longer than others.
    /// </summary>
    [JsonPropertyName("p99")] public AgentSpread? P99Micros { get; init; }

    /// <summary>One row per agent, in agent order; left out (null) above <see cref="MaxRows"/> agents, where the spreads say it.</summary>
    public IReadOnlyList<AgentRow>? Rows { get; init; }

    /// <summary>Above this many agents the result keeps the spreads only.</summary>
    public const int MaxRows = 256;
}

/// <summary>
/// The smallest, median and largest of one figure over the agents, with the agent that had the smallest and the
/// largest. The figure's unit is the one its owner names (<see cref="AgentFigures.Operations"/>: a count;
/// <see cref="AgentFigures.P99Micros"/>: microseconds).
/// </summary>
public sealed record AgentSpread(double Min, double Median, double Max, int MinAgent, int MaxAgent);

/// <summary>What one agent did.</summary>
/// <param name="Agent">The worker id, from 0.</param>
/// <param name="Started">Operations it began.</param>
/// <param name="Ok">Of those, ok.</param>
/// <param name="Failed">Failed (spawn failures included).</param>
/// <param name="TimedOut">Timed out.</param>
/// <param name="Crashed">Crashed (killed by a signal, injected or not).</param>
/// <param name="CutOff">Cut off at the end of the scenario.</param>
/// <param name="SpawnFailures">Failed operations whose process could not be started.</param>
/// <param name="Faults">Faults injected into this agent's processes.</param>
/// <param name="Latency">Its operations' latency, when the scenario recorded a history; null otherwise.</param>
public sealed record AgentRow(int Agent, long Started, long Ok, long Failed, long TimedOut, long Crashed, long CutOff, long SpawnFailures, int Faults, AgentLatency? Latency);

/// <summary>One agent's latency percentiles, read from the history.</summary>
/// <param name="Count">Operations with a latency.</param>
/// <param name="P50Micros">Median, in microseconds.</param>
/// <param name="P99Micros">99th percentile, in microseconds.</param>
/// <param name="MaxMicros">Largest, in microseconds.</param>
public sealed record AgentLatency(
    long Count,
    [property: JsonPropertyName("p50")] double P50Micros,
    [property: JsonPropertyName("p99")] double P99Micros,
    [property: JsonPropertyName("max")] double MaxMicros);
