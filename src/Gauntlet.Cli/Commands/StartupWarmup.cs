using Gauntlet.ScenarioFiles;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// Reads a small scenario on another core while the main thread builds the command line: the first scenario a process
/// reads pays for the YAML parser's and the readers' one-time set-up (static tables, a regular expression the parser
/// compiles, type loading), about a quarter of the time from start to the first request of <c>gauntlet http</c>. Done
/// beside the command line's parsing, that cost is off the path to the first operation. What it reads is thrown
/// away; nothing it does is visible to the command.
/// </summary>
internal static class StartupWarmup
{
    // Every part a quick run's scenario has: an HTTP operation, a closed load, a duration, a threshold.
    private const string Scenario = """
        name: warm-up
        operation: { http: { url: "http://127.0.0.1:9/", method: GET, timeout: 1s } }
        load: { closed: { workers: 1 } }
        duration: 1s
        thresholds: ["p99 < 1s"]
        """;

    /// <summary>The commands that read a scenario file or make one from flags; the others would throw the work away.</summary>
    private static readonly string[] ReadScenarios = ["run", "validate", "http", "tcp", "kubernetes", "merge"];

    /// <summary>Starts the warm-up on the thread pool when <paramref name="args"/> name a command that reads a scenario, and returns at once.</summary>
    public static void BeginFor(string[] args)
    {
        if (args.Length > 0 && ReadScenarios.Contains(args[0], StringComparer.Ordinal))
            ThreadPool.UnsafeQueueUserWorkItem(static _ => ScenarioFile.Parse(Scenario, "/warm-up.yaml"), null);
    }
}
