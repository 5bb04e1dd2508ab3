using Gauntlet.Results;

namespace Gauntlet.Cli.Reports;

/// <summary>
/// One scenario's progress for a live display, as plain values so a display does not depend on the engine.
/// </summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="ElapsedSeconds">Seconds since the scenario started.</param>
/// <param name="Started">Operations started so far.</param>
/// <param name="Ok">Operations ok so far.</param>
/// <param name="Errors">Operations failed, timed out or crashed so far.</param>
/// <param name="Dropped">Open model: arrivals dropped so far.</param>
/// <param name="RatePerSecond">Completions in the last second, per second.</param>
/// <param name="P99Micros">99th percentile latency of the last second, in microseconds.</param>
/// <param name="InFlight">Operations in flight now.</param>
/// <param name="Verdict">The verdict once the scenario has ended; null while it runs.</param>
internal sealed record ScenarioProgressRow(
    string Scenario, double ElapsedSeconds, long Started, long Ok, long Errors, long Dropped,
    double RatePerSecond, double P99Micros, long InFlight, Verdict? Verdict = null);
