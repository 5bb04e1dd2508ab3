using Gauntlet.Reports;
using Gauntlet.Results;

namespace Gauntlet.Merging;

/// <summary>One segment's result, and the folder it was read from.</summary>
/// <param name="Result">The result; its <see cref="RunResult.Segment"/> is set.</param>
/// <param name="Folder">The result folder (holding result.json, and history.jsonl and scenario.yaml when written).</param>
internal sealed record SegmentResult(RunResult Result, string Folder)
{
    public string File => Path.Combine(Folder, ReportFolder.ResultFileName);

    public SegmentInfo Info => Result.Segment!;

    public string History => Path.Combine(Folder, ReportFolder.HistoryFileName);
}

/// <summary>
/// Finds the segments' results under the folders given to a merge, reads them, and refuses what cannot be merged:
/// an unreadable file, a result that is not a schema-3 segment's, segments of different scenarios or splits, a
/// segment missing or given twice. Every refusal names the file and says what to do.
/// </summary>
internal static class SegmentResults
{
    /// <summary>The oldest result schema a segment may have: 3 added the per-second histograms and fingerprints a merge needs.</summary>
    public const int MinSchemaVersion = 3;

    /// <summary>
    /// The result.json files under <paramref name="folders"/>: a folder's own, or else its subfolders' (a folder holding
    /// segment-0, segment-1, ...). With <paramref name="requireEach"/>, a folder that is missing or holds none is refused.
    /// </summary>
    public static IReadOnlyList<string> Find(IReadOnlyList<string> folders, bool requireEach)
    {
        var files = new List<string>();
        foreach (var folder in folders)
        {
            var found = ResultFilesIn(folder);
            if (found.Count == 0 && requireEach)
                throw new SegmentMergeException(Directory.Exists(folder)
                    ? $"{folder}: holds no {ReportFolder.ResultFileName}, and none of its subfolders does; name the segments' result folders (or a folder holding them), or wait for them with --wait"
                    : $"{folder}: no such folder; name the segments' result folders (or a folder holding them)", folder);
            files.AddRange(found);
        }
        return files;
    }

