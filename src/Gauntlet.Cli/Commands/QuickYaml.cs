using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gauntlet.ScenarioFiles;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// What the quick modes (<c>gauntlet http</c>, <c>gauntlet tcp</c>) share: their flags become a scenario file's text,
/// which the same reader as <c>gauntlet run</c> turns into the same scenario, so a quick run and its
/// <c>--print-yaml</c> saved to a file and run are one thing.
/// </summary>
internal static class QuickYaml
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <paramref name="text"/> as a double-quoted YAML scalar that reads back as exactly that text: JSON's string
    /// escapes are YAML's too, so backslashes, quotes and control characters survive the round trip.
    /// </summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text, Quoting);

    /// <summary>A duration in the largest unit that keeps it exact: <c>10s</c>, <c>250ms</c>, <c>1500us</c>.</summary>
    public static string Duration(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{value.Ticks / TimeSpan.TicksPerSecond}s"
        : value.Ticks % TimeSpan.TicksPerMillisecond == 0 ? $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms"
        : $"{value.Ticks / TimeSpan.TicksPerMicrosecond}us";

    /// <summary>A rate per second, exact: <c>1000/s</c>, <c>2.5/s</c>.</summary>
    public static string Rate(double perSecond) => perSecond.ToString("R", CultureInfo.InvariantCulture) + "/s";

    /// <summary>A flow list of quoted scalars: <c>["p99 &lt; 10ms", "error_rate == 0%"]</c>.</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Quote)) + "]";

    /// <summary>A threshold that aborts the run as soon as it fails (<c>--abort-on</c>), as a scenario file writes one.</summary>
    public static string Aborting(string threshold) => $"{{ threshold: {Quote(threshold)}, abort: true }}";

    /// <summary>A flow mapping of quoted keys and values: <c>{ "Accept": "text/plain", "X-Id": "7" }</c>.</summary>
    public static string Mapping(IEnumerable<KeyValuePair<string, string>> pairs) =>
        "{ " + string.Join(", ", pairs.Select(p => $"{Quote(p.Key)}: {Quote(p.Value)}")) + " }";

    /// <summary>
    /// The quick modes' load and when it stops: an open model at <paramref name="perSecond"/> with
    /// <paramref name="workers"/> in flight at most, else <paramref name="workers"/> closed workers; the warm-up; then
    /// <paramref name="count"/> iterations, or <paramref name="duration"/>.
    /// </summary>
    public static void Load(System.Text.StringBuilder yaml, double? perSecond, long workers, TimeSpan? warmup, long? count, TimeSpan duration)
    {
        yaml.Append(perSecond is { } arrivals
            ? $"load:\n  open: {{ rate: {Rate(arrivals)}, maxInFlight: {workers} }}\n"
            : $"load:\n  closed: {{ workers: {workers} }}\n");
        if (warmup is { } warm) yaml.Append($"warmup: {Duration(warm)}\n");
        if (count is { } n) yaml.Append($"iterations: {n}\n");
        else yaml.Append($"duration: {Duration(duration)}\n");
    }

    /// <summary>
    /// The comment that heads a quick mode's file: the command line it came from, so the file says how to get it again.
    /// </summary>
    public static string Header(string command) => $"# What '{command}' runs, as a scenario file: 'gauntlet run FILE' runs the same thing.\n";

    /// <summary>
    /// Reads <paramref name="yaml"/> as a scenario file (relative paths from the current folder); prints its problems
    /// against the flags and returns null when there are any.
    /// </summary>
    public static SpecLoadResult? Load(string yaml, string command, CliConsole io)
    {
        // The reader resolves relative paths (a body file) from the file's folder: the current one, as for the flags.
        var loaded = ScenarioFile.Parse(yaml, Path.Combine(Directory.GetCurrentDirectory(), $"{command.Replace(' ', '-')}-flags.yaml"));
        if (loaded.Ok) return loaded;
        foreach (var problem in loaded.Errors) io.Error($"{command}: {problem.Message}");
        io.Error($"{command}: see '{command} --help'; --print-yaml shows the scenario the flags make");
        return null;
    }

    /// <summary>
    /// The quick modes' last step: prints the scenario file (<c>--print-yaml</c>), or reads it and runs its scenarios
    /// as <c>gauntlet run</c> would, into the results folder the flags name or a new one.
    /// </summary>
    public static async Task<int> RunAsync(QuickRun run, string command, CliConsole io, SessionOutputs? outputs = null)
    {
        if (run.PrintOnly)
        {
            io.Out.Write(new Spectre.Console.Text(run.Yaml));
            return ExitCodes.Passed;
        }
        if (Load(run.Yaml, command, io) is not { } loaded) return ExitCodes.InvalidInput;
        return await ScenarioSession.RunAsync(loaded.Scenarios, run.OutputFolder ?? ScenarioSession.DefaultOutputFolder(), io,
            (outputs ?? SessionOutputs.None) with { Telemetry = loaded.Telemetry }).ConfigureAwait(false);
    }
}

/// <summary>What a quick mode's flags make: the scenario file's text, whether only to print it, and the results folder (null: a new one).</summary>
internal sealed record QuickRun(string Yaml, bool PrintOnly, string? OutputFolder);
