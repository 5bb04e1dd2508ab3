using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gauntlet.Results;

/// <summary>
/// Reads and writes <see cref="RunResult"/> documents (the format is described in <c>docs/result-schema.md</c>).
/// Writing is atomic: a reader never sees a half-written file. Reading refuses, with a
/// <see cref="ResultFileException"/> that says where and what, any text that is not a result this version understands.
/// </summary>
public static partial class ResultFile
{
    private const string SchemaVersionName = "schemaVersion";

    /// <summary>The result as indented JSON (camelCase names, enums as camelCase strings, nulls left out).</summary>
    /// <param name="result">The result to write.</param>
    /// <returns>The JSON text, without a trailing newline.</returns>
    public static string Serialize(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(result, ResultJson.ForWriting);
    }

    /// <summary>Reads a result from JSON text.</summary>
    /// <param name="json">The JSON text of a result document.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ResultFileException">
    /// The text is not valid JSON, does not match the schema, or has a <c>schemaVersion</c> that is missing,
    /// invalid or newer than <see cref="RunResult.CurrentSchemaVersion"/>.
    /// </exception>
    public static RunResult Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(json, filePath: null);
    }

    /// <summary>
    /// Writes the result to <paramref name="path"/> atomically: to a temp file in the same folder, flushed to disk,
    /// then renamed over the target. Creates the folder if missing. On failure the previous file is left intact.
    /// </summary>
    /// <param name="result">The result to write.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="cancellationToken">Cancels the write; the previous file is then left intact.</param>
    public static Task WriteAsync(RunResult result, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return AtomicFile.WriteAllTextAsync(path, Serialize(result) + "\n", cancellationToken);
    }

    /// <summary>Reads a result file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ResultFileException">The file is missing or unreadable, or its content is not a result this version understands.</exception>
    public static async Task<RunResult> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        Deserialize(await ReadTextAsync(path, cancellationToken).ConfigureAwait(false), path);

    /// <summary>
    /// Reads any <c>result.json</c> Gauntlet writes: a stress run's (<c>gauntlet run</c>, searches included) as
    /// <c>Run</c>, or a test run's (<c>"kind": "test-run"</c>, <c>gauntlet test</c>) as <c>Tests</c>;
    /// exactly one of them is set. Throws <see cref="ResultFileException"/> as <see cref="ReadAsync"/> does.
    /// </summary>
    internal static async Task<(RunResult? Run, TestRunResult? Tests)> ReadAnyAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        return IsTestRun(json) ? (null, DeserializeTestRun(json, path)) : (Deserialize(json, path), null);
    }

    /// <summary>True when the text is a JSON object whose top-level <c>kind</c> is <c>test-run</c>.</summary>
    private static bool IsTestRun(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "test-run";
        }
        catch (JsonException)
        {
            return false; // the run reader reports the syntax error with its line and column
        }
    }

    private static TestRunResult DeserializeTestRun(string json, string path)
    {
        try
        {
            var result = TestResultJson.Deserialize(json) ?? throw ResultFileException.At("the document is 'null'; expected a test-run object.", path, 1, 1, null);
            if (result.SchemaVersion > TestRunResult.CurrentSchemaVersion)
                throw ResultFileException.At($"schemaVersion {result.SchemaVersion} of this test run is newer than this Gauntlet understands (up to {TestRunResult.CurrentSchemaVersion}); "
                    + "read it with the Gauntlet version that wrote it, or upgrade.", path, null, null, "$.schemaVersion");
            return result;
        }
        catch (JsonException e)
        {
            throw ResultFileException.At(WithoutPosition(e.Message) + " The document does not match the test-run schema (see docs/testing.md).",
                path, e.LineNumber is { } line ? (int)line + 1 : null, e.BytePositionInLine is { } column ? (int)column + 1 : null, e.Path, e);
        }
    }

    private static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ResultFileException.At("no such file. Check the path, or run the scenario first to produce it.", path, null, null, null, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ResultFileException.At($"cannot read the file: {e.Message}", path, null, null, null, e);
        }
        return json;
    }

    internal static RunResult Deserialize(string json, string? filePath)
    {
        // Work on UTF-8 bytes so that the reader's byte positions can be turned back into line and column.
        var utf8 = Encoding.UTF8.GetBytes(json.StartsWith('\uFEFF') ? json[1..] : json);
        var isValidJson = false;
        try
        {
            CheckSyntaxAndSchemaVersion(utf8, filePath);
            isValidJson = true;
            return JsonSerializer.Deserialize(utf8, ResultJson.ForReading)
                ?? throw ResultFileException.At("the document is 'null'; expected a result object.", filePath, 1, 1, null);
        }
        catch (JsonException e)
        {
            int? line = null, column = null;
            if (e.LineNumber is { } lineIndex)
                (line, column) = LineAndColumn(utf8, OffsetOf(utf8, lineIndex, e.BytePositionInLine ?? 0));
            var hint = isValidJson
                ? " The document does not match the result schema (see docs/result-schema.md)."
                : " The text is not valid JSON; was the file cut short or edited by hand?";
            var problem = (isValidJson ? Mismatch.Describe(utf8, e.Path) : null) ?? WithoutPosition(e.Message);
            throw ResultFileException.At(problem + hint, filePath, line, column, isValidJson ? e.Path : null, e);
        }
    }

    // One pass over the whole text: it finds syntax errors before any binding (so they are reported as such),
    // and checks the top-level schemaVersion first, so that a document from a newer Gauntlet is refused for
    // what it is instead of failing on whatever field happens to have changed.
    private static void CheckSyntaxAndSchemaVersion(ReadOnlySpan<byte> utf8, string? filePath)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read(); // throws on empty text
        if (reader.TokenType != JsonTokenType.StartObject)
            throw ResultFileException.At($"the document is a JSON {Describe(reader.TokenType)}; expected a result object.", filePath, 1, 1, null);

        var hasVersion = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isVersion = reader.ValueTextEquals(SchemaVersionName);
            reader.Read();
            if (isVersion)
            {
                CheckSchemaVersion(ref reader, utf8, filePath);
                hasVersion = true;
            }
            reader.Skip();
        }
        while (reader.Read())
        {
            // Anything after the top-level object other than white space makes the reader throw.
        }
        if (!hasVersion)
            throw ResultFileException.At($"the document has no top-level '{SchemaVersionName}'; it is not a Gauntlet result.", filePath, 1, 1, null);
    }

    private static void CheckSchemaVersion(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, string? filePath)
    {
        var (line, column) = LineAndColumn(utf8, reader.TokenStartIndex);
        const string path = "$." + SchemaVersionName;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version))
            throw ResultFileException.At($"{SchemaVersionName} must be a whole number, found {Describe(reader.TokenType)}.", filePath, line, column, path);
        if (version > RunResult.CurrentSchemaVersion)
            throw ResultFileException.At(
                $"{SchemaVersionName} {version} is newer than this Gauntlet understands (up to {RunResult.CurrentSchemaVersion}); " +
                "read it with the Gauntlet version that wrote it, or upgrade.", filePath, line, column, path);
        if (version < 1)
            throw ResultFileException.At($"{SchemaVersionName} {version} is not valid; versions start at 1.", filePath, line, column, path);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number that is not a whole number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    // System.Text.Json appends "Path: $.x | LineNumber: 0 | BytePositionInLine: 5." to its messages; the
    // exception carries those as separate, 1-based figures, so the message keeps only what is wrong.
    private static string WithoutPosition(string message)
    {
        var missing = MissingRequired().Match(message);
        if (missing.Success)
        {
            var names = missing.Groups["names"].Value;
            return names.Contains(',', StringComparison.Ordinal) ? $"required members {names} are missing." : $"required member {names} is missing.";
        }

        var cut = message.Length;
        foreach (var marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: "])
        {
            var index = message.IndexOf(marker, StringComparison.Ordinal);
            if (index >= 0 && index < cut) cut = index;
        }
        return message[..cut].TrimEnd();
    }

    [GeneratedRegex("missing required properties including: (?<names>.*?)\\.?$")]
    private static partial Regex MissingRequired();

    private static long OffsetOf(ReadOnlySpan<byte> utf8, long lineIndex, long bytePositionInLine)
    {
        long offset = 0;
        for (long line = 0; line < lineIndex; line++)
        {
            var next = utf8[(int)offset..].IndexOf((byte)'\n');
            if (next < 0) break;
            offset += next + 1;
        }
        return Math.Min(offset + bytePositionInLine, utf8.Length);
    }

    /// <summary>1-based line and character column of a byte offset in UTF-8 text.</summary>
    internal static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> utf8, long offset)
    {
        var before = utf8[..(int)Math.Clamp(offset, 0, utf8.Length)];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return (line, column);
    }
}
