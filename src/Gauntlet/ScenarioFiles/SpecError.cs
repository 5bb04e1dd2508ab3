namespace Gauntlet.ScenarioFiles;

/// <summary>
/// One problem with a scenario file, where it is and what to do about it. Every user mistake in a file (a missing
/// file, YAML syntax, an unknown key, a wrong value, an invalid threshold, an option the engine rejects) comes back
/// as one of these, never as an exception.
/// </summary>
/// <param name="File">The file as it was named to <see cref="ScenarioFile.Load"/> or <see cref="ScenarioFile.Parse(string, string, IReadOnlyDictionary{string, string})"/>.</param>
/// <param name="Line">1-based line of the offending node (of the mapping that lacks a key, for a missing key).</param>
/// <param name="Column">1-based column; inside a threshold expression, the column of the problem within it when it can be placed exactly.</param>
/// <param name="Message">What happened and what to do, starting with the key's path: <c>load.closed.workers: must be greater than zero, got 0</c>.</param>
public sealed record SpecError(string File, int Line, int Column, string Message)
{
    /// <summary><c>FILE:LINE:COL: message</c>, the form editors and CI logs link to.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