    private static List<string> ResultFilesIn(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var own = Path.Combine(folder, ReportFolder.ResultFileName);
        if (File.Exists(own)) return [own];
        return [.. Directory.EnumerateDirectories(folder)
            .Select(sub => Path.Combine(sub, ReportFolder.ResultFileName))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads one segment's result; refuses a file that is not a result, or not a schema-3 segment's.</summary>
    public static async Task<SegmentResult> ReadAsync(string file, CancellationToken cancellationToken)
    {
        RunResult result;
        try
        {
            result = await ResultFile.ReadAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (ResultFileException e)
        {
            throw new SegmentMergeException($"{e.Message} Merge needs every segment's complete result.json; run that segment again.", file, e);
        }
        if (result.SchemaVersion < MinSchemaVersion)
            throw new SegmentMergeException($"{file}: schemaVersion {result.SchemaVersion} results cannot be merged; only segments written with schema {MinSchemaVersion} or later (gauntlet run --segment i/n) carry the histograms and fingerprints a merge needs. Run the segments again with this Gauntlet.", file);
        if (result.Segment is null)
            throw new SegmentMergeException($"{file}: not a segment's result (it has no 'segment'); it was written by a whole run. Merge the results of 'gauntlet run FILE --segment i/n'.", file);
        if (result.Scenarios.Any(s => s.Fingerprint is null))
            throw new SegmentMergeException($"{file}: a scenario of this result has no fingerprint, so merge cannot tell that the segments ran the same scenario; run the segments again with this Gauntlet.", file);
        return new SegmentResult(result, Path.GetDirectoryName(Path.GetFullPath(file))!);
    }

    /// <summary>
    /// The segments ordered by index, once checked to be the <c>n</c> segments 0 .. n-1 of one split of one set of
    /// scenarios (same count, same scenario names and fingerprints, each index exactly once).
    /// </summary>
    public static IReadOnlyList<SegmentResult> Check(IReadOnlyList<SegmentResult> segments, IReadOnlyList<string> folders)
    {
        if (segments.Count == 0) throw new SegmentMergeException($"no segment results found in {string.Join(", ", folders)}", folders.FirstOrDefault());
        var first = segments[0];
        foreach (var segment in segments.Skip(1))
        {
            CheckSameSplit(first, segment);
            CheckSameScenarios(first, segment);
        }
        CheckEachIndexOnce(segments, folders);
        return [.. segments.OrderBy(s => s.Info.Index)];
    }

    private static void CheckSameSplit(SegmentResult first, SegmentResult other)
    {
        if (other.Info.Count != first.Info.Count)
            throw new SegmentMergeException($"{other.File}: segment {other.Info} of a split into {other.Info.Count}, but {first.File} is segment {first.Info} of a split into {first.Info.Count}; merge the segments of one split only.", other.File);
    }

    private static void CheckSameScenarios(SegmentResult first, SegmentResult other)
    {
        var expected = first.Result.Scenarios;
        var actual = other.Result.Scenarios;
        if (!expected.Select(s => s.Name).SequenceEqual(actual.Select(s => s.Name), StringComparer.Ordinal))
            throw new SegmentMergeException($"{other.File}: ran scenarios {Names(actual)}, but {first.File} ran {Names(expected)}; the segments of one split run the same scenarios. Merge the segments of one run only.", other.File);
        for (var i = 0; i < expected.Count; i++)
            if (!string.Equals(expected[i].Fingerprint, actual[i].Fingerprint, StringComparison.Ordinal))
                throw new SegmentMergeException($"{other.File}: scenario '{actual[i].Name}' is not the one of {first.File} (fingerprint {actual[i].Fingerprint} against {expected[i].Fingerprint}): the segments ran different scenario files or --set variables. Merge the segments of one run only, or run them again from one file.", other.File);
    }

    private static void CheckEachIndexOnce(IReadOnlyList<SegmentResult> segments, IReadOnlyList<string> folders)
    {
        var count = segments[0].Info.Count;
        foreach (var twice in segments.GroupBy(s => s.Info.Index).Where(g => g.Count() > 1))
        {
            var files = twice.Select(s => s.File).ToList();
            throw new SegmentMergeException($"segment {twice.Key}/{count} is given twice: {string.Join(" and ", files)}; each segment is merged once. Remove the extra copy.", files[^1]);
        }
        var missing = Missing(segments);
        if (missing.Count > 0)
            throw new SegmentMergeException($"{Describe(missing, count)} missing; found {Found(segments)} in {string.Join(", ", folders)}. Merge once every segment has written its result (or wait for them with --wait).", folders.FirstOrDefault());
    }

    /// <summary>The indexes 0 .. n-1 no segment has, n read from the first.</summary>
    public static List<int> Missing(IReadOnlyList<SegmentResult> segments) =>
        segments.Count == 0 ? [] : [.. Enumerable.Range(0, segments[0].Info.Count).Except(segments.Select(s => s.Info.Index))];

    /// <summary><c>segment 2 of 3 is</c>, <c>segments 1, 2 of 4 are</c>.</summary>
    public static string Describe(IReadOnlyList<int> missing, int count) =>
        missing.Count == 1 ? $"segment {missing[0]} of {count} is" : $"segments {string.Join(", ", missing)} of {count} are";

    /// <summary><c>0/3 and 1/3</c>.</summary>
    public static string Found(IReadOnlyList<SegmentResult> segments)
    {
        var names = segments.OrderBy(s => s.Info.Index).Select(s => s.Info.ToString()).ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    private static string Names(IReadOnlyList<ScenarioResult> scenarios) => string.Join(", ", scenarios.Select(s => $"'{s.Name}'"));
}
