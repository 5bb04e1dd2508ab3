namespace Gauntlet.Results;

/// <summary>
/// When a scenario's per-second figures (the mean, deviation, cv, min and max of <see cref="ThroughputStats"/>, the
/// drift) mean something, and the sentence every report and threshold gives when they do not: a 0.3 s run has no whole
/// second to take them over, and a report that printed <c>cv 0%</c> for it would claim a perfectly steady rate.
/// </summary>
internal static class PerSecondFigures
{
    /// <summary>Fewest whole seconds of issuing the per-second mean, deviation, cv, min and max are taken over.</summary>
    public const int MinSeconds = 2;

    /// <summary>True when the scenario's per-second statistics rest on at least <see cref="MinSeconds"/> whole seconds.</summary>
    public static bool Available(ScenarioResult scenario) => scenario.Throughput.Seconds >= MinSeconds;

    /// <summary>
    /// Why the per-second statistics are not available (<c>needs at least 2 whole seconds of issuing; the scenario
    /// issued for 0.3s</c>), or null when they are.
    /// </summary>
    public static string? WhyNotAvailable(ScenarioResult scenario) => Available(scenario) ? null : Needs(MinSeconds, scenario);

    /// <summary>The sentence for a figure that needs <paramref name="seconds"/> whole seconds of issuing and did not get them.</summary>
    public static string Needs(int seconds, ScenarioResult scenario)
    {
        var whole = scenario.Throughput.Seconds;
        var text = $"needs at least {seconds} whole seconds of issuing; the scenario issued for {Format.Number(scenario.IssuingSeconds)}s";
        // The whole seconds can be fewer than the issuing time suggests (the first and last seconds are partial).
        return scenario.IssuingSeconds >= 1 ? text + $" ({whole} whole {(whole == 1 ? "second" : "seconds")})" : text;
    }
}
