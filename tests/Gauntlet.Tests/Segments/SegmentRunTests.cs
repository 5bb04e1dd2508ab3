using System.Collections.Concurrent;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Engine;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Segments;

/// <summary>
/// A scenario run whole and as segments: the segments together issue exactly what the whole run issues, with the
/// same global worker, iteration and operation numbers, never one twice.
/// </summary>
public sealed class SegmentRunTests
{
    private sealed record Seen(int Worker, long Iteration, long Id);

    private static async Task<(List<ScenarioResult> Results, List<Seen> Seen)> RunSegments(int count, Func<ConcurrentBag<Seen>, Scenario> make)
    {
        var results = new List<ScenarioResult>();
        var seen = new List<Seen>();
        for (var i = 0; i < count; i++)
        {
            var bag = new ConcurrentBag<Seen>();
            var scenario = make(bag);
            results.Add(await RunOne(count == 1 ? scenario : scenario.WithSegment(i, count)));
            seen.AddRange(bag);
        }
        return (results, seen);
    }

    private static Scenario Recording(string name, ConcurrentBag<Seen> bag) =>
        Scenario.CreateSync(name, c => bag.Add(new Seen(c.WorkerId, c.Iteration, c.OperationId)));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Iterations_per_worker_split_by_worker_and_keep_global_ids(int segments)
    {
        var (results, seen) = await RunSegments(segments, bag => Recording("per-worker", bag).WithLoad(LoadProfile.IterationsPerWorker(10, 7)));

        Assert.Equal(70, results.Sum(r => r.Counts.Ok));
        Assert.Equal(Enumerable.Range(0, 10), seen.Select(s => s.Worker).Distinct().Order());
        Assert.Equal(70, seen.Select(s => s.Id).Distinct().Count());
        Assert.All(seen.GroupBy(s => s.Worker), w => Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), w.Select(s => s.Iteration).Order()));
        // Worker k belongs to segment k mod n, so the first segments take the remainder.
        long[] expected = segments switch { 1 => [70], 3 => [28, 21, 21], _ => [21, 21, 14, 14] };
        Assert.Equal(expected, results.Select(r => r.Counts.Ok).ToArray());
        Assert.Single(results.Select(r => r.Fingerprint).Distinct());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Shared_iterations_deal_each_iteration_to_one_segment(int segments)
    {
        var (results, seen) = await RunSegments(segments, bag => Recording("shared", bag).WithLoad(LoadProfile.SharedIterations(8, 1001)));

        Assert.Equal(1001, results.Sum(r => r.Counts.Ok));
        Assert.Equal(Enumerable.Range(0, 1001).Select(i => (long)i), seen.Select(s => s.Iteration).Order());
        Assert.Equal(Enumerable.Range(1, 1001).Select(i => (long)i), seen.Select(s => s.Id).Order());
        Assert.Single(results.Select(r => r.Fingerprint).Distinct());
    }

    [Fact]
    public async Task An_iteration_bound_on_a_closed_model_is_split_exactly()
    {
        var (results, seen) = await RunSegments(3, bag => Recording("bounded", bag).WithLoad(LoadProfile.Closed(6)).WithMaxIterations(1000));

        Assert.Equal(new long[] { 334, 333, 333 }, results.Select(r => r.Counts.Started).ToArray());
        Assert.Equal(1000, seen.Select(s => s.Id).Distinct().Count());
        // Which workers got an operation in before the bound is up to the scheduler; that they are the scenario's 6 is not.
        Assert.All(seen, s => Assert.InRange(s.Worker, 0, 5));
    }

    [Fact]
    public async Task Open_arrivals_split_into_interleaved_schedules_that_add_up_to_the_rate()
    {
        // 600/s for 1 s as 3 segments: arrival k (from 1) is segment (k - 1) mod 3's, due at k / 600 s, so each segment
        // issues 200, 5 ms apart, each a 600th of a second after the previous segment's. On simulated time.
        var perSegment = new List<List<Seen>>();
        var results = new List<ScenarioResult>();
        for (var i = 0; i < 3; i++)
        {
            var bag = new ConcurrentBag<Seen>();
            var clock = new SimulatedClock();
            var scenario = Recording("open", bag).WithLoad(LoadProfile.Open(600, maxInFlight: 600, duration: S(1))).WithSegment(i, 3);
            results.Add(await RunSimulated(clock, scenario));
            perSegment.Add([.. bag]);
        }

        Assert.Equal(600, results.Sum(r => r.Counts.Started));
        Assert.Equal(0, results.Sum(r => r.Counts.Dropped));
        Assert.Equal(600, results.Sum(r => r.Arrivals!.Scheduled));
        Assert.Equal(600, results.Sum(r => r.Arrivals!.RequestedRate), 6);
        Assert.Equal(Enumerable.Range(1, 600).Select(i => (long)i), perSegment.SelectMany(s => s).Select(s => s.Id).Order());
        for (var i = 0; i < 3; i++)
            Assert.All(perSegment[i], s => Assert.Equal(i, (s.Id - 1) % 3));
    }

    [Fact]
    public void A_unique_feeder_sends_each_row_from_exactly_one_segment_in_its_order()
    {
        var rows = Enumerable.Range(0, 10).Select(i => $"row{i}").ToList();
        var sent = new List<(int Segment, string Row)>();
        for (var i = 0; i < 3; i++)
        {
            var feeder = Feeder.FromValues("f", rows, FeedOrder.Unique);
            feeder.Rewind(new Segment(i, 3));
            for (var row = feeder.Next(); row >= 0; row = feeder.Next()) sent.Add((i, feeder.Text(row, 0)));
        }

        Assert.Equal(rows.Order(), sent.Select(s => s.Row).Order());
        Assert.Equal(["row0", "row3", "row6", "row9"], sent.Where(s => s.Segment == 0).Select(s => s.Row));
        Assert.Equal(["row2", "row5", "row8"], sent.Where(s => s.Segment == 2).Select(s => s.Row));
    }

    [Fact]
    public void A_sequential_feeder_cycles_through_its_segment_rows_and_refuses_a_segment_without_any()
    {
        var feeder = Feeder.FromValues("f", ["a", "b", "c", "d", "e"]);
        feeder.Rewind(new Segment(1, 2));
        Assert.Equal(["b", "d", "b", "d"], Enumerable.Range(0, 4).Select(_ => feeder.Text(feeder.Next(), 0)));

        var error = Assert.Throws<ScenarioValidationException>(() => Feeder.FromValues("two", ["a", "b"]).Rewind(new Segment(2, 3)));
        Assert.Contains("use at most 2 segments", Assert.Single(error.Problems).Message);
    }

    [Fact]
    public async Task A_segment_defers_its_thresholds_to_the_merge_and_a_different_scenario_has_another_fingerprint()
    {
        var scenario = Scenario.CreateSync("judged", _ => { }).WithLoad(LoadProfile.SharedIterations(2, 10)).WithThresholds("count(ok) == 10");
        var segment = await RunOne(scenario.WithSegment(1, 2));
        var whole = await RunOne(scenario);
        var other = await RunOne(scenario.WithThresholds("p99 < 1s").WithSegment(1, 2));

        Assert.Equal(5, segment.Counts.Ok);
        Assert.Equal(Verdict.Passed, segment.Verdict);
        Assert.Empty(segment.Thresholds);
        Assert.Equal(["count(ok) == 10"], segment.Config.Thresholds);
        Assert.Contains(segment.Warnings, w => w.Code == WarningCode.JudgedByMerge);
        Assert.True(Assert.Single(whole.Thresholds).Passed);
        Assert.DoesNotContain(whole.Warnings, w => w.Code == WarningCode.JudgedByMerge);
        Assert.NotEqual(segment.Fingerprint, other.Fingerprint);
        Assert.Matches("^[0-9a-f]{32}$", segment.Fingerprint!);
    }
}
