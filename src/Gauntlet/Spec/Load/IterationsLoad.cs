using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Spec.Reading;

namespace Gauntlet.Spec.Load;

/// <summary>
/// <c>iterations: { workers: 10, perWorker: 100 }</c> or <c>iterations: { workers: 10, shared: 1000, barrier: true }</c>:
/// an <see cref="IterationsProfile"/>.
/// </summary>
internal static class IterationsLoad
{
    public static readonly string[] Keys = ["workers", "perWorker", "shared", "barrier"];

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
        return profile;
    }
}
