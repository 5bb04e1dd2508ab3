namespace Gauntlet.Merging;

/// <summary>
/// The segment results handed to <see cref="SegmentMerge"/> cannot be merged: a file is unreadable or not a segment's
/// result, the segments come from different scenarios or splits, or a segment is missing or doubled. The message says
/// which file, what is wrong and what to do; the CLI turns it into exit code 2.
/// </summary>
public sealed class SegmentMergeException : Exception
{
    /// <summary>Creates the exception with a complete message.</summary>
    public SegmentMergeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a complete message and the error that caused it.</summary>
    public SegmentMergeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception blaming <paramref name="filePath"/>.</summary>
    internal SegmentMergeException(string message, string? filePath, Exception? innerException = null) : base(message, innerException) => FilePath = filePath;

    /// <summary>The file or folder blamed, when one is.</summary>
    public string? FilePath { get; }
}
