using System.Buffers;
using System.Text.Json;
using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>
/// One line of a history file as <see cref="HistoryLines"/> read it, reused for every line: the value and the error
/// stay as characters in the reader's buffers and become strings only when asked (<see cref="Value"/>,
/// <see cref="Error"/>), so a verifier that looks values up by <see cref="ValueSpan"/> reads a history of millions of
/// operations without a string per line. Valid until the next line is read.
/// </summary>
internal sealed class HistoryLine : IDisposable
{
    private const int InitialChars = 256;

    private char[] _value = ArrayPool<char>.Shared.Rent(InitialChars);
    private char[] _error = ArrayPool<char>.Shared.Rent(InitialChars);
    private int _valueLength = -1;
    private int _errorLength = -1;
    private string? _valueText;
    private string? _errorText;

    public long Id { get; internal set; }
    public int Worker { get; internal set; }

    /// <summary>The function, one string per distinct name in the file (see <see cref="HistoryLines"/>).</summary>
    public string Function { get; internal set; } = "op";

    public long InvokeMicros { get; internal set; }
    public long CompleteMicros { get; internal set; }
    public HistoryOutcome Outcome { get; internal set; }

    /// <summary>True for an injected fault rather than an operation (see <see cref="HistoryEntry.IsFault"/>).</summary>
    public bool IsFault => Id == 0 && Function.StartsWith(HistoryEntry.FaultPrefix, StringComparison.Ordinal);

    /// <summary>False when the line's value is null or absent.</summary>
    public bool HasValue => _valueLength >= 0;

    /// <summary>The value's characters (unescaped); empty when there is none.</summary>
    public ReadOnlySpan<char> ValueSpan => _valueLength < 0 ? default : _value.AsSpan(0, _valueLength);

    /// <summary>The value as a string, made on first use for this line.</summary>
    public string? Value => _valueLength < 0 ? null : _valueText ??= new string(_value, 0, _valueLength);

    /// <summary>The error as a string, made on first use for this line.</summary>
    public string? Error => _errorLength < 0 ? null : _errorText ??= new string(_error, 0, _errorLength);

    /// <summary>The line as a <see cref="HistoryEntry"/>, which holds its value and error as strings.</summary>
    public HistoryEntry ToEntry() => new(Id, Worker, Function, Value, InvokeMicros, CompleteMicros, Outcome, Error);

    /// <summary>Forgets the previous line: every field back to what an absent property means.</summary>
    internal void Clear()
    {
        Id = 0;
        Worker = 0;
        Function = "op";
        InvokeMicros = 0;
        CompleteMicros = 0;
        Outcome = HistoryOutcome.Indeterminate;
        _valueLength = -1;
        _errorLength = -1;
        _valueText = null;
        _errorText = null;
    }

    /// <summary>Takes the value from <paramref name="reader"/>'s current token: a string, or null.</summary>
    internal void ReadValue(ref Utf8JsonReader reader) => _valueLength = ReadText(ref reader, ref _value, "value");

    /// <summary>Takes the error from <paramref name="reader"/>'s current token: a string, or null.</summary>
    internal void ReadError(ref Utf8JsonReader reader) => _errorLength = ReadText(ref reader, ref _error, "error");

    /// <summary>Takes the value from its UTF-8 bytes as written (no escapes); false when they are not valid UTF-8.</summary>
    internal bool TrySetValue(ReadOnlySpan<byte> utf8) => TryDecode(utf8, ref _value, out _valueLength);

    /// <summary>Takes the error from its UTF-8 bytes as written (no escapes); false when they are not valid UTF-8.</summary>
    internal bool TrySetError(ReadOnlySpan<byte> utf8) => TryDecode(utf8, ref _error, out _errorLength);

    private static bool TryDecode(ReadOnlySpan<byte> utf8, ref char[] buffer, out int length)
    {
        length = -1;
        if (buffer.Length < utf8.Length)
        {
            ArrayPool<char>.Shared.Return(buffer);
            buffer = ArrayPool<char>.Shared.Rent(utf8.Length);
        }
        if (System.Text.Unicode.Utf8.ToUtf16(utf8, buffer, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done) return false;
        length = written;
        return true;
    }

    /// <summary>The length of the unescaped string copied into <paramref name="buffer"/>, or -1 for null.</summary>
    private static int ReadText(ref Utf8JsonReader reader, ref char[] buffer, string property)
    {
        if (reader.TokenType == JsonTokenType.Null) return -1;
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"'{property}' must be a string or null; found {Describe(reader.TokenType)}");
        // An escaped string is never longer unescaped, and a UTF-8 byte is never more than one UTF-16 char.
        var bytes = reader.ValueSpan.Length;
        if (buffer.Length < bytes)
        {
            ArrayPool<char>.Shared.Return(buffer);
            buffer = ArrayPool<char>.Shared.Rent(bytes);
        }
        return reader.CopyString(buffer);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true or false",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_value);
        ArrayPool<char>.Shared.Return(_error);
        _value = _error = [];
    }
}
