using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Thresholds;

namespace Gauntlet.Scenarios;

/// <summary>
/// One stress scenario: what to do (<see cref="Operation"/>), how hard (<see cref="Load"/>), for how long
/// (<see cref="Bounds"/>) and what counts as passing (<see cref="Thresholds"/>). Immutable: every
/// <c>With…</c> method returns a changed copy, so a scenario can be used as a template.
/// </summary>
public sealed record Scenario
{
    /// <summary>Creates a scenario that runs <paramref name="operation"/>.</summary>
    public Scenario(string name, Operation operation)
    {
        Name = name;
        Operation = operation;
    }

    /// <summary>Creates a scenario from a delegate that reports its own outcome (an operation that declares nothing).</summary>
    public Scenario(string name, Func<OperationContext, ValueTask<Outcome>> operation)
        : this(name, Scenarios.Operation.From(operation))
    {
    }

    /// <summary>The scenario's name, unique within a run; used in reports and to select it.</summary>
    public string Name { get; init; }

    /// <summary>One unit of work, with its set-up, tear-down and declared abilities. Exceptions it throws become <see cref="OutcomeStatus.Failed"/> outcomes with the exception's type as kind.</summary>
    public Operation Operation { get; init; }

    /// <summary>How operations are issued. Default: one worker.</summary>
    public LoadProfile Load { get; init; } = LoadProfile.Closed(1);

    /// <summary>Duration, iteration, timeout and deadline limits.</summary>
    public Bounds Bounds { get; init; } = new();

    /// <summary>
    /// The part of the scenario this run issues when it is split across machines: its share of the workers, arrivals,
    /// iterations and feeder rows, with global ids (see <see cref="Scenarios.Segment"/>). Default: the whole.
    /// </summary>
    public Segment Segment { get; init; } = Segment.Whole;

    /// <summary>
    /// Thresholds such as <c>p99 &lt; 50ms</c>, parsed where they were written; all must hold for the scenario to pass.
    /// A string converts to a <see cref="Threshold"/> (<c>Thresholds = ["p99 &lt; 50ms"]</c>); one that does not parse is
    /// reported by <see cref="Validate"/>.
    /// </summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>End-of-run integrity checks over the history; all must pass for the scenario to pass.</summary>
    public IReadOnlyList<Verifier> Verifiers { get; init; } = [];

    /// <summary>Records the history (one entry per started operation) even without a verifier.</summary>
    public bool RecordsHistory { get; init; }

    /// <summary>True when the run writes this scenario's history: it has a verifier that reads it, or asked for it.</summary>
    public bool HasHistory => RecordsHistory || Verifiers.Any(v => v is { ReadsHistory: true });

    /// <summary>The target's own check or repair, run after the last operation and before the verifiers; null: none.</summary>
    public RecoveryStep? Recovery { get; init; }

    /// <summary>
    /// What the resource monitor watches beside Gauntlet itself (a pid, a process name) and how often. Default: no
    /// target, one sample a second; the target figures are then Gauntlet's own.
    /// </summary>
    public MonitorOptions Monitor { get; init; } = new();

    /// <summary>
    /// Faults injected into the target for the run, such as latency 200 ms from 10 s to 20 s through a fault proxy;
    /// each window is marked on the report's timeline. Null: none.
    /// </summary>
    public FaultOptions? Faults { get; init; }

    /// <summary>
    /// The tolerances beyond which the load generator, not the target, limited the run (arrivals dropped or started
    /// late, Gauntlet's own CPU saturated), making the verdict <see cref="Results.Verdict.Invalid"/>. Default: the
    /// defaults of <see cref="ValidityOptions"/>.
    /// </summary>
    public ValidityOptions Validity { get; init; } = new();

    /// <summary>The faults injected into agents' processes: <see cref="FaultOptions.Agents"/>, none when there are no faults.</summary>
    public IReadOnlyList<AgentFault> AgentFaults => Faults?.Agents ?? [];

    /// <summary>
    /// A scenario whose operation returns a task: it is ok unless the task faults. This overload exists so that
    /// <c>ctx =&gt; client.GetAsync(url)</c> is awaited rather than bound to the synchronous overload and discarded.
    /// </summary>
    public static Scenario Create(string name, Func<OperationContext, Task> operation) =>
        new(name, async context =>
        {
            await operation(context).ConfigureAwait(false);
            return Outcome.Ok;
        });

    /// <summary>A scenario whose operation reports its own outcome.</summary>
    public static Scenario Create(string name, Func<OperationContext, ValueTask<Outcome>> operation) => new(name, operation);

