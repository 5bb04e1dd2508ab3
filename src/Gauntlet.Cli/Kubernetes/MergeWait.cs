using Gauntlet.Scenarios;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// How long the merge job waits for every segment's result when <c>--merge-timeout</c> does not say: the start delay,
/// the scenarios' own bounds one after another (warm-up, duration, grace), a tenth more for what a run does besides
/// (set-up, verifiers, reports), and time for the pods to be scheduled and their image pulled; whole minutes.
/// </summary>
internal static class MergeWait
{
    /// <summary>Time for the pods to be scheduled and the image pulled before a segment can start.</summary>
    public static readonly TimeSpan StartMargin = TimeSpan.FromMinutes(5);

    /// <summary>What a run takes beyond its bounds, as a share of them.</summary>
    public const double RunMargin = 0.1;

    /// <summary>The wait, or null with <paramref name="problem"/> naming a scenario whose run time its bounds do not give.</summary>
    public static TimeSpan? Derive(IReadOnlyList<Scenario> scenarios, TimeSpan startDelay, out string? problem)
    {
        problem = null;
        var run = TimeSpan.Zero;
        foreach (var scenario in scenarios)
        {
            if (RunTime(scenario) is not { } time)
            {
                problem = $"scenario '{scenario.Name}' stops after a number of operations, not a time, so how long the merge job should wait for "
                    + "the segments cannot be worked out; give --merge-timeout (such as 30m), or a duration or deadline in the scenario";
                return null;
            }
            run += time;
        }
        return WholeMinutes(startDelay + run + run * RunMargin + StartMargin);
    }

    /// <summary>
    /// Warm-up, then issuing (the duration, else the load profile's own) and the grace period, cut at the deadline;
    /// null when neither bounds it.
    /// </summary>
    private static TimeSpan? RunTime(Scenario scenario)
    {
        var bounds = scenario.Bounds;
        TimeSpan? run = (bounds.Duration ?? scenario.Load.NaturalDuration) is { } issuing ? issuing + bounds.GracePeriod : null;
        if (bounds.Deadline is { } deadline && (run is null || deadline < run)) run = deadline;
        return run + (bounds.Warmup ?? TimeSpan.Zero);
    }

    private static TimeSpan WholeMinutes(TimeSpan value) => TimeSpan.FromMinutes(Math.Ceiling(value.TotalMinutes));
}
