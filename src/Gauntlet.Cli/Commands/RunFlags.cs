using System.CommandLine;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Scenarios;
using Gauntlet.Search;

namespace Gauntlet.Cli.Commands;

/// <summary>The flags of <c>gauntlet run</c>, and what they select from the file and where the results go.</summary>
internal sealed class RunFlags
{
    private readonly Argument<string> _file = new("file") { Description = "The YAML scenario or suite file.", HelpName = "file" };
    private readonly Option<string[]> _scenario = new("--scenario", "-s") { Description = "Run only the scenario with this name (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "name" };
    private readonly Option<string?> _output = new("--out", "-o") { Description = "Folder for result.json, report.md and report.html (default: gauntlet-results/<timestamp>).", HelpName = "folder" };
    private readonly Option<string[]> _set = CommonOptions.Set();
    private readonly Option<int> _repeat = Flags.WholeNumber("--repeat", "-r", 1, int.MaxValue, 1);
    private readonly Option<bool> _junit = new("--junit") { Description = "Also write junit.xml (one test case per scenario) beside result.json." };
    private readonly Option<string?> _baseline = new("--baseline") { Description = "Compare with this earlier result.json; write comparison.md and exit 1 on a regression.", HelpName = "result.json" };
    private readonly Option<string?> _tolerance = CompareCommand.Tolerance();
    private readonly Option<string?> _alpha = CompareCommand.Alpha();
    private readonly Option<Segment?> _segment = Flags.Segment("--segment",
        "Run segment i of n of every scenario (i from 0): its share of the workers, arrivals, iterations and feeder rows, with global ids; thresholds and verifiers are judged by 'gauntlet merge'.");
    private readonly Option<int> _segments = Flags.WholeNumber("--segments", null, 1, LocalSegments.MaxSegments, 1);
    private readonly TelemetryFlags _telemetry = new();
    private readonly Option<DateTimeOffset?> _startAt = Flags.Instant("--start-at",
        "Wait until this instant (ISO 8601, e.g. 2026-12-05T14:00:00Z) before the first scenario, so segments on several machines begin together; the result says how late this one began.");

    public RunFlags()
    {
        _segments.Description = "Split every scenario into N segments and run them as N processes on this machine (each 'run --segment i/N', from a shared start), then merge them into one result with 'gauntlet merge': the path a cluster's pods take, on all cores of one machine.";
        _repeat.Description = "Run the whole file N times (each run in run-K/ under the results folder) and report the pass rate and the spread of the key figures in repeat.md; exit code 0 only when every run passed.";
    }

    /// <summary>Adds the flags to <paramref name="command"/>, in the order its help lists them.</summary>
    public void AddTo(Command command)
    {
        command.Add(_file);
        foreach (var option in new Option[] { _scenario, _output, _set, _repeat, _junit, _baseline, _tolerance, _alpha, _segment, _segments, _startAt })
            command.Add(option);
        _telemetry.AddTo(command);
    }

    /// <summary>
    /// What the flags make: the scenarios and searches selected from the file, the results folder, how many times to
    /// run and what to write besides; null after printing the first problem (the file's problems all at once).
    /// </summary>
    public async Task<RunSettings?> ReadAsync(ParseResult parse, CliConsole io)
    {
        if (!ReadScenarios(parse, io, out var selected, out var searches, out var fromFile)) return null;
        if (await ReadOutputsAsync(parse, io).ConfigureAwait(false) is not { } outputs) return null;
        var problems = new List<string>();
        var telemetry = _telemetry.Read(parse, fromFile, problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems) io.Error($"gauntlet run: {problem}");
            return null;
        }
        var times = parse.GetValue(_repeat);
        var folder = parse.GetValue(_output) ?? ScenarioSession.DefaultOutputFolder();
        if (times > 1 && searches.Count > 0)
        {
            io.Error("gauntlet run: --repeat does not apply to breaking-point searches (a search already runs its scenario many times); select plain scenarios with --scenario");
            return null;
        }
        var segments = parse.GetValue(_segments);
        if (segments > 1 && (parse.GetValue(_segment) is not null || times > 1 || searches.Count > 0 || parse.GetValue(_startAt) is not null))
        {
            io.Error($"gauntlet run: --segments runs and merges the segments itself; it does not combine with {(times > 1 ? "--repeat" : searches.Count > 0 ? "breaking-point searches" : parse.GetValue(_startAt) is not null ? "--start-at (it picks the shared start)" : "--segment (one segment is one process of it)")}");
            return null;
        }
        if (parse.GetValue(_segment) is { } segment)
        {
            if (searches.Count > 0 || times > 1)
            {
                io.Error($"gauntlet run: --segment does not apply to {(times > 1 ? "--repeat" : "breaking-point searches")}; split plain scenarios, run once each");
                return null;
            }
            selected = [.. selected.Select(s => s.WithSegment(segment.Index, segment.Count))];
        }
        return new RunSettings(selected, searches, folder, times, outputs with { StartAt = parse.GetValue(_startAt), Telemetry = telemetry }, parse.GetValue(_file)!)
        {
            Local = segments > 1 ? LocalPlan(parse, segments) : null,
        };
    }

