using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Tests.Scenarios;

public sealed class OpenProfileTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Constant_rate_arrivals_are_rate_times_time()
    {
        var profile = LoadProfile.Open(1000, 10, S(5));
        Assert.Equal(2000, profile.ArrivalsBy(S(2)), 6);
        Assert.Equal(0.001, profile.ArrivalSeconds(1), 9);
        Assert.Equal(2.0, profile.ArrivalSeconds(2000), 9);
    }

    [Fact]
    public void Ramping_rate_integrates_the_ramp()
    {
        var profile = LoadProfile.OpenRamping(0, 10, new RateStage(S(10), 100), new RateStage(S(10), 100));
        Assert.Equal(500, profile.ArrivalsBy(S(10)), 6);
        Assert.Equal(1500, profile.ArrivalsBy(S(20)), 6);
        Assert.Equal(125, profile.ArrivalsBy(S(5)), 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(500)]
    [InlineData(1234)]
    [InlineData(2999)]
    public void Arrival_time_inverts_the_arrival_count(long n)
    {
        var profile = LoadProfile.OpenRamping(50, 10, new RateStage(S(10), 200), new RateStage(S(5), 200), new RateStage(S(10), 20));
        var at = profile.ArrivalSeconds(n);
        Assert.Equal(n, profile.ArrivalsBy(TimeSpan.FromSeconds(at)), 3);
    }

    [Fact]
    public void Zero_rate_throughout_and_bad_cap_are_reported_together()
    {
        var profile = new OpenProfile { StartRate = 0, MaxInFlight = 0, Stages = [new RateStage(S(1), 0)] };
        var problems = Scenario.CreateSync("x", _ => { }).WithLoad(profile).Validate();
        Assert.Contains(problems, p => p.Path == "load.maxInFlight");
        Assert.Contains(problems, p => p.Path == "load.rate" && p.Message.Contains("zero throughout"));
    }

    [Fact]
    public void A_rate_that_ends_at_zero_never_schedules_another_arrival()
    {
        var profile = LoadProfile.OpenRamping(100, 10, new RateStage(S(1), 0));
        Assert.Equal(50, profile.ArrivalsBy(S(5)), 6);
        Assert.True(double.IsPositiveInfinity(profile.ArrivalSeconds(51)));
    }

    [Fact]
    public void Arrival_schedule_allocates_nothing_per_arrival()
    {
        // The dispatcher evaluates the schedule once per arrival; DESIGN.md's hot path allocates nothing per operation.
        var profile = LoadProfile.OpenRamping(100, 10, new RateStage(S(2), 1000), new RateStage(S(2), 1000));
        double sink = 0;
        for (var n = 1; n <= 100; n++) sink += profile.ArrivalSeconds(n) + profile.ArrivalsBy(S(n / 100.0));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 1; n <= 10_000; n++) sink += profile.ArrivalSeconds(n) + profile.ArrivalsBy(S(n / 10_000.0));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink > 0);
    }
}
