using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>Each load model and bound in a file becomes the same values the C# API would set.</summary>
public sealed class LoadModelMappingTests
{
    private const string Operation = "operation: { synthetic: { latency: 1ms } }\n";

    [Fact]
    public void Closed_workers_become_a_constant_closed_profile()
    {
        var scenario = LoadsOne(Operation + "load: { closed: { workers: 32 } }\nduration: 30s\n");
        var closed = Assert.IsType<ClosedProfile>(scenario.Load);
        Assert.Equal(32, closed.Workers);
        Assert.Empty(closed.Stages);
        Assert.Null(closed.Batches);
        Assert.False(closed.Barrier);
        Assert.Equal(LoadProfile.Closed(32), closed);
    }

    [Fact]
    public void Closed_stages_become_a_ramp_from_start_workers()
    {
        var scenario = LoadsOne(Operation + """
            load:
              closed:
                startWorkers: 5
                stages:
                  - { duration: 10s, target: 100 }
                  - { duration: 1m, target: 100 }
                  - { duration: 500ms, target: 0 }
            """);
        var closed = Assert.IsType<ClosedProfile>(scenario.Load);
        Assert.Equal(5, closed.StartWorkers);
        Assert.Equal(0, closed.Workers);
        Assert.Equal(
            [new WorkerStage(TimeSpan.FromSeconds(10), 100), new WorkerStage(TimeSpan.FromMinutes(1), 100), new WorkerStage(TimeSpan.FromMilliseconds(500), 0)],
            closed.Stages);
        Assert.Equal(TimeSpan.FromSeconds(70.5), closed.NaturalDuration);
    }

    [Fact]
    public void Closed_batches_become_a_batch_ramp()
    {
        var scenario = LoadsOne(Operation + "load: { closed: { workers: 10000, batches: { size: 100, every: 5ms } } }\nduration: 3s\n");
        Assert.Equal(LoadProfile.Closed(10_000).WithBatches(100, TimeSpan.FromMilliseconds(5)), scenario.Load);
    }

    [Fact]
    public void Closed_barrier_releases_all_workers_at_once()
    {
        var scenario = LoadsOne(Operation + "load: { closed: { workers: 50, barrier: true } }\nduration: 3s\n");
        Assert.Equal(LoadProfile.Closed(50).WithBarrier(), scenario.Load);
    }

    [Fact]
    public void Open_rate_becomes_a_constant_arrival_rate()
    {
        var scenario = LoadsOne(Operation + "load: { open: { rate: 1000/s, maxInFlight: 500 } }\nduration: 30s\n");
        var open = Assert.IsType<OpenProfile>(scenario.Load);
        Assert.Equal(1000, open.StartRate);
        Assert.Equal(500, open.MaxInFlight);
        Assert.Empty(open.Stages);
    }

    [Fact]
    public void Open_rate_per_minute_is_converted_to_per_second_and_max_in_flight_defaults()
    {
        var open = Assert.IsType<OpenProfile>(LoadsOne(Operation + "load: { open: { rate: 600/m } }\nduration: 5s\n").Load);
        Assert.Equal(10, open.StartRate, 9);
        Assert.Equal(OpenProfile.DefaultMaxInFlight, open.MaxInFlight);
    }

    [Fact]
    public void Open_stages_ramp_the_rate_from_the_start_rate()
    {
        var scenario = LoadsOne(Operation + """
            load:
              open:
                rate: 0/s
                maxInFlight: 100
                stages:
                  - { duration: 10s, target: 500/s }
                  - { duration: 20s, target: 30000/m }
            """);
        var open = Assert.IsType<OpenProfile>(scenario.Load);
        Assert.Equal(0, open.StartRate);
        Assert.Equal(100, open.MaxInFlight);
        Assert.Equal([new RateStage(TimeSpan.FromSeconds(10), 500), new RateStage(TimeSpan.FromSeconds(20), 500)], open.Stages);
    }

