using System.Buffers;
using System.Text;
using System.Text.Json;
using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>
/// Reads a history file one line at a time into one reused <see cref="HistoryLine"/>: a pooled byte buffer, a
/// <see cref="Utf8JsonReader"/> per line, and no string per line unless a consumer asks for one. Function and scenario
/// names, a handful of distinct ones in a file, are kept as one string each. Written for speed: verifying a history of
/// a million operations parses a million lines, and this is the loop that does it (see bench/results/verify.md).
/// </summary>
internal sealed class HistoryLines : IDisposable
{
    private const int BufferBytes = 1 << 16;

    /// <summary>Distinct function or scenario names remembered; a file with more gets a new string for each further one.</summary>
    private const int KnownNames = 32;

    private readonly string _path;
    private readonly string? _scenario;
    private readonly byte[]? _scenarioUtf8;
    private readonly bool _names;
    private readonly FileStream _file;
    private readonly NameTable _functions = new([HistoryFunction.Write, HistoryFunction.Add, HistoryFunction.Read, HistoryFunction.Enqueue,
        HistoryFunction.Dequeue, HistoryFunction.CompareAndSet, HistoryFunction.Remove]);
    private readonly NameTable _scenarios = new([]);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int _start;
    private int _filled;
    private bool _ended;

    /// <summary>
    /// Opens <paramref name="path"/> at byte <paramref name="offset"/>; only lines of <paramref name="scenario"/> are read
    /// (every line's when null), and with <paramref name="names"/> each line's <see cref="Scenario"/> is read too.
    /// </summary>
    public HistoryLines(string path, string? scenario, long offset, bool names)
    {
        _path = path;
        _scenario = scenario;
        _scenarioUtf8 = scenario is null ? null : Encoding.UTF8.GetBytes(scenario);
        _names = names;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        _file.Position = offset;
    }

    /// <summary>The line read last; its fields change with every <see cref="Read"/>.</summary>
    public HistoryLine Current { get; } = new();

    /// <summary>The line number of <see cref="Current"/>, from 1, counted from the offset the file was opened at.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The scenario of <see cref="Current"/>: the one asked for, or the line's own when names were asked for; null otherwise.</summary>
    public string? Scenario { get; private set; }