    /// <summary>What each segment process and the merge are given of this command line: the selection, variables and outputs.</summary>
    private LocalSegments.Plan LocalPlan(ParseResult parse, int segments)
    {
        var selection = new List<string>();
        foreach (var name in parse.GetValue(_scenario) ?? []) selection.AddRange(["--scenario", name]);
        foreach (var set in parse.GetValue(_set) ?? []) selection.AddRange(["--set", set]);
        var merge = parse.GetValue(_set) is { } sets ? sets.SelectMany(set => new[] { "--set", set }).ToList() : [];
        if (parse.GetValue(_junit)) merge.Add("--junit");
        if (parse.GetValue(_baseline) is { } baseline) merge.AddRange(["--baseline", baseline]);
        if (parse.GetValue(_tolerance) is { } tolerance) merge.AddRange(["--tolerance", tolerance]);
        if (parse.GetValue(_alpha) is { } alpha) merge.AddRange(["--alpha", alpha]);
        return new LocalSegments.Plan(segments, selection, merge);
    }

    /// <summary>The file read with the <c>--set</c> variables, and the scenarios and searches <c>--scenario</c> names.</summary>
    private bool ReadScenarios(ParseResult parse, CliConsole io, out IReadOnlyList<Scenario> selected, out IReadOnlyList<BreakingPointSearch> searches,
        out Pipeline.TelemetryOptions? telemetry)
    {
        selected = [];
        searches = [];
        telemetry = null;
        if (!Variables.TryParse(parse.GetValue(_set), out var variables, out var error))
        {
            io.Error($"gauntlet run: {error}");
            return false;
        }
        var loaded = ScenarioFile.Load(parse.GetValue(_file)!, variables);
        if (!loaded.Ok)
        {
            foreach (var problem in loaded.Errors) io.Error(problem.ToString());
            io.Error($"gauntlet run: {loaded.Errors.Count} problem{(loaded.Errors.Count == 1 ? "" : "s")} in {parse.GetValue(_file)}; nothing was run");
            return false;
        }
        telemetry = loaded.Telemetry;
        if (!ScenarioSelection.Select(loaded.Scenarios, loaded.Searches, parse.GetValue(_scenario), out selected, out searches, out var selectionError))
        {
            io.Error($"gauntlet run: {selectionError}");
            return false;
        }
        return true;
    }

    /// <summary>What is written besides the result: junit.xml, and the comparison with <c>--baseline</c>.</summary>
    private async Task<SessionOutputs?> ReadOutputsAsync(ParseResult parse, CliConsole io)
    {
        if (!CompareCommand.TryOptions(io, "gauntlet run", parse.GetValue(_tolerance), parse.GetValue(_alpha), out var compareOptions))
            return null;
        RunResult? baselineResult = null;
        if (parse.GetValue(_baseline) is { } baselinePath)
        {
            // Read before running: a wrong path should not cost a whole run.
            baselineResult = await CompareCommand.ReadAsync(io, "gauntlet run: --baseline", baselinePath, CancellationToken.None).ConfigureAwait(false);
            if (baselineResult is null) return null;
        }
        return new SessionOutputs(parse.GetValue(_junit), baselineResult is null ? null : new BaselineOptions(baselineResult, parse.GetValue(_baseline)!, compareOptions));
    }
}

/// <summary>
/// What <c>gauntlet run</c>'s flags make: the selected scenarios and searches, the results folder, how many times to
/// run the file (<paramref name="Repeat"/>, 1 for once) and what to write besides the result.
/// </summary>
internal sealed record RunSettings(IReadOnlyList<Scenario> Scenarios, IReadOnlyList<BreakingPointSearch> Searches, string OutputFolder, int Repeat, SessionOutputs Outputs, string File)
{
    /// <summary>With <c>--segments N</c>: run the file as N segment processes on this machine and merge them; null: run it here.</summary>
    public LocalSegments.Plan? Local { get; init; }
}
