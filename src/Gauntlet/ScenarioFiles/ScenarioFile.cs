using System.Security;

namespace Gauntlet.ScenarioFiles;

/// <summary>
/// Loads scenario files: YAML that describes one scenario, or a suite of scenarios with shared defaults, as documented
/// in docs/scenario-reference.md. The CLI and C# users load files the same way. User mistakes never throw: they come
/// back in <see cref="SpecLoadResult.Errors"/>, all of them at once, each with its line and column.
/// </summary>
/// <example>
/// <code>
/// var loaded = ScenarioFile.Load("scenario.yaml", new Dictionary&lt;string, string&gt; { ["rate"] = "500/s" });
/// if (!loaded.Ok)
/// {
///     foreach (var error in loaded.Errors) Console.Error.WriteLine(error);   // scenario.yaml:7:14: timeout: expected a duration ...
///     return 2;
/// }
/// var result = await new Runner().RunAsync(loaded.Scenarios);
/// </code>
/// </example>
public static class ScenarioFile
{
    /// <summary>
    /// Reads and loads the file at <paramref name="path"/>. A file that is missing or cannot be read is reported at
    /// line 1, column 1 with the system's reason.
    /// </summary>
    /// <param name="path">The file; errors name it exactly as given here.</param>
    /// <param name="variables">Values for <c>${name}</c> references (the CLI's <c>--set name=value</c>); they override the file's <c>variables:</c>.</param>
    public static SpecLoadResult Load(string path, IReadOnlyDictionary<string, string>? variables = null)
    {
        var name = path ?? "";
        string text;
        try
        {
            if (Directory.Exists(name))
                return Unreadable(name, "is a directory, not a scenario file; give the path of a .yaml file");
            text = File.ReadAllText(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or SecurityException)
        {
            return Unreadable(name, $"cannot read the file: {e.Message.TrimEnd('.')}; check the path and its permissions");
        }
        return Parse(text, name, variables);
    }

    /// <summary>Loads scenario YAML held in memory.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="fileName">The name errors are reported under.</param>
    /// <param name="variables">Values for <c>${name}</c> references (the CLI's <c>--set name=value</c>); they override the file's <c>variables:</c>.</param>
    public static SpecLoadResult Parse(string yaml, string fileName, IReadOnlyDictionary<string, string>? variables = null) =>
        Parse(yaml, fileName, variables, Environment.GetEnvironmentVariable);

    /// <summary>As the public overload, with the environment that <c>${env:NAME}</c> reads given explicitly (for tests).</summary>
    internal static SpecLoadResult Parse(string yaml, string fileName, IReadOnlyDictionary<string, string>? variables, Func<string, string?> environment) =>
        SpecFileReader.Read(yaml ?? "", fileName ?? "", variables ?? new Dictionary<string, string>(), environment);

    private static SpecLoadResult Unreadable(string path, string message) =>
        new(null, [], [new SpecError(path, 1, 1, message)]);
}
