using System.Buffers;
using System.Text.Json;
using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>
/// Reads a history file written by <see cref="HistoryLog"/> back, one entry at a time, so that verifying a history
/// of millions of operations holds one line in memory, not the history.
/// </summary>
public static class HistoryReader
{
    /// <summary>
    /// The entries of <paramref name="scenario"/> (every scenario's when null) in <paramref name="path"/>, in file order,
    /// from byte <paramref name="offset"/> on. A line that is not a history entry throws <see cref="InvalidDataException"/>
    /// naming the file and line.
    /// </summary>
    public static IEnumerable<HistoryEntry> Read(string path, string? scenario = null, long offset = 0)
    {
        foreach (var (entry, _, _) in ReadLines(path, scenario, offset, names: false)) yield return entry;
    }

    /// <summary>
    /// As <see cref="Read"/>, with each entry's line number (from 1, counted from <paramref name="offset"/>) and, when
    /// <paramref name="names"/> is true, its scenario's name (which costs a string per line).
    /// </summary>
    internal static IEnumerable<(HistoryEntry Entry, long Line, string? Scenario)> ReadLines(string path, string? scenario = null, long offset = 0, bool names = true)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1 << 16);
        file.Position = offset;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var filled = 0;
            var lineNumber = 0L;
            while (true)
            {
                var read = file.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                var start = 0;
                while (true)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start);
                    if (newline < 0) break;
                    lineNumber++;
                    if (newline > start && TryParse(buffer.AsSpan(start, newline - start), scenario, names, path, lineNumber, out var entry, out var name))
                        yield return (entry, lineNumber, name);
                    start = newline + 1;
                }
                if (read == 0)
                {
                    // A last line without a newline is still a line.
                    if (start < filled && TryParse(buffer.AsSpan(start, filled - start), scenario, names, path, lineNumber + 1, out var last, out var name))
                        yield return (last, lineNumber + 1, name);
                    yield break;
                }
                // Keep the partial line; grow the buffer when one line does not fit.
                var rest = filled - start;
                if (start == 0 && rest == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, rest);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                else if (rest > 0) Buffer.BlockCopy(buffer, start, buffer, 0, rest);
                filled = rest;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> line, string? scenario, bool names, string path, long lineNumber, out HistoryEntry entry, out string? name)
    {
        entry = default;
        name = scenario;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a JSON object");
            string? function = null, value = null, error = null;
            long id = 0, invoke = 0, complete = 0;
            var worker = 0;
            var outcome = HistoryOutcome.Indeterminate;
            var matches = scenario is null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(HistoryLog.Names.Scenario.EncodedUtf8Bytes))
                {
                    reader.Read();
                    if (scenario is null) name = names ? reader.GetString() : null;
                    else
                    {
                        if (!reader.ValueTextEquals(scenario)) return false;
                        matches = true;
                    }
                }
                else if (reader.ValueTextEquals(HistoryLog.Names.Id.EncodedUtf8Bytes)) { reader.Read(); id = reader.GetInt64(); }
                else if (reader.ValueTextEquals(HistoryLog.Names.Worker.EncodedUtf8Bytes)) { reader.Read(); worker = reader.GetInt32(); }
                else if (reader.ValueTextEquals(HistoryLog.Names.Function.EncodedUtf8Bytes)) { reader.Read(); function = reader.GetString(); }
                else if (reader.ValueTextEquals(HistoryLog.Names.Value.EncodedUtf8Bytes)) { reader.Read(); value = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); }
                else if (reader.ValueTextEquals(HistoryLog.Names.Invoke.EncodedUtf8Bytes)) { reader.Read(); invoke = reader.GetInt64(); }
                else if (reader.ValueTextEquals(HistoryLog.Names.Complete.EncodedUtf8Bytes)) { reader.Read(); complete = reader.GetInt64(); }
                else if (reader.ValueTextEquals(HistoryLog.Names.Error.EncodedUtf8Bytes)) { reader.Read(); error = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); }
                else if (reader.ValueTextEquals(HistoryLog.Names.Outcome.EncodedUtf8Bytes))
                {
                    reader.Read();
                    outcome = reader.ValueTextEquals(HistoryLog.Names.Ok.EncodedUtf8Bytes) ? HistoryOutcome.Ok
                        : reader.ValueTextEquals(HistoryLog.Names.Failed.EncodedUtf8Bytes) ? HistoryOutcome.Failed
                        : reader.ValueTextEquals(HistoryLog.Names.Indeterminate.EncodedUtf8Bytes) ? HistoryOutcome.Indeterminate
                        : throw new JsonException($"unknown outcome '{reader.GetString()}'; expected ok, failed or indeterminate");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (!matches) return false;
            entry = new HistoryEntry(id, worker, function ?? "op", value, invoke, complete, outcome, error);
            return true;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: not a history entry: {exception.Message}", exception);
        }
    }
}
