using Gauntlet.Engine;
using Gauntlet.Metrics;
using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Thresholds;
using Gauntlet.Verification;

namespace Gauntlet.Merging;

/// <summary>
/// Merges the results of the segments of one split run (<c>gauntlet run FILE --segment i/n</c>) into the result one
/// machine running every segment would have written: counts added, percentiles from the added HdrHistograms, the
/// timeline on one clock, the thresholds judged on the merged figures, the verifiers run once over the union of the
/// histories, the verdict by the engine's own rules. Refuses, with a <see cref="SegmentMergeException"/> naming the file,
/// segments that do not make one whole run (see docs/merge.md).
/// </summary>
public static class SegmentMerge
{
    /// <summary>
    /// Finds the segments' results in <paramref name="folders"/> (each a result folder, or a folder whose subfolders are
    /// result folders), checks they are segments 0 .. n-1 of one split run, merges and judges them, and writes the
    /// merged result folder when <see cref="MergeOptions.ResultsDirectory"/> is set.
    /// </summary>
    /// <exception cref="SegmentMergeException">The segments cannot be merged; the message names the file and what to do.</exception>
    public static async Task<RunResult> MergeAsync(IReadOnlyList<string> folders, MergeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var settings = options ?? new MergeOptions();
        var segments = await new SegmentWait(settings.TimeProvider, settings.Wait).CollectAsync(folders, cancellationToken).ConfigureAwait(false);
        return await MergeAsync(segments, settings, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<RunResult> MergeAsync(IReadOnlyList<SegmentResult> segments, MergeOptions options, CancellationToken cancellationToken)
    {
        var folder = options.ResultsDirectory;
        if (folder is not null) Directory.CreateDirectory(folder);
        var history = folder is null ? Path.GetTempFileName() : Path.Combine(folder, ReportFolder.HistoryFileName);
        File.Delete(history);
        var scenarios = new List<ScenarioResult>();
        try
        {
            for (var i = 0; i < segments[0].Result.Scenarios.Count; i++)
                scenarios.Add(await MergeScenarioAsync(segments, i, options.Scenarios, history, folder is not null, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            if (folder is null) File.Delete(history);
        }
        var result = Assemble(segments, scenarios);
        ComparisonResult? comparison = null;
        if (options.Baseline is { } baseline)
        {
            comparison = RunComparison.Compare(baseline.Result, result, baseline.Options);
            result = result with { Baseline = Runner.Judge(comparison, baseline.Path) };
        }
        if (folder is not null) await ReportFolder.WriteAsync(result, folder, options.JUnit, comparison, options.Baseline?.Result, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static RunResult Assemble(IReadOnlyList<SegmentResult> segments, List<ScenarioResult> scenarios) => new()
    {
        Environment = segments[0].Result.Environment,
        StartedAt = segments.Min(s => s.Result.StartedAt),
        FinishedAt = segments.Max(s => s.Result.FinishedAt),
        Interrupted = segments.Any(s => s.Result.Interrupted),
        Scenarios = scenarios,
        Segments = [.. segments.Select(Row)],
    };

    private static SegmentRow Row(SegmentResult segment) => new()
    {
        Index = segment.Info.Index,
        Host = segment.Result.Environment.MachineName,
        Source = segment.Folder,
        StartedAt = segment.Result.StartedAt,
        StartSkewSeconds = segment.Info.StartSkewSeconds,
        Counts = ScenarioMerge.SumCounts(segment.Result.Scenarios.Select(s => s.Counts)),
    };

    private static async Task<ScenarioResult> MergeScenarioAsync(IReadOnlyList<SegmentResult> segments, int index, IReadOnlyList<Scenario>? declared,
        string historyPath, bool keepHistory, CancellationToken cancellationToken)
    {
        var parts = ScenarioMerge.Parts(segments, index);
        var scenario = declared?.FirstOrDefault(s => s.Name == parts[0].Scenario.Name);
        var windowed = (scenario?.Thresholds ?? [.. parts[0].Scenario.Config.Thresholds.Select(Threshold.Of)]).Any(t => t.Window is not null);
        var merged = ScenarioMerge.Figures(parts, windowed);
        var draft = merged.Draft;
        var warnings = draft.Warnings.ToList();
        var (history, historyStart) = UniteHistories(segments, parts, draft.Name, historyPath, keepHistory);
        // The target's own check or repair, deferred by every segment, runs once before anything reads its final state.
        var recovery = scenario?.Recovery is { } step ? await ScenarioEngine.RecoverAsync(step, ScenarioClock.System).ConfigureAwait(false) : draft.Recovery;
        var verifications = await VerifyAsync(scenario, declared is not null, draft, history is null ? null : historyPath, historyStart, warnings, cancellationToken).ConfigureAwait(false);
        var thresholds = scenario?.Thresholds ?? [.. draft.Config.Thresholds.Select(Threshold.Of)];
        draft = draft with
        {
            // The scenario file, when given, says the validity tolerances as it says the thresholds; else the segments' echo.
            Config = draft.Config with { Thresholds = [.. thresholds.Select(t => t.Expression)], Validity = scenario is null ? draft.Config.Validity : scenario.Validity.ToConfig() },
            History = history,
            Verifications = verifications,
            Warnings = warnings,
            Recovery = recovery,
        };
        var source = new ScenarioMetricSource(draft, merged.Latency);
        draft = draft with { Thresholds = ResultBuilder.Judge(thresholds, source, new SecondSeries(draft.Timeline, merged.SecondLatency, draft.IssuingSeconds)) };
        return ScenarioVerdict.Judge(draft, Ending(parts, thresholds.Count));
    }

    /// <summary>The union of the segments' histories of one scenario, appended to the merged history; null when no segment recorded one.</summary>
    private static (HistoryInfo? Info, long Start) UniteHistories(IReadOnlyList<SegmentResult> segments, List<ScenarioMerge.Part> parts, string scenario, string path, bool keep)
    {
        if (parts.All(p => p.Scenario.History is null)) return (null, 0);
        var sources = segments.Select((s, i) => new HistoryUnion.Part(s.History, (long)Math.Round(parts[i].OffsetSeconds * 1_000_000))).ToList();
        var written = HistoryUnion.Append(path, scenario, sources);
        var info = new HistoryInfo
        {
            File = keep ? Path.GetFullPath(path) : null,
            Entries = written.Entries,
            Faults = written.Faults,
            StallSeconds = Math.Round(parts.Sum(p => p.Scenario.History?.StallSeconds ?? 0), 6),
        };
        return (info, written.StartOffset);
    }

    /// <summary>
    /// The scenario's verifiers run once over the union of the histories, each with one final read. Without the scenario
    /// file they cannot run: a warning says so when the segments recorded a history or verified anything.
    /// </summary>
    private static async Task<IReadOnlyList<VerificationResult>?> VerifyAsync(Scenario? scenario, bool fileGiven, ScenarioResult draft, string? historyPath,
        long historyStart, List<Warning> warnings, CancellationToken cancellationToken)
    {
        if (scenario is null)
        {
            if (draft.History is not null || draft.Verifications is not null || historyPath is not null)
                warnings.Add(new(WarningCode.MergeIncomplete, fileGiven
                    ? $"scenario '{draft.Name}' is not in the scenario file given to merge, so its verifiers were not run over the union of the histories; pass the file the segments ran with --file"
                    : $"no scenario file: the verifiers of scenario '{draft.Name}' were not run over the union of the histories, and its thresholds are the ones the segments echo; pass the file the segments ran with --file (or keep scenario.yaml in the first segment's folder)"));
            return null;
        }
        if (scenario.Verifiers.Count == 0) return null;
        return await VerifierRunner.RunAsync(scenario.Verifiers, historyPath, draft.Name, historyStart, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How the segments ended: interrupted when any was, the deadline's reason when any reached it.</summary>
    private static ScenarioVerdict.Ending Ending(List<ScenarioMerge.Part> parts, int thresholdCount) => new(
        parts.Any(p => p.Scenario.Verdict == Verdict.Interrupted),
        parts.SelectMany(p => p.Scenario.Reasons).FirstOrDefault(r => r.Code == ReasonCode.DeadlineReached),
        thresholdCount);
}
