namespace GuideSamples;

using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

public static class LoadAndBounds
{
    public static LoadProfile[] Closed()
    {
        // <sample:load-closed>
        var steady = LoadProfile.Closed(50);   // 50 workers for as long as the bounds allow

        // 0 -> 200 workers over 30 s, hold 200 for 2 min, back to 0 over 10 s; the profile ends after 2 min 40 s.
        var ramp = LoadProfile.Ramping(
            new WorkerStage(TimeSpan.FromSeconds(30), 200),
            new WorkerStage(TimeSpan.FromMinutes(2), 200),
            new WorkerStage(TimeSpan.FromSeconds(10), 0));

        // Start at 20 workers instead of 0.
        var fromTwenty = ramp with { StartWorkers = 20 };
        // </sample:load-closed>
        return [steady, ramp, fromTwenty];
    }

    public static LoadProfile Batches()
    {
        // <sample:load-batches>
        var clients = LoadProfile.Closed(10_000).WithBatches(size: 100, every: TimeSpan.FromMilliseconds(5));
        // all 10,000 run after 99 × 5 ms = 495 ms
        // </sample:load-batches>
        return clients;
    }

    public static LoadProfile[] Barrier()
    {
        // <sample:load-barrier>
        // 500 clients, each does exactly one operation, all released at one instant.
        var herd = LoadProfile.IterationsPerWorker(workers: 500, iterations: 1).WithBarrier();

        // 50 workers released at one instant, then back to back until a bound stops them.
        var stampede = LoadProfile.Closed(50).WithBarrier();
        // </sample:load-barrier>
        return [herd, stampede];
    }

    public static LoadProfile[] Open()
    {
        // <sample:load-open>
        // 500 arrivals per second for 60 s, at most 200 in flight.
        var constant = LoadProfile.Open(perSecond: 500, maxInFlight: 200, duration: TimeSpan.FromSeconds(60));

        // From 100/s up to 2000/s over 1 min, hold 2000/s for 5 min, down to 0 over 30 s.
        var stepped = LoadProfile.OpenRamping(startRate: 100, maxInFlight: 4000,
            new RateStage(TimeSpan.FromMinutes(1), 2000),
            new RateStage(TimeSpan.FromMinutes(5), 2000),
            new RateStage(TimeSpan.FromSeconds(30), 0));
        // </sample:load-open>
        return [constant, stepped];
    }

    public static LoadProfile[] Iterations()
    {
        // <sample:load-iterations>
        // 10 workers, 100 operations each: exactly 1000 operations.
        var perWorker = LoadProfile.IterationsPerWorker(workers: 10, iterations: 100);

        // 1000 operations in total, each taken by whichever of the 10 workers is free.
        var shared = LoadProfile.SharedIterations(workers: 10, iterations: 1000);
        // </sample:load-iterations>
        return [perWorker, shared];
    }

    public static Scenario[] Bounded(Scenario scenario)
    {
        // <sample:bounds>
        var bounded = scenario
            .WithDuration(TimeSpan.FromMinutes(5))
            .WithTimeout(TimeSpan.FromMilliseconds(500))
            .WithDeadline(TimeSpan.FromMinutes(6))
            .WithGracePeriod(TimeSpan.FromSeconds(10))
            .WithHangDetection(TimeSpan.FromSeconds(20));

        var same = scenario.WithBounds(new Bounds
        {
            Duration = TimeSpan.FromMinutes(5),
            OperationTimeout = TimeSpan.FromMilliseconds(500),
            Deadline = TimeSpan.FromMinutes(6),
            GracePeriod = TimeSpan.FromSeconds(10),
            HangAfter = TimeSpan.FromSeconds(20),
        });
        // </sample:bounds>
        return [bounded, same];
    }

    public static Scenario Judged(Scenario scenario)
    {
        // <sample:thresholds>
        var judged = scenario.WithThresholds(
            "p99 < 50ms",
            "p99.9 < 200ms",
            "error_rate < 0.1%",
            "throughput >= 1000/s",
            "count(timed_out) == 0",
            "dropped == 0",
            "cut_off == 0");
        // </sample:thresholds>
        return judged;
    }
}