    [Fact]
    public void Open_stages_without_a_rate_start_from_zero()
    {
        var open = Assert.IsType<OpenProfile>(LoadsOne(Operation + "load: { open: { stages: [ { duration: 2s, target: 100/s } ] } }\n").Load);
        Assert.Equal(0, open.StartRate);
        Assert.Equal(TimeSpan.FromSeconds(2), open.NaturalDuration);
    }

    [Fact]
    public void Iterations_per_worker_run_that_many_on_each_worker()
    {
        var iterations = Assert.IsType<IterationsProfile>(LoadsOne(Operation + "load: { iterations: { workers: 10, perWorker: 100 } }\n").Load);
        Assert.Equal(LoadProfile.IterationsPerWorker(10, 100), iterations);
        Assert.Equal(1000, iterations.TotalIterations);
    }

    [Fact]
    public void Iterations_shared_with_barrier_run_that_many_in_total()
    {
        var iterations = Assert.IsType<IterationsProfile>(LoadsOne(Operation + "load: { iterations: { workers: 10, shared: 1_000, barrier: true } }\n").Load);
        Assert.Equal(LoadProfile.SharedIterations(10, 1000).WithBarrier(), iterations);
        Assert.Equal(1000, iterations.TotalIterations);
    }

    [Fact]
    public void Iterations_default_to_one_worker()
    {
        var iterations = Assert.IsType<IterationsProfile>(LoadsOne(Operation + "load: { iterations: { perWorker: 7 } }\n").Load);
        Assert.Equal(1, iterations.Workers);
        Assert.Equal(7, iterations.TotalIterations);
    }

    [Fact]
    public void No_load_means_one_closed_worker_as_in_csharp()
    {
        Assert.Equal(LoadProfile.Closed(1), LoadsOne(Operation + "duration: 1s\n").Load);
    }

    [Fact]
    public void Bounds_map_to_their_engine_values()
    {
        var scenario = LoadsOne(Operation + """
            duration: 30s
            iterations: 10000
            timeout: 1s
            deadline: 2m
            grace: 250ms
            hangAfter: 10s
            """);
        Assert.Equal(new Bounds
        {
            Duration = TimeSpan.FromSeconds(30),
            MaxIterations = 10_000,
            OperationTimeout = TimeSpan.FromSeconds(1),
            Deadline = TimeSpan.FromMinutes(2),
            GracePeriod = TimeSpan.FromMilliseconds(250),
            HangAfter = TimeSpan.FromSeconds(10),
        }, scenario.Bounds);
    }

    [Fact]
    public void Bounds_left_out_keep_the_engine_defaults_and_off_switches_one_off()
    {
        var scenario = LoadsOne(Operation + "duration: 5s\nhangAfter: off\ntimeout: off\n");
        Assert.Equal(Bounds.DefaultGracePeriod, scenario.Bounds.GracePeriod);
        Assert.Null(scenario.Bounds.HangAfter);
        Assert.Null(scenario.Bounds.OperationTimeout);
        Assert.Null(scenario.Bounds.Deadline);
        Assert.Null(scenario.Bounds.MaxIterations);
    }

    [Fact]
    public void Thresholds_accept_a_list_or_a_single_expression()
    {
        Assert.Equal(["p99 < 50ms", "throughput >= 1000/s"],
            LoadsOne(Operation + "duration: 1s\nthresholds: [\"p99 < 50ms\", \"throughput >= 1000/s\"]\n").Thresholds);
        Assert.Equal(["p99 < 50ms"], LoadsOne(Operation + "duration: 1s\nthresholds: p99 < 50ms\n").Thresholds);
    }

    [Fact]
    public void Every_loaded_scenario_passes_the_engines_validation()
    {
        var result = Loads("""
            scenarios:
              - { name: a, operation: { synthetic: {} }, load: { closed: { workers: 2 } }, duration: 1s }
              - { name: b, operation: { synthetic: {} }, load: { open: { rate: 10/s } }, iterations: 5 }
              - { name: c, operation: { synthetic: {} }, load: { iterations: { perWorker: 3 } } }
            """);
        Assert.All(result.Scenarios, s => Assert.Empty(s.Validate()));
    }
}
