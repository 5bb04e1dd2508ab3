using Gauntlet.Engine.Executors;
using Gauntlet.Faults.Agents;
using Gauntlet.Faults.Proxy;
using Gauntlet.Metrics;
using Gauntlet.Monitoring;
using Gauntlet.Monitoring.Prometheus;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Verification;

namespace Gauntlet.Engine;

/// <summary>
/// Runs scenarios one after the other and returns a <see cref="RunResult"/> with a verdict for each: per scenario,
/// the operation's set-up, the fault proxy, the monitor, the load, the drain, recovery, verifiers and thresholds, then
/// the tear-down. Cancelling the token stops issuing, lets in-flight work finish within the grace period, and still
/// returns a result, marked interrupted. It writes no report: the run pipeline above it does,
/// and a breaking-point search runs its probes here.
/// </summary>
internal sealed class ScenarioEngine(EngineOptions? options = null, string? historyDirectory = null)
{
    private readonly EngineOptions _options = options ?? new EngineOptions();
    private readonly ScenarioClock _clock = ScenarioClock.For(options?.TimeProvider);

    /// <summary>Runs one scenario.</summary>
    public Task<RunResult> RunAsync(Scenario scenario, CancellationToken cancellationToken = default) =>
        RunAsync([scenario], cancellationToken);

