using System.CommandLine;
using Gauntlet.Merging;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Scenarios;

namespace Gauntlet.Cli.Commands;

/// <summary>The flags of <c>gauntlet merge</c>, and what they make: the folders, the scenario file, the outputs and the wait.</summary>
internal sealed class MergeFlags
{
    /// <summary>The file a segment copies the scenario it ran into its result folder as.</summary>
    public const string ScenarioCopyName = "scenario.yaml";

    private const string Command = "gauntlet merge";

    private readonly Argument<string[]> _folders = new("folders") { Description = "Segment result folders, or folders whose subfolders are (e.g. /results holding segment-0, segment-1, ...).", HelpName = "dir", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _output = new("--out", "-o") { Description = "Folder for the merged result.json, report.md, report.html and history.jsonl (default: gauntlet-results/<timestamp>).", HelpName = "folder" };
    private readonly Option<string?> _file = new("--file") { Description = $"The scenario file the segments ran: its thresholds judge the merged figures, its verifiers run over the union of the histories (default: {ScenarioCopyName} in the first segment's folder).", HelpName = "file" };
    private readonly Option<string[]> _set = CommonOptions.Set();
    private readonly Option<bool> _junit = new("--junit") { Description = "Also write junit.xml (one test case per scenario) beside result.json." };
    private readonly Option<string?> _baseline = new("--baseline") { Description = "Compare the merged result with this earlier result.json; write comparison.md and exit 1 on a regression.", HelpName = "result.json" };
    private readonly Option<string?> _tolerance = CompareCommand.Tolerance();
    private readonly Option<string?> _alpha = CompareCommand.Alpha();
    private readonly Option<string?> _wait = new("--wait") { Description = "Wait up to this long for every segment 0..n-1 to write its result.json, then merge (e.g. 10m); exit 2 naming the missing ones after.", HelpName = "duration" };

    public void AddTo(Command command)
    {
        command.Add(_folders);
        foreach (var option in new Option[] { _output, _file, _set, _junit, _baseline, _tolerance, _alpha, _wait })
            command.Add(option);
    }

    /// <summary>The folders, the output folder, the outputs and the wait; null after printing the problem.</summary>
    public async Task<MergeSettings?> ReadAsync(ParseResult parse, CliConsole io)
    {
        var problems = new List<string>();
        var wait = Flags.PositiveDuration(parse.GetValue(_wait), _wait, problems);
        if (!Variables.TryParse(parse.GetValue(_set), out var variables, out var error)) problems.Add(error!);
        foreach (var problem in problems) io.Error($"{Command}: {problem}");
        if (problems.Count > 0) return null;
        if (!CompareCommand.TryOptions(io, Command, parse.GetValue(_tolerance), parse.GetValue(_alpha), out var compareOptions)) return null;
        RunResult? baseline = null;
        if (parse.GetValue(_baseline) is { } baselinePath
            && (baseline = await CompareCommand.ReadAsync(io, $"{Command}: --baseline", baselinePath, CancellationToken.None).ConfigureAwait(false)) is null)
            return null;
        return new MergeSettings(parse.GetValue(_folders)!, parse.GetValue(_output) ?? ScenarioSession.DefaultOutputFolder(), parse.GetValue(_file), variables, wait,
            new SessionOutputs(parse.GetValue(_junit), baseline is null ? null : new Pipeline.BaselineOptions(baseline, parse.GetValue(_baseline)!, compareOptions)));
    }
}

/// <summary>What <c>gauntlet merge</c>'s flags make.</summary>
internal sealed record MergeSettings(IReadOnlyList<string> Folders, string OutputFolder, string? ScenarioFile, IReadOnlyDictionary<string, string> Variables,
    TimeSpan? Wait, SessionOutputs Outputs)
{
    /// <summary>
    /// The scenarios of the scenario file (<c>--file</c>, or the copy in the first segment's folder), read with the
    /// <c>--set</c> variables as <c>gauntlet run</c> reads it; null when there is no file. A file with problems is
    /// reported (every problem) and gives <paramref name="ok"/> false.
    /// </summary>
    public IReadOnlyList<Scenario>? LoadScenarios(string firstSegmentFolder, CliConsole io, out bool ok)
    {
        ok = true;
        var path = ScenarioFile ?? Path.Combine(firstSegmentFolder, MergeFlags.ScenarioCopyName);
        if (ScenarioFile is null && !File.Exists(path)) return null;
        var loaded = ScenarioFiles.ScenarioFile.Load(path, Variables);
        if (loaded.Ok) return loaded.Scenarios;
        foreach (var problem in loaded.Errors) io.Error(problem.ToString());
        io.Error($"gauntlet merge: {loaded.Errors.Count} problem{(loaded.Errors.Count == 1 ? "" : "s")} in {path}; nothing was merged. Pass the scenario file the segments ran with --file, and the same --set variables.");
        ok = false;
        return null;
    }

    /// <summary>The library's options for these settings.</summary>
    public MergeOptions Options(IReadOnlyList<Scenario>? scenarios) => new()
    {
        ResultsDirectory = OutputFolder,
        Scenarios = scenarios,
        JUnit = Outputs.JUnit,
        Baseline = Outputs.Baseline,
        Wait = Wait,
    };
}