    /// <summary>A scenario that runs <paramref name="operation"/> (a built-in target such as <c>HttpOperation</c>, or an <see cref="Scenarios.Operation"/> of yours).</summary>
    public static Scenario Create(string name, Operation operation) => new(name, operation);

    /// <summary>
    /// A scenario whose operation is synchronous: it is ok unless it throws. A separate name from
    /// <see cref="Create(string, Func{OperationContext, Task})"/> so that a lambda returning a task or a value
    /// task can never bind here and have its task silently discarded.
    /// </summary>
    public static Scenario CreateSync(string name, Action<OperationContext> operation) =>
        new(name, context =>
        {
            operation(context);
            return new ValueTask<Outcome>(Outcome.Ok);
        });

    /// <summary>Sets the load profile.</summary>
    public Scenario WithLoad(LoadProfile load) => this with { Load = load };

    /// <summary>Sets all bounds at once.</summary>
    public Scenario WithBounds(Bounds bounds) => this with { Bounds = bounds };

    /// <summary>Issues operations for <paramref name="duration"/>.</summary>
    public Scenario WithDuration(TimeSpan duration) => this with { Bounds = Bounds with { Duration = duration } };

    /// <summary>Stops issuing after <paramref name="iterations"/> operations in total.</summary>
    public Scenario WithMaxIterations(long iterations) => this with { Bounds = Bounds with { MaxIterations = iterations } };

    /// <summary>Runs load for <paramref name="warmup"/> before the measured part, reported apart and judged by no threshold.</summary>
    public Scenario WithWarmup(TimeSpan warmup) => this with { Bounds = Bounds with { Warmup = warmup } };

    /// <summary>Times out each operation after <paramref name="timeout"/>.</summary>
    public Scenario WithTimeout(TimeSpan timeout) => this with { Bounds = Bounds with { OperationTimeout = timeout } };

    /// <summary>Runs segment <paramref name="index"/> (from 0) of <paramref name="count"/>: see <see cref="Segment"/>.</summary>
    public Scenario WithSegment(int index, int count) => this with { Segment = new Segment(index, count) };

    /// <summary>Hard limit on the scenario's wall time, grace period included.</summary>
    public Scenario WithDeadline(TimeSpan deadline) => this with { Bounds = Bounds with { Deadline = deadline } };

    /// <summary>How long in-flight operations may finish after issuing stops.</summary>
    public Scenario WithGracePeriod(TimeSpan grace) => this with { Bounds = Bounds with { GracePeriod = grace } };

    /// <summary>Ends the scenario as hung when no operation completes for <paramref name="after"/>.</summary>
    public Scenario WithHangDetection(TimeSpan? after) => this with { Bounds = Bounds with { HangAfter = after } };

    /// <summary>
    /// Adds thresholds, e.g. <c>"p99 &lt; 50ms", "error_rate &lt; 0.1%"</c> (strings convert through <see cref="Threshold.Of"/>)
    /// or <c>Threshold.Parse("p99 &lt; 50ms")</c>. An expression that does not parse is reported by <see cref="Validate"/>, not thrown here.
    /// </summary>
    public Scenario WithThresholds(params Threshold[] thresholds) => this with { Thresholds = [.. Thresholds, .. thresholds] };

    /// <summary>Sets what the resource monitor watches and how often.</summary>
    public Scenario WithMonitor(MonitorOptions monitor) => this with { Monitor = monitor };

    /// <summary>Sets the faults to inject, e.g. <c>new FaultOptions { Schedule = [new() { Latency = TimeSpan.FromMilliseconds(200), From = TimeSpan.FromSeconds(10), Until = TimeSpan.FromSeconds(20) }] }</c>.</summary>
    public Scenario WithFaults(FaultOptions faults) => this with { Faults = faults };
    /// <summary>Adds end-of-run verifiers (and so records the history), e.g. <c>Verifier.Set(ReadStoreAsync)</c>.</summary>
    public Scenario WithVerifiers(params Verifier[] verifiers) => this with { Verifiers = [.. Verifiers, .. verifiers] };

    /// <summary>Records the history to <c>history.jsonl</c> even without a verifier.</summary>
    public Scenario WithHistory() => this with { RecordsHistory = true };

    /// <summary>Adds faults injected into the agents' processes, e.g. <c>AgentFault.KillEvery(TimeSpan.FromSeconds(1))</c>.</summary>
    public Scenario WithAgentFaults(params AgentFault[] faults) => this with { Faults = (Faults ?? new FaultOptions()) with { Agents = [.. AgentFaults, .. faults] } };

    /// <summary>Runs <paramref name="recovery"/> after the last operation and before the verifiers.</summary>
    public Scenario WithRecovery(RecoveryStep recovery) => this with { Recovery = recovery };