    /// <summary>
    /// Runs the scenarios in order. Every scenario is validated first; problems in any of them are reported
    /// together in a <see cref="ScenarioValidationException"/> before anything runs.
    /// </summary>
    public async Task<RunResult> RunAsync(IEnumerable<Scenario> scenarios, CancellationToken cancellationToken = default)
    {
        var list = scenarios.ToList();
        EnsureValid(list);
        var environment = _options.Environment ?? EnvironmentInfo.Capture();
        var startedAt = _clock.Provider.GetUtcNow();
        var results = new List<ScenarioResult>();
        var interrupted = false;
        var historyStarted = false;
        foreach (var scenario in list)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }
            // The run's first history replaces an old history.jsonl in the folder; the next scenarios' append to it.
            var result = await RunScenarioAsync(scenario, appendHistory: historyStarted, cancellationToken).ConfigureAwait(false);
            historyStarted |= scenario.HasHistory;
            results.Add(result);
            if (result.Verdict == Verdict.Interrupted)
            {
                interrupted = true;
                break;
            }
        }
        return new RunResult
        {
            Environment = environment,
            StartedAt = startedAt,
            FinishedAt = _clock.Provider.GetUtcNow(),
            Interrupted = interrupted,
            Scenarios = results,
        };
    }

    /// <summary>Throws <see cref="ScenarioValidationException"/> with every problem of every scenario (and names used twice).</summary>
    public static void EnsureValid(IReadOnlyList<Scenario> scenarios)
    {
        var problems = new List<Problem>();
        if (scenarios.Count == 0) problems.Add(new Problem("scenarios", "there is no scenario to run"));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < scenarios.Count; i++)
        {
            var prefix = scenarios.Count == 1 ? "" : $"scenarios[{i}]";
            var scenario = scenarios[i];
            if (scenario is null)
            {
                problems.Add(new Problem(prefix, "is null"));
                continue;
            }
            foreach (var problem in scenario.Validate())
                problems.Add(new Problem(prefix.Length == 0 ? problem.Path : problem.Path.Length == 0 ? prefix : prefix + "." + problem.Path, problem.Message));
            if (!string.IsNullOrWhiteSpace(scenario.Name) && !names.Add(scenario.Name))
                problems.Add(new Problem(prefix.Length == 0 ? "name" : prefix + ".name", $"'{scenario.Name}' is used by another scenario; names must be unique"));
        }
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
    }

    private async Task<ScenarioResult> RunScenarioAsync(Scenario scenario, bool appendHistory, CancellationToken cancellationToken)
    {
        // The target is prepared before the clock starts and released after the last operation is sealed, so
        // neither a server's start-up nor its shutdown is measured, and nothing it owns outlives the scenario.
        // Processes started from here on (by the setup, by operations) are this scenario's, for the monitor.
        var processes = new ScenarioProcesses();
        ScenarioProcesses.MakeCurrent(processes);
        // The fault proxy goes in front of the prepared target (a built-in server is running by then), and its
        // schedule's clock starts with the scenario's.
        var operation = scenario.Operation;
        await operation.SetUpAsync(scenario, cancellationToken).ConfigureAwait(false);
        // The target's metrics given as a path (/metrics) are read where the operation connects, never through the proxy.
        var address = operation.Redirection?.TargetEndPoint;
        FaultProxy? proxy = null;
        try
        {
            if (scenario.Faults is { UsesProxy: true } faults) proxy = FaultProxy.InFrontOf(operation.Redirection!, faults);
            IFaultWindows?[] windows = [operation.FaultWindows, proxy];
            // The warm-up runs through the same set-up and proxy as the measured part, and nothing of it is judged.
            var warmup = scenario.Bounds.Warmup is { } warm && !cancellationToken.IsCancellationRequested
                ? await WarmUpAsync(scenario, warm, processes, cancellationToken).ConfigureAwait(false)
                : null;
            var result = await RunPreparedAsync(scenario, [.. windows.OfType<IFaultWindows>()], appendHistory, processes, address, cancellationToken).ConfigureAwait(false);
            return warmup is null ? result : result with { Warmup = warmup };
        }
        finally
        {
            if (proxy is not null) await proxy.DisposeAsync().ConfigureAwait(false);
            await operation.TearDownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the scenario's operation for <paramref name="warmup"/> at the load profile's concurrency (an open model:
    /// its first rate), without thresholds, verifiers, history, recovery or agent faults, then resets the operation's
    /// own figures so the measured part counts only itself.
    /// </summary>
    private async Task<WarmupResult> WarmUpAsync(Scenario scenario, TimeSpan warmup, ScenarioProcesses processes, CancellationToken cancellationToken)
    {
        var warming = scenario with
        {
            Load = WarmupLoad(scenario.Load),
            Bounds = scenario.Bounds with { Duration = warmup, MaxIterations = null, Deadline = null, Warmup = null },
            Thresholds = [],
            Verifiers = [],
            RecordsHistory = false,
            Recovery = null,
            // The proxy is already in front (its windows start with the measured part); agents are not signalled.
            Faults = null,
            // The target's metrics are read for the measured part only: a warm-up result has nowhere to put them.
            Monitor = scenario.Monitor with { Prometheus = [] },
        };
        var warmed = await RunScenarioAsync(new ScenarioRun(warming, _clock), [], processes, null, cancellationToken, measured: false).ConfigureAwait(false);
        scenario.Operation.ResetFigures();
        return new WarmupResult
        {
            Seconds = warmed.IssuingSeconds,
            Counts = warmed.Counts,
            Throughput = warmed.IssuingSeconds > 0 ? Math.Round(warmed.Counts.Completed / warmed.IssuingSeconds, 3) : 0,
            Latency = warmed.Latency,
        };
    }

    /// <summary>The warm-up's load: the profile's concurrency held steady (a ramp's peak, an iterations profile's workers), or an open model's first rate.</summary>
    private static LoadProfile WarmupLoad(LoadProfile load) => load switch
    {
        ClosedProfile closed => new ClosedProfile { Workers = closed.MaxConcurrency, Batches = closed.Batches },
        OpenProfile open => new OpenProfile
        {
            StartRate = open.StartRate > 0 || open.Stages.Count == 0 ? open.StartRate : open.Stages[0].TargetRate,
            MaxInFlight = open.MaxInFlight,
        },
        IterationsProfile iterations => new ClosedProfile { Workers = iterations.Workers, Batches = iterations.Batches },
        _ => throw new NotSupportedException($"no warm-up for load profile {load.GetType().Name}"),
    };

    private async Task<ScenarioResult> RunPreparedAsync(Scenario scenario, IReadOnlyList<IFaultWindows> faults, bool appendHistory, ScenarioProcesses processes,
        System.Net.IPEndPoint? address, CancellationToken cancellationToken)
    {
        var run = new ScenarioRun(scenario, _clock);
        var temporaryHistory = scenario.HasHistory && historyDirectory is null;
        if (scenario.HasHistory)
        {
            var path = temporaryHistory
                ? Path.Combine(Path.GetTempPath(), $"gauntlet-history-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl")
                : Path.Combine(historyDirectory!, Results.HistoryInfo.FileName);
            run.History = HistoryLog.Open(path, scenario.Name, append: appendHistory && !temporaryHistory);
        }
        try
        {
            return await RunScenarioAsync(run, faults, processes, address, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            run.History?.Dispose();
            if (temporaryHistory) File.Delete(run.History!.Path);
        }
    }


    // measured: false for a warm-up, whose figures are not published on the meter.
    private async Task<ScenarioResult> RunScenarioAsync(ScenarioRun run, IReadOnlyList<IFaultWindows> faults, ScenarioProcesses processes, System.Net.IPEndPoint? address,
        CancellationToken cancellationToken, bool measured = true)
    {
        var scenario = run.Scenario;
        // An operation that never blocks holds no pool thread while it waits, so it needs neither a thread reserve
        // (whose idle threads spin on every start) nor a pool thread woken per open-model arrival.
        var operation = scenario.Operation;
        var nonBlocking = operation.StartsWithoutBlocking;
        IExecutor executor = scenario.Load switch
        {
            ClosedProfile closed => new ClosedExecutor(closed),
            OpenProfile open => new OpenExecutor(open, startOnDispatcher: nonBlocking),
            IterationsProfile iterations => new IterationsExecutor(iterations),
            _ => throw new NotSupportedException($"no executor for load profile {scenario.Load.GetType().Name}"),
        };
        var collector = new Collector(run, _options.OnProgress);
        var bounds = scenario.Bounds;
        using var threads = ThreadReserve.For(nonBlocking ? 0 : scenario.Load.MaxConcurrency);
        var startedAt = _clock.Provider.GetUtcNow();
        using var monitor = new ResourceMonitor(scenario.Monitor, processes, _clock.Provider);
        monitor.Start();
        using var live = measured ? LiveMetrics.Track(run, monitor, faults.OfType<FaultProxy>().FirstOrDefault()) : null;
        run.Live = live;
        // Every segment would read the same target: segment 0 reads it for the whole run, and the merge keeps its series.
        using var targetMetrics = scenario.Segment.Index == 0 && scenario.Monitor.Prometheus.Count > 0
            ? new TargetMetricsMonitor(scenario.Monitor, address, _clock.Provider)
            : null;
        targetMetrics?.Start();
        run.MarkStarted();
        foreach (var schedule in faults) schedule.ScenarioStarted(_clock.Provider);
        collector.Start();
        var chaos = StartChaos(run);

        using var cancellation = cancellationToken.Register(() => run.StopIssuing(StopReason.Cancelled));

        var issuing = executor.RunAsync(run);
        await WaitForStopAsync(run, issuing).ConfigureAwait(false);
        var issuingTicks = run.StopTicks - run.StartTicks;
        // Faults stop with issuing, and every paused agent is resumed before in-flight work is waited for. The bound
        // is on the real clock: it guards against a stuck thread, not a scenario's time.
        var agentFaults = chaos is null ? null : await chaos.WaitAsync(ChaosStopTimeout).ConfigureAwait(false);

        await DrainAsync(run, bounds).ConfigureAwait(false);
        var cutOff = run.Seal();
        var endTicks = _clock.Now;
        operation.LoadEnded();
        executor.ReleaseParked();
        collector.StopAndFlush();
        var resources = monitor.Stop(Clock.ToSeconds(endTicks - run.StartTicks));
        var target = targetMetrics?.Stop();
        if (issuing.IsFaulted) throw new InvalidOperationException($"the load generator for scenario '{scenario.Name}' failed", issuing.Exception);

        // The target's own check or repair comes before anything reads its state. A segment leaves both to the merge: the
        // target's final state is the whole run's, and the other segments may still be writing to it.
        var judgesItself = scenario.Segment.IsWhole;
        var recovery = judgesItself && scenario.Recovery is { } step ? await RecoverAsync(step, _clock).ConfigureAwait(false) : null;

        // Verifiers run even after an interruption: what was acknowledged must be there however the run ended.
        IReadOnlyList<Results.VerificationResult> verifications = [];
        Results.HistoryInfo? history = null;
        if (run.History is { } log)
        {
            log.Complete();
            history = new Results.HistoryInfo
            {
                File = historyDirectory is null ? null : log.Path,
                Entries = log.Entries,
                Faults = log.Faults,
                StallSeconds = Math.Round(log.StallSeconds, 6),
            };
            if (judgesItself) verifications = await VerifierRunner.RunAsync(scenario.Verifiers, log.Path, scenario.Name, log.StartOffset, CancellationToken.None).ConfigureAwait(false);
        }
        else if (judgesItself && scenario.Verifiers.Count > 0)
            verifications = await VerifierRunner.RunAsync(scenario.Verifiers, historyPath: null, scenario.Name, 0, CancellationToken.None).ConfigureAwait(false);

        var result = ResultBuilder.Build(new ResultBuilder.Inputs(run, collector, executor, startedAt, issuingTicks, endTicks - run.StartTicks, cutOff)
        {
            History = history,
            Verifications = verifications,
            Resources = resources,
            TargetMetrics = target,
            Agents = AgentAccounting.Build(run, agentFaults, run.History),
            AgentFaults = agentFaults,
            Recovery = recovery,
            Operation = operation,
            Windows = [.. faults.SelectMany(f => f.WindowsUntil(Clock.ToTimeSpan(endTicks - run.StartTicks))).OrderBy(w => w.FromSecond)],
        });
        return result;
    }

    /// <summary>The chaos loop naps at most 50 ms; this bounds the wait for it anyway.</summary>
    private static readonly TimeSpan ChaosStopTimeout = TimeSpan.FromSeconds(10);

    private static Task<Results.AgentFaultFigures>? StartChaos(ScenarioRun run)
    {
        var scenario = run.Scenario;
        if (scenario.AgentFaults.Count == 0) return null;
        // Validation made sure the operation runs processes.
        var processes = scenario.Operation.Processes!;
        var history = run.History;
        var options = new AgentChaos.Options(run.StartTicks, run.Time, agent => run.SlotOf(agent).Retired = true,
            history is null ? null : entry => history.Add(entry), run.Live is { } live ? live.AddAgentFault : null);
        return AgentChaos.RunAsync(scenario.AgentFaults, processes, options, run.StopIssuingToken);
    }

    /// <summary>Runs the recovery step, bounded by its timeout (plus a second for a step that ignores its token).</summary>
    internal static async Task<Results.RecoveryResult> RecoverAsync(RecoveryStep step, ScenarioClock clock)
    {
        var started = clock.Now;
        using var timeout = clock.Timeout(step.Timeout);
        Outcome outcome;
        try
        {
            outcome = await step.Run(timeout.Token).AsTask().WaitAsync(step.Timeout + TimeSpan.FromSeconds(1), clock.Provider).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && timeout.IsCancellationRequested))
        {
            outcome = Outcome.TimedOut($"the recovery step did not finish within {Format.Duration(step.Timeout)}");
        }
        catch (Exception exception)
        {
            outcome = Outcome.Failed(exception.GetType().Name, exception.Message);
        }
        var seconds = Math.Round(Clock.ToSeconds(clock.Now - started), 6);
        return new Results.RecoveryResult(outcome.IsOk, outcome.Kind, outcome.Message, seconds) { Step = step.Description };
    }

    private static async Task WaitForStopAsync(ScenarioRun run, Task issuing)
    {
        // One signal with asynchronous continuations: whoever completes it, the runner continues on the pool.
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (run.StopIssuingToken.Register(() => stopped.TrySetResult()))
        {
            _ = issuing.ContinueWith(static (_, state) => ((TaskCompletionSource)state!).TrySetResult(), stopped,
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            await stopped.Task.ConfigureAwait(false);
        }
        // An executor that ends without saying why has nothing more to issue.
        if (!run.IssuingStopped) run.StopIssuing(StopReason.Completed);
    }

    /// <summary>
    /// Waits for in-flight operations to finish, and for granted ones to begin, up to the grace period, the
    /// deadline, or a hang.
    /// </summary>
    private static async Task DrainAsync(ScenarioRun run, Bounds bounds)
    {
        var clock = run.Time;
        var limit = clock.Now + Clock.FromTimeSpan(bounds.GracePeriod);
        if (bounds.Deadline is { } deadline) limit = Math.Min(limit, run.StartTicks + Clock.FromTimeSpan(deadline));
        while ((run.CountInFlight() > 0 || run.CountGrantedNotStarted() > 0) && clock.Now < limit && !run.EndingNow)
            await clock.Delay(DrainPollInterval, CancellationToken.None).ConfigureAwait(false);
    }

    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(2);
}
