namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// One operation of a history to check, from Gauntlet's <c>history.jsonl</c> or a Jepsen log: who ran it, what it did
/// to which value, when it was invoked and completed, and whether its outcome is unknown. <see cref="Line"/> is where it
/// was read (0 when it was not read from a file), for messages.
/// </summary>
internal sealed record HistoryOperation(long Id, int Worker, string Function, string? Value, long Invoke, long Complete, bool Indeterminate, long Line);

/// <summary>A history the model cannot read: an unknown operation, a value that does not parse. <see cref="Line"/> names where (0: unknown).</summary>
internal sealed class InvalidHistoryException(long line, long id, string message) : Exception(message)
{
    public long Line { get; } = line;
    public long Id { get; } = id;

    /// <summary>Where, for a message: the file's line when known, otherwise the operation.</summary>
    public string Where(string? path) => Line > 0 && path is not null ? $"{path}:{Line}" : $"operation {Id}";
}
