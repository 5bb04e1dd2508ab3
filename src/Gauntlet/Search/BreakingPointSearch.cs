using System.Diagnostics;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Search;

/// <summary>
/// Finds where a scenario breaks: it runs the scenario at values of one parameter between two bounds, stepping up or
/// bisecting, and reports the largest value that passed, the first that failed with its failure (a threshold missed,
/// a crash, a hang), and the curve of throughput, p99 and error rate against the parameter.
/// </summary>
/// <remarks>
/// <para>Bisection assumes the scenario passes below some value and fails from it on; it then finds that value
/// with about log2(to - from) probes. Step mode makes no such assumption and stops at the first failure.</para>
/// <para>With <see cref="SearchOptions.Isolate"/>, each probe runs in a child process: this program is started again
/// with the same arguments and the environment variable <see cref="ProbeVariable"/> set; when the child reaches the
/// same search, <see cref="RunAsync"/> runs only that probe, writes its result for the parent and ends the child.
/// Code before the search therefore runs again in the child: skip side effects there with <see cref="IsProbeProcess"/>.
/// Isolation needs a program to start again, so it does not work inside a test host; run such searches from a console
/// program (or <c>gauntlet run</c>).</para>
/// </remarks>
public sealed class BreakingPointSearch
{
    /// <summary>Set in an isolated probe's process to <c>NAME=VALUE</c>: the search and the value to probe.</summary>
    public const string ProbeVariable = "GAUNTLET_PROBE";

    /// <summary>Set in an isolated probe's process: where the child writes its result.</summary>
    public const string ProbeResultVariable = "GAUNTLET_PROBE_RESULT";

    private readonly Func<long, Scenario> _scenarioAt;
    private readonly EngineOptions _engineOptions;

