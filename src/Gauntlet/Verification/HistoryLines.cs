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
        if (TryParseAsWritten(bytes, out var belongs)) return belongs;
        line.Clear();
        Scenario = _scenario;
        return ParseJson(bytes);
    }

    /// <summary>
    /// The line exactly as <see cref="HistoryLog.WriteLine"/> writes it (its properties in its order, no white space, no
    /// escapes, integers without fraction or exponent), read by matching the fixed parts and scanning the strings, in about
    /// half the time a JSON tokenizer alone takes over the same lines (bench/results/verify.md's history), and reading is
    /// most of a history check's time. Anything else
    /// (another order, spaces, an escape, invalid UTF-8, an unknown outcome, a huge number) returns false, and the line
    /// goes to <see cref="ParseJson"/>, which reads any valid JSON and names what is wrong with the rest.
    /// </summary>
    private bool TryParseAsWritten(ReadOnlySpan<byte> bytes, out bool belongs)
    {
        belongs = false;
        var line = Current;
        var at = 0;
        if (!Literal(bytes, ref at, "{\"scenario\":\""u8) || !Text(bytes, ref at, out var scenario)) return false;
        if (_scenarioUtf8 is not null)
        {
            // Another scenario's line: skipped as the JSON path skips it, without reading the rest.
            if (!scenario.SequenceEqual(_scenarioUtf8)) return true;
        }
        else if (_names)
        {
            if (_scenarios.Find(scenario) is not { } name) return false;
            Scenario = name;
        }
        if (!Literal(bytes, ref at, ",\"id\":"u8) || !Integer(bytes, ref at, out var id)) return false;
        if (!Literal(bytes, ref at, ",\"worker\":"u8) || !Integer(bytes, ref at, out var worker) || worker is < int.MinValue or > int.MaxValue) return false;
        if (!Literal(bytes, ref at, ",\"f\":\""u8) || !Text(bytes, ref at, out var function) || _functions.Find(function) is not { } functionName) return false;
        if (!Literal(bytes, ref at, ",\"value\":"u8)) return false;
        if (!Literal(bytes, ref at, "null"u8))
        {
            if (!Literal(bytes, ref at, "\""u8) || !Text(bytes, ref at, out var value) || !line.TrySetValue(value)) return false;
        }
        if (!Literal(bytes, ref at, ",\"invoke\":"u8) || !Integer(bytes, ref at, out var invoke)) return false;
        if (!Literal(bytes, ref at, ",\"complete\":"u8) || !Integer(bytes, ref at, out var complete)) return false;
        if (!Literal(bytes, ref at, ",\"outcome\":\""u8) || !Text(bytes, ref at, out var outcome)) return false;
        if (outcome.SequenceEqual(HistoryLog.Names.Ok.EncodedUtf8Bytes)) line.Outcome = HistoryOutcome.Ok;
        else if (outcome.SequenceEqual(HistoryLog.Names.Failed.EncodedUtf8Bytes)) line.Outcome = HistoryOutcome.Failed;
        else if (outcome.SequenceEqual(HistoryLog.Names.Indeterminate.EncodedUtf8Bytes)) line.Outcome = HistoryOutcome.Indeterminate;
        else return false;
        if (Literal(bytes, ref at, ",\"error\":\""u8) && (!Text(bytes, ref at, out var error) || !line.TrySetError(error))) return false;
        if (!Literal(bytes, ref at, "}"u8) || at != bytes.Length) return false;
        line.Id = id;
        line.Worker = (int)worker;
        line.Function = functionName;
        line.InvokeMicros = invoke;
        line.CompleteMicros = complete;
        belongs = true;
        return true;
    }

    /// <summary>Steps over <paramref name="expected"/> when the line goes on with it.</summary>
    private static bool Literal(ReadOnlySpan<byte> bytes, ref int at, ReadOnlySpan<byte> expected)
    {
        if (!bytes[at..].StartsWith(expected)) return false;
        at += expected.Length;
        return true;
    }

    /// <summary>A string's bytes up to its closing quote (the opening one already read); false when it holds an escape or a control character.</summary>
    private static bool Text(ReadOnlySpan<byte> bytes, ref int at, out ReadOnlySpan<byte> text)
    {
        text = default;
        // A plain loop: the strings of a history are short, and this needs no library code warmed up by the JIT first.
        for (var end = at; end < bytes.Length; end++)
        {
            var b = bytes[end];
            if (b == (byte)'"')
            {
                text = bytes[at..end];
                at = end + 1;
                return true;
            }
            if (b == (byte)'\\' || b < 0x20) return false;
        }
        return false;
    }

    /// <summary>The most digits an <see cref="Integer"/> may have: eighteen never overflow a long; longer numbers go to the JSON path.</summary>
    private const int MaxDigits = 18;

    /// <summary>A JSON integer: an optional minus, then digits without a leading zero.</summary>
    private static bool Integer(ReadOnlySpan<byte> bytes, ref int at, out long value)
    {
        value = 0;
        var negative = at < bytes.Length && bytes[at] == (byte)'-';
        var first = negative ? at + 1 : at;
        var end = first;
        while (end < bytes.Length && (uint)(bytes[end] - '0') <= 9)
        {
            value = value * 10 + (bytes[end] - '0');
            end++;
        }
        var digits = end - first;
        if (digits == 0 || digits > MaxDigits || (digits > 1 && bytes[first] == (byte)'0')) return false;
        if (negative) value = -value;
        at = end;
        return true;
    }

    /// <summary>Any valid JSON object: properties in any order, white space, escapes. Problems throw with the file and line.</summary>
    private bool ParseJson(ReadOnlySpan<byte> bytes)
    {
        var line = Current;
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

        /// <summary>The string whose UTF-8 bytes are <paramref name="utf8"/> (as written, no escapes); null when they are not valid UTF-8.</summary>
        public string? Find(ReadOnlySpan<byte> utf8)
        {
            for (var i = 0; i < _known.Count; i++)
                if (utf8.SequenceEqual(_known[i].Utf8)) return _known[i].Text;
            if (!System.Text.Unicode.Utf8.IsValid(utf8)) return null;
            var text = Encoding.UTF8.GetString(utf8);
            if (_known.Count < KnownNames) _known.Add((utf8.ToArray(), text));
            return text;
        }

        /// <summary>The string of the reader's current token: a string, or null for null.</summary>
        /// <remarks>Bytes that are not UTF-8 go to the reader, which throws for them as it does for any string.</remarks>
        public string? Get(ref Utf8JsonReader reader) =>
            reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped ? reader.GetString() : Find(reader.ValueSpan) ?? reader.GetString();
    }
}
