namespace Gauntlet.ScenarioFiles;

/// <summary>
/// A file that a scenario file names and reads when it is loaded (a request body, a feeder's rows): as written, as
/// resolved from the scenario file's folder, and where it is named. <c>gauntlet kubernetes</c> ships these beside the
/// scenario, since a pod sees only what its manifests give it.
/// </summary>
/// <param name="Written">The path as the scenario file gives it (after <c>${...}</c> substitution), trimmed.</param>
/// <param name="Resolved">The path the reader opened: <paramref name="Written"/> combined with the scenario file's folder.</param>
/// <param name="File">The scenario file, as named to the reader.</param>
/// <param name="Line">1-based line of the value that names the file.</param>
/// <param name="Column">1-based column of that value.</param>
internal sealed record SpecFileReference(string Written, string Resolved, string File, int Line, int Column)
{
    /// <summary><c>FILE:LINE:COL</c>, where the file is named.</summary>
    public string Location => $"{File}:{Line}:{Column}";
}
