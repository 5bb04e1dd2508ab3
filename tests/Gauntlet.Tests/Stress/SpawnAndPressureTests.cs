using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Stress.Pressure;
using Gauntlet.Stress.Spawn;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Stress;

public sealed class SpawnAndPressureTests
{
    private static double Figure(ScenarioResult result, string key) =>
        Assert.Single(result.Figures!, f => f.Key == key).Value;

    [Theory]
    [InlineData(SpawnKind.Tasks)]
    [InlineData(SpawnKind.Threads)]
    public async Task Spawn_storm_counts_every_spawn_and_its_first_run_latency(SpawnKind kind)
    {
        var ran = 0;
        var scenario = SpawnStorm.Create("storm", new SpawnStormOptions { Kind = kind, Batch = 10, Workers = 2, Body = () => Interlocked.Increment(ref ran) })
            .WithLoad(LoadProfile.IterationsPerWorker(2, 5));

        var outside = System.Diagnostics.Stopwatch.StartNew();
        var result = await RunOne(scenario);
        var outsideSeconds = outside.Elapsed.TotalSeconds;

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(10, result.Counts.Ok);
        Assert.Equal(100, Figure(result, "spawned"));
        Assert.Equal(100, ran);
        Assert.Equal(0, Figure(result, "spawn_failures"));
        // The rate is the 100 spawns over the storm's own window, which begins before the scenario's clock starts and
        // ends after it stops, all within the call: between 100 over the call's time and 100 over the scenario's
        // (give or take the figure's rounding to 0.1/s).
        var rate = Figure(result, "spawn_rate");
        Assert.InRange(rate, 100 / outsideSeconds - 0.05, 100 / result.DurationSeconds + 0.05);
        // Every spawned body ran while its operation waited for it, inside the scenario.
        Assert.InRange(Figure(result, "first_run_max"), 0, result.DurationSeconds * 1_000_000);
    }

    [Fact]
    public async Task Spawn_storm_fails_a_batch_whose_thread_never_finishes()
    {
        using var release = new ManualResetEventSlim();
        var scenario = SpawnStorm.Create("storm", new SpawnStormOptions
        {
            Kind = SpawnKind.Threads, Batch = 2, Workers = 1, JoinTimeout = TimeSpan.FromMilliseconds(200),
            Body = () => release.Wait(TimeSpan.FromSeconds(5)),
        }).WithLoad(LoadProfile.IterationsPerWorker(1, 1));

        var result = await RunOne(scenario);
        release.Set();

        Assert.Equal(Verdict.Failed, result.Verdict);
        var error = Assert.Single(result.Errors);
        Assert.Equal("not_completed", error.Kind);
        Assert.Contains("2 of 2 threads", error.SampleMessage);
    }

    [Fact]
    public async Task Allocation_pressure_grows_the_size_and_reports_gc_figures()
    {
        var sizes = new List<long>();
        var scenario = AllocationPressure.Create("alloc", size =>
        {
            sizes.Add(size);
            var keep = new List<byte[]>();
            for (var i = 0; i < size; i++) keep.Add(new byte[1024]);
            GC.KeepAlive(keep);
        }, new AllocationPressureOptions { Start = 1000, Growth = 1000, Max = 5000, Unit = "blocks" });

        var result = await RunOne(scenario);

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal([1000, 2000, 3000, 4000, 5000], sizes);
        Assert.Equal(5000, Figure(result, "largest_ok"));
        // 15,000 blocks of 1 KiB were allocated at the least.
        Assert.True(Figure(result, "allocated") >= 15_000 * 1024, $"allocated {Figure(result, "allocated")}");
        Assert.True(Figure(result, "gc_gen0") >= Figure(result, "gc_gen1"));
        Assert.True(Figure(result, "gc_gen1") >= Figure(result, "gc_gen2"));
        Assert.True(Figure(result, "peak_working_set") > 0);
        Assert.Contains(result.Figures!, f => f.Key == "gc_pause" && f.Unit == Gauntlet.Results.Figure.MicrosUnit);
    }

    [Fact]
    public async Task Recursion_on_its_own_stack_reports_the_largest_depth_that_completed()
    {
        static int Recurse(long depth) => depth == 0 ? 0 : 1 + Recurse(depth - 1);
        var scenario = AllocationPressure.Create("recursion", depth =>
        {
            if (depth > 300) throw new InvalidOperationException("too deep");
            Recurse(depth);
        }, new AllocationPressureOptions { Start = 100, Growth = 100, Max = 500, StackBytes = 1024 * 1024, Unit = "depth" })
            .WithThresholds("count(ok) >= 1");

        var result = await RunOne(scenario);

        Assert.Equal(3, result.Counts.Ok);
        Assert.Equal(2, result.Counts.Failed);
        Assert.Equal(300, Figure(result, "largest_ok"));
        Assert.Equal("InvalidOperationException", Assert.Single(result.Errors).Kind);
    }
}
