using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Search;

namespace Gauntlet.Pipeline;

/// <summary>
/// The run pipeline: from scenarios (and breaking-point searches) to a finished, judged result, in one call, the same
/// for every front door (C#, <c>gauntlet run</c>, the quick modes <c>gauntlet http</c> and <c>gauntlet tcp</c>). Every
/// scenario is validated before anything starts; then each runs in turn (its operation's set-up, fault proxy, monitor,
/// load, drain, recovery, verifiers, thresholds, tear-down), then the searches; the result is judged against the
/// baseline when there is one, and its reports are written into <see cref="RunOptions.ResultsDirectory"/>.
/// Cancelling the token stops issuing, lets in-flight work finish within the grace period, and still returns (and
/// writes) a result, marked interrupted. <see cref="ExitCodes.Of"/> turns the result into the CLI's exit code.
/// </summary>
public sealed class Runner(RunOptions? options = null)
{
    private readonly RunOptions _options = options ?? new RunOptions();

    /// <summary>Runs one scenario.</summary>
    public Task<RunResult> RunAsync(Scenario scenario, CancellationToken cancellationToken = default) =>
        RunAsync([scenario], [], cancellationToken);

    /// <summary>Runs the scenarios in order; see <see cref="RunAsync(IEnumerable{Scenario}, IEnumerable{BreakingPointSearch}, CancellationToken)"/>.</summary>
    public Task<RunResult> RunAsync(IEnumerable<Scenario> scenarios, CancellationToken cancellationToken = default) =>
        RunAsync(scenarios, [], cancellationToken);

    /// <summary>
    /// Runs the scenarios in order, then the searches, and returns one result for all of them. Problems in any
    /// scenario are reported together in a <see cref="ScenarioValidationException"/> before anything runs; a target
    /// that cannot be reached or started ends the run with <see cref="TargetUnreachableException"/>.
    /// </summary>
    /// <exception cref="IOException">The reports could not be written to the results folder.</exception>
    public async Task<RunResult> RunAsync(IEnumerable<Scenario> scenarios, IEnumerable<BreakingPointSearch> searches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(searches);
        var list = scenarios.ToList();
        var searchList = searches.ToList();
        if (list.Count > 0 || searchList.Count == 0) ScenarioEngine.EnsureValid(list);
        var segment = SegmentOf(list);
        var folder = _options.ResultsDirectory;
        // The result must have somewhere to go: an unusable folder fails now, not after the run.
        if (folder is not null) Directory.CreateDirectory(folder);
        RunResult result;
        // Export starts before the shared start (a dashboard sees the pods waiting) and stops after the last scenario,
        // with a last flush of the final figures.
        var export = TelemetryExport.Start(_options.Telemetry);
        try
        {
            await WaitForStartAsync(cancellationToken).ConfigureAwait(false);
            result = list.Count > 0
                ? await new ScenarioEngine(_options.ForEngine(), folder).RunAsync(list, cancellationToken).ConfigureAwait(false)
                : new RunResult { Environment = _options.Environment ?? EnvironmentInfo.Capture(), StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow };
            if (searchList.Count > 0 && !result.Interrupted)
                result = await RunSearchesAsync(result, searchList, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            export?.Dispose();
        }
        // Known only once the last export (the final figures) has been tried.
        if ((export as ITelemetryExportHealth)?.Failures is { } failures)
        {
            var warning = new Warning(WarningCode.TelemetryExportFailed, failures);
            result = result with { Scenarios = [.. result.Scenarios.Select(s => s with { Warnings = [.. s.Warnings, warning] })] };
        }
        if (!segment.IsWhole) result = result with { Segment = Describe(segment, result) };

        ComparisonResult? comparison = null;
        if (_options.Baseline is { } baseline)
        {
            comparison = RunComparison.Compare(baseline.Result, result, baseline.Options);
            result = result with { Baseline = Judge(comparison, baseline.Path) };
        }
        if (folder is not null) await ReportFolder.WriteAsync(result, folder, _options.JUnit, comparison, _options.Baseline?.Result, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>The segment every scenario of the run issues (a run is one segment of a split file, or the whole).</summary>
    private Segment SegmentOf(List<Scenario> scenarios)
    {
        var segments = scenarios.Select(s => s.Segment).Distinct().ToList();
        var problems = new List<Problem>();
        if (segments.Count > 1)
            problems.Add(new("segment", $"the scenarios of one run are different segments ({string.Join(", ", segments)}); a run is one segment of the whole file"));
        if (_options.StartAt is { } startAt && startAt - _options.TimeProvider.GetUtcNow() > RunOptions.MaxStartWait)
            problems.Add(new("startAt", $"{startAt:O} is more than {Format.Duration(RunOptions.MaxStartWait)} ahead; give an instant within that, in UTC (e.g. {_options.TimeProvider.GetUtcNow().AddMinutes(2):yyyy-MM-ddTHH:mm:ssZ})"));
        return problems.Count > 0 ? throw new ScenarioValidationException(problems) : segments.FirstOrDefault() ?? Segment.Whole;
    }

    /// <summary>Waits for <see cref="RunOptions.StartAt"/>; an interruption ends the wait and the run starts interrupted.</summary>
    private async Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (_options.StartAt is not { } startAt) return;
        var wait = startAt - _options.TimeProvider.GetUtcNow();
        if (wait <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(wait, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Which segment the result holds and how late its first scenario began against the shared start.</summary>
    private SegmentInfo Describe(Segment segment, RunResult result) => new()
    {
        Index = segment.Index,
        Count = segment.Count,
        StartAt = _options.StartAt,
        StartSkewSeconds = _options.StartAt is { } startAt && result.Scenarios.Count > 0
            ? Math.Round((result.Scenarios[0].StartedAt - startAt).TotalSeconds, 6)
            : null,
    };

    private async Task<RunResult> RunSearchesAsync(RunResult result, List<BreakingPointSearch> searches, CancellationToken cancellationToken)
    {
        var found = new List<SearchResult>();
        foreach (var search in searches)
        {
            if (cancellationToken.IsCancellationRequested) break;
            _options.OnSearchStarting?.Invoke(search);
            var onProbe = _options.OnSearchProbe;
            // The run's progress callback, environment and clock reach the probes too, unless the run sets none of them.
            var probing = _options.OnProgress is null && _options.Environment is null && ReferenceEquals(_options.TimeProvider, TimeProvider.System) ? search : search.WithEngineOptions(_options.ForEngine());
            found.Add(await probing.RunAsync(cancellationToken, onProbe is null ? null : probe => onProbe(search, probe)).ConfigureAwait(false));
        }
        return result with
        {
            Searches = found,
            FinishedAt = DateTimeOffset.UtcNow,
            Interrupted = result.Interrupted || cancellationToken.IsCancellationRequested,
        };
    }

    /// <summary>The verdict of a run compared with its baseline: regressed or not, and each regression in one line.</summary>
    internal static BaselineVerdict Judge(ComparisonResult comparison, string path) => new()
    {
        Path = path,
        Regressed = comparison.Regressed,
        Regressions = [.. comparison.Scenarios.SelectMany(s => s.Metrics.Where(m => m.Verdict == ChangeVerdict.Regressed)
            .Select(m => $"{s.Name}: {m.Metric} {m.Text.Baseline} -> {m.Text.Current} ({m.Note})"))],
        Missing = comparison.OnlyInBaseline,
    };
}
