namespace Gauntlet.Merging;

/// <summary>
/// Collects the segments' results as a merge needs them: at once (every folder must already hold results), or with
/// <c>--wait</c>, polling the folders every <see cref="PollInterval"/> on the given clock until segments 0 .. n-1 have
/// each written a complete result.json (n read from the first found; results are written atomically, so one that
/// exists is complete), or until the wait is over, then refusing with the segments still missing.
/// </summary>
internal sealed class SegmentWait(TimeProvider time, TimeSpan? wait)
{
    /// <summary>How often the folders are looked at while waiting.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, SegmentResult> _read = new(StringComparer.Ordinal);

    /// <summary>The checked segments, ordered by index.</summary>
    public async Task<IReadOnlyList<SegmentResult>> CollectAsync(IReadOnlyList<string> folders, CancellationToken cancellationToken)
    {
        if (wait is not { } limit)
            return SegmentResults.Check(await ReadNewAsync(SegmentResults.Find(folders, requireEach: true), cancellationToken).ConfigureAwait(false), folders);
        var start = time.GetTimestamp();
        while (true)
        {
            var segments = await ReadNewAsync(SegmentResults.Find(folders, requireEach: false), cancellationToken).ConfigureAwait(false);
            if (segments.Count > 0 && SegmentResults.Missing(segments).Count == 0) return SegmentResults.Check(segments, folders);
            if (time.GetElapsedTime(start) >= limit) throw TimedOut(segments, folders, limit);
            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every result found so far; each file is read once (a result is written atomically and never changes).</summary>
    private async Task<IReadOnlyList<SegmentResult>> ReadNewAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
            if (!_read.ContainsKey(file)) _read[file] = await SegmentResults.ReadAsync(file, cancellationToken).ConfigureAwait(false);
        return [.. files.Select(f => _read[f])];
    }

    private static SegmentMergeException TimedOut(IReadOnlyList<SegmentResult> segments, IReadOnlyList<string> folders, TimeSpan limit)
    {
        var where = string.Join(", ", folders);
        if (segments.Count == 0)
            return new SegmentMergeException($"waited {Format.Duration(limit)} and no segment wrote its result.json in {where}; check that the segments ran and write there, or wait longer.", folders.FirstOrDefault());
        var missing = SegmentResults.Missing(segments);
        return new SegmentMergeException($"waited {Format.Duration(limit)}: {SegmentResults.Describe(missing, segments[0].Info.Count)} still missing; found {SegmentResults.Found(segments)} in {where}. Check the missing segments' logs, or wait longer.", folders.FirstOrDefault());
    }
}
