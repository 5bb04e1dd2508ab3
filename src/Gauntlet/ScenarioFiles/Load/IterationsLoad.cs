using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles.Reading;

namespace Gauntlet.ScenarioFiles.Load;

/// <summary>
/// <c>iterations: { workers: 10, perWorker: 100 }</c> or <c>iterations: { workers: 10, shared: 1000, barrier: true }</c>:
/// an <see cref="IterationsProfile"/>.
/// </summary>
internal static class IterationsLoad
{
    public static readonly string[] Keys = ["workers", "perWorker", "shared", "barrier", "batches"];

    private static readonly string[] BatchKeys = ["size", "every"];

    public static IterationsProfile Read(SpecMapping iterations)
    {
        var profile = new IterationsProfile();
        if (iterations.TryInt("workers", out var workers)) profile = profile with { Workers = workers };
        if (iterations.Has("perWorker") && iterations.Has("shared"))
        {
            iterations.Reader.Error(iterations.Find("shared")!.Value.Entry.Key, SpecReader.At(iterations.Path,
                "has both 'perWorker' and 'shared'; perWorker runs that many operations on each worker, shared that many in total: keep one"));
            iterations.Map?.Fail("load.iterations");
        }
        else if (!iterations.Has("perWorker") && !iterations.Has("shared"))
        {
            iterations.Require("perWorker", "give perWorker: 100 (operations on each worker) or shared: 1000 (operations in total)", "load.iterations");
        }
        else
        {
            var shared = iterations.Has("shared");
            if (iterations.TryLong(shared ? "shared" : "perWorker", out var count, engineName: "iterations"))
                profile = profile with { Iterations = count, Shared = shared };
        }
        if (iterations.TryBool("barrier", out var barrier)) profile = profile with { Barrier = barrier };
        if (iterations.Mapping("batches", BatchKeys, enginePath: "load.batches", example: "{ size: 100, every: 5ms }") is { } batches)
        {
            batches.Require("size", "give how many workers start together, such as size: 100", "load.batches.size");
            batches.Require("every", "give the pause between batches, such as every: 5ms", "load.batches.every");
            var size = batches.TryInt("size", out var s) ? s : 1;
            var every = batches.TryDuration("every", out var e) ? e : TimeSpan.FromMilliseconds(1);
            profile = profile with { Batches = new BatchRamp(size, every) };
        }
        return profile;
    }
}