    /// <summary>
    /// Reads the next entry of the scenario into <see cref="Current"/>; false at the end of the file. A line that is not a
    /// history entry throws <see cref="InvalidDataException"/> naming the file and line.
    /// </summary>
    public bool Read()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _filled - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                LineNumber++;
                if (line.Length > 0 && Parse(line)) return true;
                continue;
            }
            if (_ended)
            {
                // A last line without a newline is still a line.
                if (_start == _filled) return false;
                var last = _buffer.AsSpan(_start, _filled - _start);
                _start = _filled;
                LineNumber++;
                if (Parse(last)) return true;
                continue;
            }
            Fill();
        }
    }

    /// <summary>Keeps the partial line at the front of the buffer, growing it when one line does not fit, and reads more after it.</summary>
    private void Fill()
    {
        var rest = _filled - _start;
        if (_start == 0 && rest == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, rest);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (rest > 0 && _start > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, rest);
        _start = 0;
        _filled = rest;
        var read = _file.Read(_buffer, _filled, _buffer.Length - _filled);
        if (read == 0) _ended = true;
        _filled += read;
    }

    /// <summary>Parses one line into <see cref="Current"/>; false when it belongs to another scenario.</summary>
    private bool Parse(ReadOnlySpan<byte> bytes)
    {
        var line = Current;
        line.Clear();
        Scenario = _scenario;
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a JSON object");
            var matches = _scenario is null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = PropertyOf(ref reader);
                reader.Read();
                switch (property)
                {
                    case Property.Scenario:
                        if (_scenarioUtf8 is null)
                        {
                            if (_names) Scenario = _scenarios.Get(ref reader);
                        }
                        else
                        {
                            // ValueTextEquals unescapes, and throws for a token that is not a string.
                            var same = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                                ? reader.ValueSpan.SequenceEqual(_scenarioUtf8)
                                : reader.ValueTextEquals(_scenario);
                            if (!same) return false;
                            matches = true;
                        }
                        break;
                    case Property.Id: line.Id = reader.GetInt64(); break;
                    case Property.Worker: line.Worker = reader.GetInt32(); break;
                    case Property.Function: line.Function = _functions.Get(ref reader) ?? "op"; break;
                    case Property.Value: line.ReadValue(ref reader); break;
                    case Property.Invoke: line.InvokeMicros = reader.GetInt64(); break;
                    case Property.Complete: line.CompleteMicros = reader.GetInt64(); break;
                    case Property.Error: line.ReadError(ref reader); break;
                    case Property.Outcome:
                        line.Outcome = reader.ValueTextEquals(HistoryLog.Names.Ok.EncodedUtf8Bytes) ? HistoryOutcome.Ok
                            : reader.ValueTextEquals(HistoryLog.Names.Failed.EncodedUtf8Bytes) ? HistoryOutcome.Failed
                            : reader.ValueTextEquals(HistoryLog.Names.Indeterminate.EncodedUtf8Bytes) ? HistoryOutcome.Indeterminate
                            : throw new JsonException($"unknown outcome '{reader.GetString()}'; expected ok, failed or indeterminate");
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            return matches;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{_path}:{LineNumber}: not a history entry: {exception.Message}", exception);
        }
    }

    private enum Property { Other, Scenario, Id, Worker, Function, Value, Invoke, Complete, Outcome, Error }

    /// <summary>Which property the reader is on: by length and first byte, then one comparison (the names are fixed; see <see cref="HistoryLog.Names"/>).</summary>
    private static Property PropertyOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped) return PropertyByText(ref reader);
        var name = reader.ValueSpan;
        return name.Length switch
        {
            1 when name[0] == (byte)'f' => Property.Function,
            2 when name.SequenceEqual(HistoryLog.Names.Id.EncodedUtf8Bytes) => Property.Id,
            5 when name.SequenceEqual(HistoryLog.Names.Value.EncodedUtf8Bytes) => Property.Value,
            5 when name.SequenceEqual(HistoryLog.Names.Error.EncodedUtf8Bytes) => Property.Error,
            6 when name.SequenceEqual(HistoryLog.Names.Worker.EncodedUtf8Bytes) => Property.Worker,
            6 when name.SequenceEqual(HistoryLog.Names.Invoke.EncodedUtf8Bytes) => Property.Invoke,
            7 when name.SequenceEqual(HistoryLog.Names.Outcome.EncodedUtf8Bytes) => Property.Outcome,
            8 when name.SequenceEqual(HistoryLog.Names.Scenario.EncodedUtf8Bytes) => Property.Scenario,
            8 when name.SequenceEqual(HistoryLog.Names.Complete.EncodedUtf8Bytes) => Property.Complete,
            _ => Property.Other,
        };
    }

    /// <summary>A property name written with escapes (never by <see cref="HistoryLog"/>, but valid JSON): compared unescaped.</summary>
    private static Property PropertyByText(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals(HistoryLog.Names.Scenario.EncodedUtf8Bytes) ? Property.Scenario
        : reader.ValueTextEquals(HistoryLog.Names.Id.EncodedUtf8Bytes) ? Property.Id
        : reader.ValueTextEquals(HistoryLog.Names.Worker.EncodedUtf8Bytes) ? Property.Worker
        : reader.ValueTextEquals(HistoryLog.Names.Function.EncodedUtf8Bytes) ? Property.Function
        : reader.ValueTextEquals(HistoryLog.Names.Value.EncodedUtf8Bytes) ? Property.Value
        : reader.ValueTextEquals(HistoryLog.Names.Invoke.EncodedUtf8Bytes) ? Property.Invoke
        : reader.ValueTextEquals(HistoryLog.Names.Complete.EncodedUtf8Bytes) ? Property.Complete
        : reader.ValueTextEquals(HistoryLog.Names.Outcome.EncodedUtf8Bytes) ? Property.Outcome
        : reader.ValueTextEquals(HistoryLog.Names.Error.EncodedUtf8Bytes) ? Property.Error
        : Property.Other;

    public void Dispose()
    {
        _file.Dispose();
        Current.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>
    /// The few distinct names a file repeats on every line (functions, scenarios), each kept as one string found by its
    /// UTF-8 bytes. A name past <see cref="KnownNames"/>, or written with escapes, is decoded each time.
    /// </summary>
    private sealed class NameTable(string[] seed)
    {
        private readonly List<(byte[] Utf8, string Text)> _known = [.. seed.Select(name => (Encoding.UTF8.GetBytes(name), name))];

        /// <summary>The string of the reader's current token: a string, or null for null.</summary>
        public string? Get(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return reader.GetString();
            var bytes = reader.ValueSpan;
            for (var i = 0; i < _known.Count; i++)
                if (bytes.SequenceEqual(_known[i].Utf8)) return _known[i].Text;
            var text = reader.GetString()!;
            if (_known.Count < KnownNames) _known.Add((bytes.ToArray(), text));
            return text;
        }
    }
}