    /// <summary>A search named <paramref name="name"/> (the scenario's name, in reports) over <paramref name="scenarioAt"/>, which builds the scenario for a value.</summary>
    /// <exception cref="ScenarioValidationException">The options are invalid.</exception>
    public BreakingPointSearch(string name, SearchOptions options, Func<long, Scenario> scenarioAt, EngineOptions? engineOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scenarioAt);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException([.. problems.Select(p => p with { Path = "search." + p.Path })]);
        Name = name;
        Options = options;
        _scenarioAt = scenarioAt;
        _engineOptions = engineOptions ?? new EngineOptions();
    }

    /// <summary>This search, run with other engine options (a progress callback, a fixed environment).</summary>
    public BreakingPointSearch WithEngineOptions(EngineOptions engineOptions) => new(Name, Options, _scenarioAt, engineOptions);

    /// <summary>The search's name: the scenario it varies.</summary>
    public string Name { get; }

    /// <summary>What is varied and how.</summary>
    public SearchOptions Options { get; }

    /// <summary>True in the child process of an isolated probe.</summary>
    public static bool IsProbeProcess => Environment.GetEnvironmentVariable(ProbeVariable) is { Length: > 0 };

    /// <summary>
    /// Runs the search. In an isolated probe's child process, runs that one probe and ends the process instead (and
    /// skips any other search, so that a child never starts a search of its own).
    /// </summary>
    /// <param name="cancellationToken">Stops the search; the probe running then is interrupted and the result says so.</param>
    /// <param name="onProbe">Called after each probe, for progress displays.</param>
    public async Task<SearchResult> RunAsync(CancellationToken cancellationToken = default, Action<SearchProbe>? onProbe = null)
    {
        if (IsProbeProcess)
        {
            if (ProbeRequest() is not { } value)
                return Skipped();
            await RunAsChildAsync(value, cancellationToken).ConfigureAwait(false);
            Environment.Exit(0);
        }
        var probes = new Probes(this, cancellationToken, onProbe);
        var (largest, failing) = Options.Mode == SearchMode.Step
            ? await StepAsync(probes).ConfigureAwait(false)
            : await BisectAsync(probes).ConfigureAwait(false);
        return Result(probes, largest, failing);
    }

    /// <summary>Step mode: probes from <see cref="SearchOptions.From"/> up by the step and stops at the first failure.</summary>
    private async Task<(long? Largest, long? Failing)> StepAsync(Probes probes)
    {
        long? largest = null, failing = null;
        for (var v = Options.From; ; v = v > Options.To - Options.Step ? Options.To : v + Options.Step)
        {
            var probe = await probes.ProbeAsync(v).ConfigureAwait(false);
            if (probes.Interrupted) break;
            if (probe.Status != ProbeStatus.Passed)
            {
                failing = v;
                break;
            }
            largest = v;
            if (v == Options.To) break;
        }
        return (largest, failing);
    }

    /// <summary>Bisect mode: probes both bounds, then halves the range between a pass and a failure down to the step.</summary>
    private async Task<(long? Largest, long? Failing)> BisectAsync(Probes probes)
    {
        long? largest = null, failing = null;
        var low = await probes.ProbeAsync(Options.From).ConfigureAwait(false);
        if (!probes.Interrupted && low.Status != ProbeStatus.Passed) failing = Options.From;
        else if (!probes.Interrupted)
        {
            largest = Options.From;
            var high = Options.To == Options.From ? low : await probes.ProbeAsync(Options.To).ConfigureAwait(false);
            if (!probes.Interrupted && high.Status == ProbeStatus.Passed) largest = Options.To;
            else if (!probes.Interrupted)
            {
                long pass = Options.From, fail = Options.To;
                while (fail - pass > Options.Step && !probes.Interrupted)
                {
                    var middle = pass + (fail - pass) / 2;
                    var probe = await probes.ProbeAsync(middle).ConfigureAwait(false);
                    if (probes.Interrupted) break;
                    if (probe.Status == ProbeStatus.Passed) pass = middle;
                    else fail = middle;
                }
                largest = pass;
                failing = fail;
            }
        }
        return (largest, failing);
    }

    /// <summary>The search's result from its probes, the largest passing value and the first failing one.</summary>
    private SearchResult Result(Probes probes, long? largest, long? failing)
    {
        var interrupted = probes.Interrupted;
        var first = failing is { } f ? probes.ByValue[f] : null;
        var reasons = new List<VerdictReason>();
        if (interrupted) reasons.Add(new(ReasonCode.Interrupted, "interrupted: the search was cancelled before it finished"));
        if (!interrupted && Options.Require is { } require && (largest is null || largest < require))
            reasons.Add(new(ReasonCode.RequirementMissed, $"{Options.Parameter} {require} was required to pass, but " + (largest is { } l ? $"the largest passing value is {l}" : $"even {Options.From} failed")
                + (first is null ? "" : $"; {failing} failed: {string.Join("; ", first.Reasons.Select(r => r.Message))}")));
        return new SearchResult
        {
            Scenario = Name,
            Parameter = Options.Parameter,
            Mode = Options.Mode,
            From = Options.From,
            To = Options.To,
            Step = Options.Step,
            Isolated = Options.Isolate,
            LargestPassing = largest,
            FirstFailing = failing,
            FailureStatus = first?.Status,
            Failure = first?.Reasons ?? [],
            Probes = [.. probes.ByValue.Values],
            Require = Options.Require,
            Passed = reasons.Count == 0,
            Reasons = reasons,
        };
    }

    private SearchResult Skipped() => new()
    {
        Scenario = Name,
        Parameter = Options.Parameter,
        Mode = Options.Mode,
        From = Options.From,
        To = Options.To,
        Step = Options.Step,
        Isolated = Options.Isolate,
        Passed = false,
        Reasons = [new(ReasonCode.Skipped, "skipped: this process runs a probe of another search")],
    };

    /// <summary>Builds the scenario for <paramref name="value"/>; a builder that throws makes a failed probe, not a failed search.</summary>
    internal Scenario? ScenarioAt(long value, out string? problem)
    {
        problem = null;
        try
        {
            var scenario = _scenarioAt(value);
            scenario.EnsureValid();
            return scenario;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problem = $"the scenario could not be built at {Options.Parameter} {value}: {e.Message}";
            return null;
        }
    }

    private async Task<SearchProbe> ProbeInProcessAsync(long value, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var scenario = ScenarioAt(value, out var problem);
        if (scenario is null) return new SearchProbe { Value = value, Status = ProbeStatus.Failed, Reasons = [new(ReasonCode.InvalidProbe, problem!)] };
        var result = await new ScenarioEngine(_engineOptions).RunAsync(scenario, cancellationToken).ConfigureAwait(false);
        return FromResult(value, result, clock.Elapsed.TotalSeconds, exitCode: null);
    }

    /// <summary>A probe from the run's result (in process, or read back from an isolated child).</summary>
    internal static SearchProbe FromResult(long value, RunResult result, double seconds, int? exitCode)
    {
        if (result.Scenarios.Count == 0)
            return new SearchProbe { Value = value, Status = ProbeStatus.Interrupted, DurationSeconds = Math.Round(seconds, 3), Reasons = [new(ReasonCode.Interrupted, "the probe was interrupted before its scenario started")], ExitCode = exitCode };
        var s = result.Scenarios[0];
        var c = s.Counts;
        return new SearchProbe
        {
            Value = value,
            Status = s.Verdict switch
            {
                Verdict.Passed => ProbeStatus.Passed,
                // A value the generator could not deliver was not shown to pass: the probe fails, its reasons say why.
                Verdict.Failed or Verdict.Invalid => ProbeStatus.Failed,
                Verdict.Hung => ProbeStatus.Hung,
                Verdict.Interrupted => ProbeStatus.Interrupted,
                _ => throw new ArgumentOutOfRangeException(nameof(result), s.Verdict, "unknown verdict"),
            },
            Throughput = Math.Round(s.Throughput.Overall, 1),
            P99Micros = s.Latency.Count > 0 ? s.Latency.P99Micros : 0,
            ErrorRate = c.Started > 0 ? Math.Round((c.Failed + c.TimedOut + c.Crashed) / (double)c.Started, 6) : 0,
            Started = c.Started,
            DurationSeconds = Math.Round(seconds, 3),
            Reasons = s.Reasons,
            ExitCode = exitCode,
        };
    }

    private long? ProbeRequest()
    {
        var request = Environment.GetEnvironmentVariable(ProbeVariable);
        if (string.IsNullOrEmpty(request)) return null;
        var split = request.LastIndexOf('=');
        if (split <= 0 || request[..split] != Name) return null;
        return long.TryParse(request.AsSpan(split + 1), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>The child's side: run the one probe and leave its result where the parent looks.</summary>
    private async Task RunAsChildAsync(long value, CancellationToken cancellationToken)
    {
        var path = Environment.GetEnvironmentVariable(ProbeResultVariable);
        if (string.IsNullOrEmpty(path)) throw new InvalidOperationException($"{ProbeVariable} is set but {ProbeResultVariable} is not; isolated probes are started by BreakingPointSearch only");
        var scenario = ScenarioAt(value, out var problem);
        if (scenario is null)
        {
            await Console.Error.WriteLineAsync("gauntlet probe: " + problem).ConfigureAwait(false);
            Environment.Exit(ProbeProcess.InvalidScenarioExitCode);
        }
        var result = await new ScenarioEngine(_engineOptions).RunAsync(scenario, cancellationToken).ConfigureAwait(false);
        await ResultFile.WriteAsync(result, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The probes of one run of a search, by value: each value is probed once (in process or in a child, as the
    /// options say), and a cancellation or an interrupted probe marks the run interrupted.
    /// </summary>
    private sealed class Probes(BreakingPointSearch search, CancellationToken cancellationToken, Action<SearchProbe>? onProbe)
    {
        public SortedDictionary<long, SearchProbe> ByValue { get; } = new();

        public bool Interrupted { get; private set; }

        public async Task<SearchProbe> ProbeAsync(long v)
        {
            if (ByValue.TryGetValue(v, out var known)) return known;
            var probe = search.Options.Isolate
                ? await ProbeProcess.RunAsync(search, v, cancellationToken).ConfigureAwait(false)
                : await search.ProbeInProcessAsync(v, cancellationToken).ConfigureAwait(false);
            ByValue[v] = probe;
            onProbe?.Invoke(probe);
            if (probe.Status == ProbeStatus.Interrupted || cancellationToken.IsCancellationRequested) Interrupted = true;
            return probe;
        }
    }
}
