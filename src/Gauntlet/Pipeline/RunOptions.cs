using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Search;

namespace Gauntlet.Pipeline;

/// <summary>Options for a run that are not part of any scenario: where its reports go, what it is judged against, and who watches it.</summary>
public sealed record RunOptions
{
    /// <summary>Called once a second from the collector thread; keep it quick.</summary>
    public Action<ScenarioProgress>? OnProgress { get; init; }

    /// <summary>The environment to record; null reads the current machine.</summary>
    public EnvironmentInfo? Environment { get; init; }

    /// <summary>
    /// The results folder. When set, the run writes <c>result.json</c>, <c>report.md</c> and <c>report.html</c> there
    /// (and <c>junit.xml</c> with <see cref="JUnit"/>, <c>comparison.md</c> with <see cref="Baseline"/>), and scenarios
    /// with a history stream it to <c>history.jsonl</c> there. Null: nothing is written, and a history goes to a
    /// temporary file that is deleted once verified.
    /// </summary>
    public string? ResultsDirectory { get; init; }

    /// <summary>Also write <c>junit.xml</c> (one test case per scenario) into <see cref="ResultsDirectory"/>.</summary>
    public bool JUnit { get; init; }

    /// <summary>An earlier result to judge this run against: a regression beyond noise fails the run (<see cref="RunResult.Baseline"/>).</summary>
    public BaselineOptions? Baseline { get; init; }

    /// <summary>Called as a breaking-point search starts; keep it quick.</summary>
    public Action<BreakingPointSearch>? OnSearchStarting { get; init; }

    /// <summary>Called after each probe of a breaking-point search; keep it quick.</summary>
    public Action<BreakingPointSearch, SearchProbe>? OnSearchProbe { get; init; }

    /// <summary>
    /// The clock the run's scenarios follow: durations, deadlines, warm-up, operation timeouts, the per-second
    /// timeline, monitor samples, agent faults and fault windows; default <see cref="TimeProvider.System"/>. With a
    /// FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing) a test advances scenario time itself, so a 30 s
    /// scenario takes as long as its operations do. Latencies are measured on this clock too.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// A shared start instant for the segments of a split run (<c>--start-at</c>): the run waits for it (on
    /// <see cref="TimeProvider"/>) before its first scenario, so segments on different machines begin together; the
    /// result's <see cref="RunResult.Segment"/> says how late this one began. An instant already past starts at once
    /// (the lateness is reported); one more than <see cref="MaxStartWait"/> ahead is refused. Null: start at once.
    /// </summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>
    /// Where the live figures go while the run lasts (OTLP, a Prometheus endpoint); null or not enabled: nowhere but
    /// the meter <see cref="Engine.GauntletMeter.Name"/>, which any listener of this process may read. Needs the
    /// package Gauntlet.Telemetry.
    /// </summary>
    public TelemetryOptions? Telemetry { get; init; }

    /// <summary>The furthest ahead <see cref="StartAt"/> may be: a day (an instant beyond it is a mistake, not a plan).</summary>
    public static readonly TimeSpan MaxStartWait = TimeSpan.FromDays(1);

    internal EngineOptions ForEngine() => new() { OnProgress = OnProgress, Environment = Environment, TimeProvider = TimeProvider };
}

/// <summary>An earlier result to compare a run with.</summary>
/// <param name="Result">The earlier result.</param>
/// <param name="Path">How to name it in the report (its file's path).</param>
/// <param name="Options">Tolerance and significance of the comparison; null: the defaults.</param>
public sealed record BaselineOptions(RunResult Result, string Path, CompareOptions? Options = null);
