using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles.Reading;

namespace Gauntlet.ScenarioFiles.Load;

/// <summary>
/// <c>closed: { workers: 32 }</c>, <c>closed: { stages: [ { duration: 10s, target: 100 } ], startWorkers: 0 }</c>,
/// <c>closed: { workers: 10000, batches: { size: 100, every: 5ms } }</c> or <c>closed: { workers: 50, barrier: true }</c>:
/// a <see cref="ClosedProfile"/>.
/// </summary>
internal static class ClosedLoad
{
    public static readonly string[] Keys = ["workers", "stages", "startWorkers", "batches", "barrier"];

    private static readonly string[] BatchKeys = ["size", "every"];

    private const string StageExample = "[ { duration: 10s, target: 100 } ]";

    public static ClosedProfile Read(SpecMapping closed)
    {
        var profile = new ClosedProfile();
        if (!closed.Has("workers") && !closed.Has("stages"))
            closed.Require("workers", $"give a worker count such as workers: 10, or ramp with stages: {StageExample}", "load.workers");
        if (closed.TryInt("workers", out var workers)) profile = profile with { Workers = workers };
        if (closed.TryInt("startWorkers", out var startWorkers)) profile = profile with { StartWorkers = startWorkers };
        var stages = LoadReader.Stages(closed, StageExample,
            stage => stage.TryInt("target", out var target) ? new WorkerStage(TimeSpan.Zero, target) : null,
            (duration, stage) => stage with { Duration = duration },
            placeholder: new WorkerStage(TimeSpan.Zero, 0));
        if (stages is not null) profile = profile with { Stages = stages };
        if (closed.Mapping("batches", BatchKeys, enginePath: "load.batches", example: "{ size: 100, every: 5ms }") is { } batches)
        {
            batches.Require("size", "give how many workers start together, such as size: 100", "load.batches.size");
            batches.Require("every", "give the pause between batches, such as every: 5ms", "load.batches.every");
            var size = batches.TryInt("size", out var s) ? s : 1;
            var every = batches.TryDuration("every", out var e) ? e : TimeSpan.FromMilliseconds(1);
            profile = profile with { Batches = new BatchRamp(size, every) };
        }
        if (closed.TryBool("barrier", out var barrier)) profile = profile with { Barrier = barrier };
        return profile;
    }
}
