using System.Text.Json;
using Gauntlet.Results;
using Gauntlet.Verification;

namespace Gauntlet.Merging;

/// <summary>
/// Writes one scenario's history as the one machine would have: the segments' entries on the merged clock (each
/// segment's times moved by how much later than the merged start it began), in completion order, into the merged
/// history.jsonl. Streams: each segment's file is read one line at a time and the segments are interleaved by a k-way
/// merge, so memory holds one entry per segment, whatever the histories' size.
/// </summary>
internal static class HistoryUnion
{
    /// <summary>One segment's history file and how many microseconds after the merged start the segment began.</summary>
    public sealed record Part(string Path, long OffsetMicros);

    /// <summary>What was written: where the scenario's lines start, and how many operations and faults they hold.</summary>
    public sealed record Written(long StartOffset, long Entries, long Faults);

    /// <summary>Appends the union of <paramref name="parts"/>' entries of <paramref name="scenario"/> to <paramref name="path"/>.</summary>
    public static Written Append(string path, string scenario, IReadOnlyList<Part> parts)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        var start = file.Position;
        using var json = new Utf8JsonWriter(file, HistoryLog.WriterOptions);
        var name = JsonEncodedText.Encode(scenario);
        long entries = 0, faults = 0;
        foreach (var entry in InCompletionOrder(scenario, parts))
        {
            HistoryLog.WriteLine(json, file, name, entry);
            if (entry.IsFault) faults++;
            else entries++;
        }
        file.Flush(flushToDisk: true);
        return new Written(start, entries, faults);
    }

    /// <summary>Every part's entries of the scenario, moved to the merged clock, smallest completion first.</summary>
    private static IEnumerable<HistoryEntry> InCompletionOrder(string scenario, IReadOnlyList<Part> parts)
    {
        var readers = parts.Where(p => File.Exists(p.Path))
            .Select(p => (Entries: HistoryReader.Read(p.Path, scenario).GetEnumerator(), p.OffsetMicros)).ToList();
        try
        {
            var next = new PriorityQueue<int, (long Complete, int Reader)>();
            for (var i = 0; i < readers.Count; i++) Advance(readers, i, next);
            while (next.TryDequeue(out var i, out _))
            {
                yield return Shifted(readers[i].Entries.Current, readers[i].OffsetMicros);
                Advance(readers, i, next);
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Entries.Dispose();
        }
    }

    private static void Advance(List<(IEnumerator<HistoryEntry> Entries, long OffsetMicros)> readers, int i, PriorityQueue<int, (long, int)> next)
    {
        if (readers[i].Entries.MoveNext()) next.Enqueue(i, (readers[i].Entries.Current.CompleteMicros + readers[i].OffsetMicros, i));
    }

    private static HistoryEntry Shifted(HistoryEntry entry, long offsetMicros) =>
        entry with { InvokeMicros = entry.InvokeMicros + offsetMicros, CompleteMicros = entry.CompleteMicros + offsetMicros };
}
