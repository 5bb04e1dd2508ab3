using Gauntlet.Merging;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Pipeline;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Merge;

/// <summary>Segment results merged in the library: counts, percentiles, the timeline, thresholds and the verdict.</summary>
public sealed class SegmentMergeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-merge-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Folder(string name) => Path.Combine(_folder, name);

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 12)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Merged_counts_add_up_balance_and_percentiles_come_from_all_operations(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(1, 9);
        var ops = Enumerable.Range(0, n).Select(_ => SegmentSamples.RandomOps(random, random.Next(0, 400), 3)).ToList();
        var cutOffs = Enumerable.Range(0, n).Select(_ => (long)random.Next(0, 3)).ToList();
        for (var i = 0; i < n; i++)
            await SegmentSamples.WriteAsync(Folder($"segment-{i}"), SegmentSamples.Segment(i, n, ops[i], cutOff: cutOffs[i]));

        var result = await SegmentMerge.MergeAsync([_folder]);

        var all = ops.SelectMany(o => o).ToList();
        var merged = Assert.Single(result.Scenarios);
        Assert.Equal(all.Count + cutOffs.Sum(), merged.Counts.Started);
        Assert.Equal(all.Count(o => o.Ok), merged.Counts.Ok);
        Assert.Equal(all.Count(o => !o.Ok), merged.Counts.Failed);
        Assert.Equal(cutOffs.Sum(), merged.Counts.CutOff);
        Assert.True(merged.Counts.Balanced && merged.AccountingBalanced);
        Assert.Equal(all.Count(o => !o.Ok), merged.Errors.Sum(e => e.Count));
        var whole = Histograms.Create();
        foreach (var op in all) whole.RecordValue(op.LatencyMicros);
        Assert.Equal(Histograms.Summarize(whole, includeEncoding: false), merged.Latency with { Histogram = null });
        Assert.Equal(all.Count, merged.Timeline.Sum(p => p.Completed));
        Assert.Equal(n, result.Segments!.Count);
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"host-{i}"), result.Segments.Select(s => s.Host));
    }

    [Fact]
    public async Task A_segment_started_late_has_its_seconds_where_the_one_machine_would_count_them()
    {
        // Segment 0 starts at 0 and completes one operation per second at 0.5, 1.5, 2.5 (10, 20, 30 us).
        // Segment 1 starts 1.4 s later and completes operations at local 0.5 and 1.5 (1000, 2000 us): absolute 1.9 and 2.9.
        await SegmentSamples.WriteAsync(Folder("s0"), SegmentSamples.Segment(0, 2, [new(0.5, 10), new(1.5, 20), new(2.5, 30)], durationSeconds: 3));
        await SegmentSamples.WriteAsync(Folder("s1"), SegmentSamples.Segment(1, 2, [new(0.5, 1000), new(1.5, 2000)], durationSeconds: 2, startOffsetSeconds: 1.4));

        var merged = Assert.Single((await SegmentMerge.MergeAsync([Folder("s0"), Folder("s1")])).Scenarios);

        Assert.Equal(SegmentSamples.Start, merged.StartedAt);
        Assert.Equal(3.4, merged.DurationSeconds, 6);
        Assert.Equal([1.0, 2.0, 3.0], merged.Timeline.Select(p => p.Second));
        Assert.Equal([1L, 2L, 2L], merged.Timeline.Select(p => p.Completed));
        // Second 2 holds 20 us (segment 0) and 1000 us (segment 1): its p99 comes from both histograms, never averaged.
        Assert.Equal(20, merged.Timeline[1].P50Micros);
        Assert.Equal(1000, merged.Timeline[1].P99Micros, 0.001 * 1000);
        Assert.Equal(2000, merged.Timeline[2].P99Micros, 0.001 * 2000);
        Assert.Equal(2, TimelineMerge.MergedSecond(1.4, 0, 1));
        Assert.Equal(3, TimelineMerge.MergedSecond(1.4, 1, 2));
    }

    [Fact]
    public async Task A_merged_second_keeps_the_busiest_segments_generator_figures_every_segments_marks_and_one_warning_on_the_merged_clock()
    {
        // Segment 0 ran out of CPU in its second 2; segment 1 started operations late in its second 2 and ran out of CPU in its second 3.
        static RunResult Limited(int index, Func<TimelinePoint, TimelinePoint> mark, string warning)
        {
            var result = SegmentSamples.Segment(index, 2, [new(0.5, 100), new(1.5, 100), new(2.5, 100)]);
            var scenario = result.Scenarios[0];
            return result with
            {
                Scenarios = [scenario with
                {
                    Timeline = [.. scenario.Timeline.Select(mark)],
                    Warnings = [.. scenario.Warnings, new Warning(WarningCode.GeneratorLimited, warning)],
                }],
            };
        }
        await SegmentSamples.WriteAsync(Folder("a"), Limited(0, p => p with
        {
            GauntletCpu = p.Second == 2 ? 0.95 : 0.3, LagP99Micros = 500, ThreadPoolQueue = 3,
            LimitedBy = p.Second == 2 ? new GeneratorLimits { Cpu = true } : null,
        }, "segment 0's own seconds"));
        await SegmentSamples.WriteAsync(Folder("b"), Limited(1, p => p with
        {
            GauntletCpu = p.Second == 3 ? 0.97 : 0.4, LagP99Micros = p.Second == 2 ? 2_000 : 300, ThreadPoolQueue = p.Second == 2 ? 7 : 0,
            LimitedBy = p.Second == 2 ? new GeneratorLimits { SchedulingLag = true } : p.Second == 3 ? new GeneratorLimits { Cpu = true } : null,
        }, "segment 1's own seconds"));

        var merged = Assert.Single((await SegmentMerge.MergeAsync([Folder("a"), Folder("b")])).Scenarios);

        Assert.Equal([1.0, 2.0, 3.0], merged.Timeline.Select(p => p.Second));
        Assert.Equal([0.4, 0.95, 0.97], merged.Timeline.Select(p => p.GauntletCpu));
        Assert.Equal([500.0, 2_000, 500], merged.Timeline.Select(p => p.LagP99Micros));
        Assert.Equal([3L, 7, 3], merged.Timeline.Select(p => p.ThreadPoolQueue));
        Assert.Null(merged.Timeline[0].LimitedBy);
        Assert.Equal(new GeneratorLimits { Cpu = true, SchedulingLag = true }, merged.Timeline[1].LimitedBy);
        Assert.Equal(new GeneratorLimits { Cpu = true }, merged.Timeline[2].LimitedBy);
        // The segments' warnings name seconds on their own clocks: one warning, from the merged timeline, replaces them.
        var warning = Assert.Single(merged.Warnings, w => w.Code == WarningCode.GeneratorLimited);
        Assert.StartsWith("the load generator, not the target, limited the rate in 2 of 3 seconds (seconds 2-3): "
            + "Gauntlet used 95% of its cores and p99 scheduling lag 2ms (second 2), Gauntlet used 97% of its cores (second 3);", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thresholds_are_judged_on_the_merged_figures_with_the_scenario_files_thresholds()
    {
        // Each segment alone has a p99 of 1 ms; together, a quarter of the operations take 40 ms.
        await SegmentSamples.WriteAsync(Folder("a"), SegmentSamples.Segment(0, 2, [.. Enumerable.Range(0, 300).Select(i => new Op(0.5, 1000))], thresholds: ["count(ok) == 1"]));
        await SegmentSamples.WriteAsync(Folder("b"), SegmentSamples.Segment(1, 2, [.. Enumerable.Range(0, 100).Select(i => new Op(0.5, 40_000))], thresholds: ["count(ok) == 1"]));
        var scenario = new Scenario(SegmentSamples.ScenarioName, _ => ValueTask.FromResult(Outcome.Ok)) { Thresholds = ["count(ok) == 400", "p99 < 10ms"] };

        var result = await SegmentMerge.MergeAsync([Folder("a"), Folder("b")], new MergeOptions { Scenarios = [scenario] });

        var merged = Assert.Single(result.Scenarios);
        Assert.Equal(["count(ok) == 400", "p99 < 10ms"], merged.Thresholds.Select(t => t.Expression));
        Assert.True(merged.Thresholds[0].Passed);
        Assert.False(merged.Thresholds[1].Passed);
        Assert.Equal(Verdict.Failed, merged.Verdict);
        Assert.Equal(ReasonCode.ThresholdMissed, Assert.Single(merged.Reasons).Code);
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
    }

    [Fact]
    public async Task Without_a_scenario_file_the_echoed_thresholds_judge_and_a_warning_says_verifiers_did_not_run()
    {
        var history = new HistoryInfo { File = "history.jsonl", Entries = 1 };
        await SegmentSamples.WriteAsync(Folder("a"), SegmentSamples.Segment(0, 2, [new(0.5, 100)], thresholds: ["count(ok) == 2"], history: history),
            [new HistoryEntry(1, 0, HistoryFunction.Write, "a", 0, 500_000, HistoryOutcome.Ok, null)]);
        await SegmentSamples.WriteAsync(Folder("b"), SegmentSamples.Segment(1, 2, [new(0.5, 100)], thresholds: ["count(ok) == 2"], history: history),
            [new HistoryEntry(2, 1, HistoryFunction.Write, "b", 0, 500_000, HistoryOutcome.Ok, null)]);

        var merged = Assert.Single((await SegmentMerge.MergeAsync([Folder("a"), Folder("b")])).Scenarios);

        Assert.True(Assert.Single(merged.Thresholds).Passed);
        Assert.Contains(merged.Warnings, w => w.Code == WarningCode.MergeIncomplete && w.Message.Contains("verifiers", StringComparison.Ordinal));
        Assert.DoesNotContain(merged.Warnings, w => w.Code == WarningCode.JudgedByMerge);
        Assert.Single(merged.Warnings, w => w.Message == "shared warning");
        Assert.Equal(2, merged.History!.Entries);
    }

    [Fact]
    public async Task Verifiers_run_once_over_the_union_of_the_histories_and_find_what_no_segment_alone_shows()
    {
        // Segment 0 acknowledged a and b, segment 1 acknowledged c; the target holds a and c. Id "7" was handed out by both.
        var history = new HistoryInfo { File = "history.jsonl", Entries = 3 };
        await SegmentSamples.WriteAsync(Folder("a"), SegmentSamples.Segment(0, 2, [new(0.2, 100), new(0.4, 100), new(0.6, 100)], history: history),
        [
            new HistoryEntry(1, 0, HistoryFunction.Write, "a", 100_000, 200_000, HistoryOutcome.Ok, null),
            new HistoryEntry(3, 0, HistoryFunction.Write, "b", 300_000, 400_000, HistoryOutcome.Ok, null),
            new HistoryEntry(5, 0, HistoryFunction.Read, "7", 500_000, 600_000, HistoryOutcome.Ok, null),
        ]);
        history = history with { Entries = 2 };
        await SegmentSamples.WriteAsync(Folder("b"), SegmentSamples.Segment(1, 2, [new(0.3, 100), new(0.5, 100)], startOffsetSeconds: 1, history: history),
        [
            new HistoryEntry(2, 1, HistoryFunction.Write, "c", 200_000, 300_000, HistoryOutcome.Ok, null),
            new HistoryEntry(4, 1, HistoryFunction.Read, "7", 400_000, 500_000, HistoryOutcome.Ok, null),
        ]);
        var finalReads = 0;
        var scenario = new Scenario(SegmentSamples.ScenarioName, _ => ValueTask.FromResult(Outcome.Ok))
        {
            Verifiers =
            [
                Verifier.Set(_ => { Interlocked.Increment(ref finalReads); return Task.FromResult<IEnumerable<string>>(["a", "c"]); }),
                Verifier.UniqueIds(),
            ],
        };

        var result = await SegmentMerge.MergeAsync([Folder("a"), Folder("b")], new MergeOptions { Scenarios = [scenario], ResultsDirectory = Folder("out") });

        var merged = Assert.Single(result.Scenarios);
        Assert.Equal(1, finalReads);
        var set = merged.Verifications![0];
        Assert.Equal(1, set.Count("lost"));
        Assert.Equal(0, set.Count("unexpected"));
        Assert.Equal(["b"], set.Examples.Single(e => e.Category == "lost").Values);
        Assert.Equal(1, merged.Verifications[1].Count("duplicated"));
        Assert.Equal(Verdict.Failed, merged.Verdict);
        Assert.Equal(5, merged.History!.Entries);
        // The union is on the merged clock, in completion order: segment 1's times moved by its 1 s.
        var lines = await File.ReadAllLinesAsync(Path.Combine(Folder("out"), "history.jsonl"));
        var completes = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("complete").GetInt64()).ToList();
        Assert.Equal([200_000L, 400_000, 600_000, 1_300_000, 1_500_000], completes);
        Assert.True(File.Exists(Path.Combine(Folder("out"), "report.md")));
        Assert.Contains("## Segments", await File.ReadAllTextAsync(Path.Combine(Folder("out"), "report.md")), StringComparison.Ordinal);
        Assert.Contains("<h2>Segments</h2>", await File.ReadAllTextAsync(Path.Combine(Folder("out"), "report.html")), StringComparison.Ordinal);
    }
}
