namespace Gauntlet.Results;

/// <summary>
/// A result document could not be read: the file is missing or unreadable, the text is not valid JSON, it does
/// not match the result schema, or its <c>schemaVersion</c> is newer than this Gauntlet understands.
/// The message says where (file, line, column, JSON path), what is wrong, and what to do about it.
/// </summary>
public sealed class ResultFileException : Exception
{
    /// <summary>Creates the exception with a complete message and no location.</summary>
    public ResultFileException(string message) : this(message, problem: message, filePath: null, line: null, column: null, jsonPath: null, inner: null)
    {
    }

    /// <summary>Creates the exception with a complete message and the error that caused it.</summary>
    public ResultFileException(string message, Exception innerException) : this(message, problem: message, filePath: null, line: null, column: null, jsonPath: null, innerException)
    {
    }

    private ResultFileException(string message, string problem, string? filePath, int? line, int? column, string? jsonPath, Exception? inner)
        : base(message, inner)
    {
        Problem = problem;
        FilePath = filePath;
        Line = line;
        Column = column;
        JsonPath = jsonPath;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>The file that was read, when the document came from a file.</summary>
    public string? FilePath { get; }

    /// <summary>Line of the problem, counted from 1, when known.</summary>
    public int? Line { get; }

    /// <summary>Column of the problem in characters, counted from 1, when known.</summary>
    public int? Column { get; }

    /// <summary>JSON path of the offending value, e.g. <c>$.scenarios[0].verdict</c>, when known.</summary>
    public string? JsonPath { get; }

    /// <summary>Builds the exception and its message, <c>file: line L, column C (at $.path): problem</c>.</summary>
    internal static ResultFileException At(string problem, string? filePath, int? line, int? column, string? jsonPath, Exception? inner = null)
    {
        var where = filePath ?? "result JSON";
        if (line is not null) where += $": line {line}" + (column is null ? "" : $", column {column}");
        if (!string.IsNullOrEmpty(jsonPath) && jsonPath != "$") where += $" (at {jsonPath})";
        return new ResultFileException($"{where}: {problem}", problem, filePath, line, column, jsonPath, inner);
    }
}
