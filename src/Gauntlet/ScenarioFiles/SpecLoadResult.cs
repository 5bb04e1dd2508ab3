using Gauntlet.Scenarios;

namespace Gauntlet.ScenarioFiles;

/// <summary>
/// What loading a scenario file produced: its scenarios, ready for the run pipeline's <c>Runner.RunAsync(scenarios, searches)</c>,
/// or every problem found.
/// </summary>
/// <param name="Suite">What the file says about itself; null when the file could not be read or parsed as YAML.</param>
/// <param name="Scenarios">The scenarios in file order, each validated; empty whenever there is any error, so nothing half-read ever runs.</param>
/// <param name="Errors">Every problem, in line and column order; empty when the file is valid.</param>
public sealed record SpecLoadResult(SuiteSpec? Suite, IReadOnlyList<Scenario> Scenarios, IReadOnlyList<SpecError> Errors)
{
    /// <summary>
    /// The file's breaking-point searches: its scenarios with a <c>search:</c> key, in file order (they are not in
    /// <see cref="Scenarios"/>). Empty whenever there is any error.
    /// </summary>
    public IReadOnlyList<Gauntlet.Search.BreakingPointSearch> Searches { get; init; } = [];

    /// <summary>
    /// The files the scenario file named and read (request bodies, feeders), in the order they were read; empty
    /// whenever there is any error. Internal: what the CLI needs to ship a scenario with its files (gauntlet kubernetes).
    /// </summary>
    internal IReadOnlyList<SpecFileReference> Files { get; init; } = [];

    /// <summary>The file's <c>telemetry:</c>, where the run's live figures go; null when the file has none.</summary>
    public Pipeline.TelemetryOptions? Telemetry { get; init; }

    /// <summary>True when the file has no problem and <see cref="Scenarios"/> can be run.</summary>
    public bool Ok => Errors.Count == 0;
}
