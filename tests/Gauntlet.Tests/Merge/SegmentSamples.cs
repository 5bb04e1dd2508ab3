using System.Text.Json;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Verification;

namespace Gauntlet.Tests.Merge;

/// <summary>One operation of a synthetic segment: when it completed (seconds from its segment's start), its latency, whether it was ok.</summary>
internal readonly record struct Op(double CompleteSecond, long LatencyMicros, bool Ok = true);

/// <summary>
/// Segment results built by hand, as a segment run writes them (schema 3: segment info, fingerprint, per-second
/// histograms), from known operations, so a merge can be checked against one histogram of every operation.
/// </summary>
internal static class SegmentSamples
{
    public static readonly DateTimeOffset Start = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    public const string ScenarioName = "merged";

    public static RunResult Segment(int index, int count, IReadOnlyList<Op> ops, double durationSeconds = 3, double startOffsetSeconds = 0,
        string fingerprint = "fp-1", long cutOff = 0, IReadOnlyList<string>? thresholds = null, HistoryInfo? history = null)
    {
        var startedAt = Start.AddSeconds(startOffsetSeconds);
        var latency = Histograms.Create();
        foreach (var op in ops) latency.RecordValue(op.LatencyMicros);
        var failed = ops.Count(o => !o.Ok);
        var counts = new Counts { Started = ops.Count + cutOff, Ok = ops.Count - failed, Failed = failed, CutOff = cutOff };
        var scenario = new ScenarioResult
        {
            Name = ScenarioName,
            Verdict = Verdict.Passed,
            Fingerprint = fingerprint,
            Config = new ScenarioConfig { Model = "closed", Load = "2 workers", Bounds = $"{durationSeconds}s", MaxConcurrency = 2, DurationSeconds = durationSeconds, Thresholds = thresholds ?? [] },
            StartedAt = startedAt,
            IssuingSeconds = durationSeconds,
            DurationSeconds = durationSeconds,
            Counts = counts,
            AccountingBalanced = counts.Balanced,
            Errors = failed == 0 ? [] : [new ErrorKindCount("status_500", "failed", failed, $"boom in segment {index}")],
            Latency = Histograms.Summarize(latency),
            Throughput = new ThroughputStats { Overall = ops.Count / durationSeconds },
            Timeline = Timeline(ops, durationSeconds),
            History = history,
            Warnings = [new Warning(WarningCode.JudgedByMerge, "thresholds and verifiers are judged by `gauntlet merge`"), new Warning(WarningCode.CutOff, "shared warning")],
        };
        return new RunResult
        {
            Environment = SampleEnvironment(index),
            StartedAt = startedAt,
            FinishedAt = startedAt.AddSeconds(durationSeconds),
            Scenarios = [scenario],
            Segment = new SegmentInfo { Index = index, Count = count, StartAt = Start, StartSkewSeconds = startOffsetSeconds },
        };
    }

    /// <summary>One point per second (the last one partial when the duration is not whole), each with its histogram.</summary>
    public static List<TimelinePoint> Timeline(IReadOnlyList<Op> ops, double durationSeconds)
    {
        var points = new List<TimelinePoint>();
        for (var end = 1.0; end - 1 < durationSeconds - 1e-9; end++)
        {
            var second = Math.Min(end, durationSeconds);
            var inSecond = ops.Where(o => o.CompleteSecond > end - 1 && o.CompleteSecond <= end).ToList();
            var histogram = Histograms.Create();
            foreach (var op in inSecond) histogram.RecordValue(op.LatencyMicros);
            points.Add(new TimelinePoint
            {
                Second = second,
                Started = inSecond.Count,
                Completed = inSecond.Count,
                Ok = inSecond.Count(o => o.Ok),
                Errors = inSecond.Count(o => !o.Ok),
                P50Micros = histogram.TotalCount > 0 ? histogram.GetValueAtPercentile(50) : 0,
                P99Micros = histogram.TotalCount > 0 ? histogram.GetValueAtPercentile(99) : 0,
                Histogram = Histograms.Encode(histogram),
                InFlight = 1,
                Workers = 2,
            });
        }
        return points;
    }

    public static EnvironmentInfo SampleEnvironment(int index) => Results.SampleResults.Environment() with { MachineName = $"host-{index}" };

    /// <summary>Writes <paramref name="result"/> as <c>folder/result.json</c> (and its history, when given) and returns the folder.</summary>
    public static async Task<string> WriteAsync(string folder, RunResult result, IEnumerable<HistoryEntry>? history = null)
    {
        Directory.CreateDirectory(folder);
        await ResultFile.WriteAsync(result, Path.Combine(folder, "result.json"));
        if (history is not null) WriteHistory(Path.Combine(folder, "history.jsonl"), history);
        return folder;
    }

    public static void WriteHistory(string path, IEnumerable<HistoryEntry> entries)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var json = new Utf8JsonWriter(file, HistoryLog.WriterOptions);
        var scenario = JsonEncodedText.Encode(ScenarioName);
        foreach (var entry in entries) HistoryLog.WriteLine(json, file, scenario, entry);
    }

    /// <summary>Random operations completing within the duration, latencies spread over four decades.</summary>
    public static List<Op> RandomOps(Random random, int count, double durationSeconds) =>
        [.. Enumerable.Range(0, count).Select(_ => new Op(random.NextDouble() * durationSeconds + 1e-6, (long)Math.Pow(10, 1 + random.NextDouble() * 4), random.Next(10) != 0))];
}