    /// <summary>Returns a copy with these validity tolerances, e.g. <c>new ValidityOptions { Accept = true }</c>.</summary>
    public Scenario WithValidity(ValidityOptions validity) => this with { Validity = validity };

    /// <summary>Every problem with this scenario, each with its path; empty when it can run.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("name", "is required");
        if (Operation is null) problems.Add("operation", "is required");
        else if (Operation is DelegateOperation { Hidden: { } hidden })
            problems.Add("operation", $"is a method of the operation '{hidden.Name}', which hides its set-up and abilities ({hidden.DescribeAbilities()}); pass the operation itself: Scenario.Create(name, operation)");
        if (Load is null) problems.Add("load", "is required");
        else Load.Validate(problems.At("load"));
        if (Bounds is null) problems.Add("bounds", "is required");
        else Bounds.Validate(problems.At("bounds"));
        if (Load is not null && Bounds is not null && !Load.EndsByCount && Load.NaturalDuration is null
            && Bounds.Duration is null && Bounds.MaxIterations is null && Bounds.Deadline is null)
            problems.Add("bounds", "the scenario would never end: set a duration, an iteration count, a deadline, or stages in the load profile");
        if (Segment is null) problems.Add("segment", "is required; Segment.Whole runs the whole scenario");
        else if (Load is not null && !Segment.IsWhole && Load.MaxConcurrency < Segment.Count)
            problems.Add("segment", $"{Segment} splits {Load.MaxConcurrency} {(Load is OpenProfile ? "in-flight slots" : "workers")} into {Segment.Count} segments, so some would run nothing; use at most {Load.MaxConcurrency} segments or raise {(Load is OpenProfile ? "maxInFlight" : "the workers")}");
        if (Monitor is null) problems.Add("monitor", "is required");
        else Monitor.Validate(problems.At("monitor"));
        if (Faults is not null)
        {
            Faults.Validate(problems.At("faults"));
            if (Faults.UsesProxy && Operation is not null && Operation.Redirection is null)
                problems.Add("faults", $"the operation '{Operation.Name}' cannot take network faults: it does not connect to one address a fault proxy can stand in front of (its abilities: {Operation.DescribeAbilities()}); use a tcp or http operation, or an Operation of yours that overrides Redirection");
        }
        var kinds = Operation?.KindNames ?? [];
        var series = Monitor?.TargetSeries() ?? new Dictionary<string, string?>();
        for (var i = 0; i < (Thresholds?.Count ?? 0); i++)
        {
            if (Thresholds![i] is not { } threshold)
                problems.At("thresholds").Add($"[{i}]", "is null");
            else if (threshold.Error is { } error)
                problems.At("thresholds").Add($"[{i}]", error.ToString());
            else if (MetricCatalog.CheckNames(threshold, kinds, series) is { } unknownKind)
                problems.At("thresholds").Add($"[{i}]", unknownKind);
            else if (threshold.AbortAfter is { } after && (after < TimeSpan.Zero ? "abort.after cannot be negative; write 0s to watch from the start" : WindowedMetrics.WhyNotLive(threshold)) is { } noAbort)
                problems.At("thresholds").Add($"[{i}]", noAbort);
        }
        if (AgentFaults is { Count: > 0 } && Operation is not null && Operation.Processes is null)
            problems.Add("faults.agents", $"the operation '{Operation.Name}' cannot take agent faults: it runs no processes for them to signal (its abilities: {Operation.DescribeAbilities()}); use a process operation (operation: {{ process: ... }}), or an Operation of yours that overrides Processes");
        if (Load is OpenProfile && AgentFaults is { Count: > 0 } && AgentFaults.Any(f => f is { Restart: false }))
            problems.Add("faults.agents", "restart: false retires an agent, but an open model has no agents to retire, only arrivals; use a closed or iterations load");
        if (Validity is null) problems.Add("validity", "is required; new ValidityOptions() holds the defaults");
        else Validity.Validate(problems.At("validity"));
        if (Recovery is { } recovery)
        {
            if (recovery.Run is null) problems.Add("recover", "is required");
            problems.Positive("recover.timeout", recovery.Timeout);
        }
        var verifierNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (Verifiers?.Count ?? 0); i++)
        {
            if (Verifiers![i] is not { } verifier) problems.At("verifiers").Add($"[{i}]", "is null");
            else if (!verifierNames.Add(verifier.Name))
                problems.At("verifiers").Add($"[{i}]", $"'{verifier.Name}' is the name of another verifier; give one of them a name of its own");
        }
        return problems.All;
    }

    /// <summary>Throws <see cref="ScenarioValidationException"/> listing every problem, if there are any.</summary>
    public Scenario EnsureValid()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new ScenarioValidationException(problems);
    }
}
