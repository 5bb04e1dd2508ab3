using Gauntlet.Results;

namespace Gauntlet.Scenarios;

/// <summary>
/// One unit of work and what it needs around a scenario: <see cref="SetUpAsync"/> before the clock starts,
/// <see cref="RunAsync"/> once per operation, <see cref="LoadEnded"/> once every operation has ended or been cut off,
/// <see cref="AddFigures"/> for the result, and <see cref="TearDownAsync"/> after the verifiers. What the engine may do
/// with it is declared by members (<see cref="Redirection"/>, <see cref="Processes"/>, <see cref="KindNames"/>,
/// <see cref="StartsWithoutBlocking"/>, <see cref="FaultWindows"/>), never discovered by casting, so a scenario built
/// in C# has exactly what the same scenario read from YAML has.
/// </summary>
/// <remarks>
/// Every built-in target is one (<c>HttpOperation</c>, <c>TcpOperation</c>, <c>ProcessOperation</c>,
/// <c>SyntheticOperation</c>, the stress kit's patterns). A plain delegate becomes one through
/// <see cref="From(string, Func{OperationContext, ValueTask{Outcome}})"/> (which <see cref="Scenario.Create(string, Func{OperationContext, ValueTask{Outcome}})"/>
/// does for you) and declares nothing. One object may serve several scenarios run one after the other (a
/// breaking-point search does): set-up and tear-down come in pairs around each.
/// </remarks>
public abstract class Operation
{
    /// <summary>What it is, for messages and reports: <c>http</c>, <c>tcp</c>, <c>process</c>, <c>synthetic</c>, or a name of yours.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Prepares the target before the scenario's clock starts (start a built-in server, check the open-files limit,
    /// probe the address) and forgets the figures of an earlier run. Throws <see cref="TargetUnreachableException"/>
    /// when the target cannot be reached or started, which ends the run before anything is issued; when it throws,
    /// it leaves nothing running. Default: nothing to prepare.
    /// </summary>
    public virtual ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs one operation. Exceptions it throws become <see cref="OutcomeStatus.Failed"/> outcomes with the
    /// exception's type as kind; it should honour <see cref="OperationContext.CancellationToken"/> (the per-operation
    /// timeout and the end of the run).
    /// </summary>
    public abstract ValueTask<Outcome> RunAsync(OperationContext context);

    /// <summary>
    /// Every operation has completed or been cut off: close connections that are still open (a cut-off operation may
    /// still be running and must then fail fast). Called before the recovery step and the verifiers, which may still
    /// need what <see cref="SetUpAsync"/> started. Default: nothing.
    /// </summary>
    public virtual void LoadEnded()
    {
    }

    /// <summary>
    /// Forget the figures counted so far: the measured part of the scenario starts after a warm-up. Connections and
    /// feeders' positions stay as they are. Default: nothing.
    /// </summary>
    public virtual void ResetFigures()
    {
    }

    /// <summary>Returns <paramref name="result"/> with this operation's own figures added (status codes, bytes, per-kind counts); called after <see cref="LoadEnded"/>.</summary>
    public virtual ScenarioResult AddFigures(ScenarioResult result) => result;

    /// <summary>Stops what <see cref="SetUpAsync"/> started (a built-in server, a proxy), after the verifiers; called only when set-up succeeded.</summary>
    public virtual ValueTask TearDownAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Ability: the operation connects to one TCP address that can be changed, so a fault proxy can stand in front of
    /// it (<see cref="Scenario.Faults"/> with latency, resets and the like). Null: it connects nowhere a proxy can go.
    /// </summary>
    public virtual IRedirectableTarget? Redirection => null;

    /// <summary>Ability: each operation runs a process of its own, which agent faults (kill, interrupt, stop) can signal. Null: no processes.</summary>
    public virtual IAgentProcesses? Processes => null;

    /// <summary>Ability: the named kinds the result reports one by one (a weighted HTTP mix), which a threshold may narrow a metric to, as in <c>p99(login) &lt; 50ms</c>. Empty: none.</summary>
    public virtual IReadOnlyList<string> KindNames => [];

    /// <summary>
    /// Ability: operations never block before their first real wait (a few microseconds of work, then await I/O).
    /// The open model's dispatcher then starts each arrival on its own thread instead of waking a pool thread for it,
    /// which on a virtual machine costs more than the request itself. An operation that may block or compute for
    /// long must not claim it: every arrival behind it would start late. Default: false.
    /// </summary>
    public virtual bool StartsWithoutBlocking => false;

    /// <summary>Fault windows that what <see cref="SetUpAsync"/> started injects on a schedule (a proxy of the operation's own), marked on the timeline; null: none.</summary>
    public virtual IFaultWindows? FaultWindows => null;

    /// <summary>
    /// True when the operation receives something a history label can read its function and value from
    /// (<c>history: { value: { regex: ... } }</c>): a process's standard output, a TCP reply, an HTTP response body.
    /// An operation that receives nothing leaves <see cref="OperationContext.Output"/> unset.
    /// </summary>
    internal virtual bool HasOutput => false;

    /// <summary>The abilities this operation declares, in words, for messages: e.g. "connects to one address, named kinds".</summary>
    public string DescribeAbilities()
    {
        var abilities = new List<string>();
        if (Redirection is not null) abilities.Add("connects to one address");
        if (Processes is not null) abilities.Add("runs processes");
        if (KindNames.Count > 0) abilities.Add("named kinds");
        if (StartsWithoutBlocking) abilities.Add("starts without blocking");
        return abilities.Count == 0 ? "none" : string.Join(", ", abilities);
    }

    /// <summary>An operation that runs <paramref name="run"/> and declares nothing else; <paramref name="name"/> is how messages name it.</summary>
    public static Operation From(string name, Func<OperationContext, ValueTask<Outcome>> run) => new DelegateOperation(name, run);

    /// <summary>An operation that runs <paramref name="run"/>, named <c>delegate</c> in messages, and declares nothing else.</summary>
    public static Operation From(Func<OperationContext, ValueTask<Outcome>> run) => new DelegateOperation(DelegateOperation.DefaultName, run);

    /// <summary>
    /// This operation, with each run labelled <paramref name="function"/> for the history and the value
    /// <paramref name="value"/> gives for it (none when null), e.g.
    /// <c>store.Labelled("write", ctx =&gt; $"agent{ctx.WorkerId}-{ctx.Iteration}")</c>. Every ability stays.
    /// </summary>
    public Operation Labelled(string function, Func<OperationContext, string?>? value = null) => new LabelledOperation(this, function, value);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A C# delegate as an operation: it runs and declares nothing.</summary>
internal sealed class DelegateOperation(string name, Func<OperationContext, ValueTask<Outcome>> run) : Operation
{
    public const string DefaultName = "delegate";

    public override string Name { get; } = string.IsNullOrWhiteSpace(name) ? DefaultName : name;

    /// <summary>The delegate itself: the engine's worker loop calls it directly, one indirect call per operation instead of two.</summary>
    public Func<OperationContext, ValueTask<Outcome>> Run { get; } = run ?? throw new ArgumentNullException(nameof(run));

    public override ValueTask<Outcome> RunAsync(OperationContext context) => Run(context);

    /// <summary>
    /// The operation whose own method the delegate is (<c>Scenario.Create(name, http.RunAsync)</c>), whose set-up and
    /// abilities the delegate would hide; null when it is a plain delegate. Only for the validation's message.
    /// </summary>
    public Operation? Hidden => Run.Target as Operation;
}

/// <summary>
/// Labels each operation for the history before running it: what it does (<see cref="OperationContext.Function"/>)
/// and to which value (<see cref="OperationContext.Value"/>). Everything else is the inner operation's, abilities
/// included, so a labelled process operation can still be signalled by agent faults.
/// </summary>
/// <remarks>
/// With <see cref="FromOutput"/>, the function and the value can also be read from what the operation received (a
/// process's standard output): a read's value is known only once it returns. What is found there replaces what was
/// set before; an operation killed mid-way keeps what its output had shown by then.
/// </remarks>
internal sealed class LabelledOperation(Operation inner, string function, Func<OperationContext, string?>? value) : Operation
{
    /// <summary>Reads the function and value from the operation's output; each gives null when the output does not show it.</summary>
    public (Func<string, string?>? Function, Func<string, string?>? Value) FromOutput { get; init; }

    public override string Name => inner.Name;

    public override ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken) => inner.SetUpAsync(scenario, cancellationToken);

    public override ValueTask<Outcome> RunAsync(OperationContext context)
    {
        context.Function = function;
        if (value is not null) context.Value = value(context);
        if (FromOutput is (null, null)) return inner.RunAsync(context);
        context.KeepsOutput = true;
        context.Output = null;
        return RunReadingOutputAsync(context);
    }

    private async ValueTask<Outcome> RunReadingOutputAsync(OperationContext context)
    {
        try
        {
            return await inner.RunAsync(context).ConfigureAwait(false);
        }
        finally
        {
            if (context.Output is { } output)
            {
                if (FromOutput.Function?.Invoke(output) is { } f) context.Function = f;
                if (FromOutput.Value?.Invoke(output) is { } v) context.Value = v;
            }
            context.Output = null;
        }
    }

    public override void LoadEnded() => inner.LoadEnded();

    public override void ResetFigures() => inner.ResetFigures();

    public override ScenarioResult AddFigures(ScenarioResult result) => inner.AddFigures(result);

    public override ValueTask TearDownAsync() => inner.TearDownAsync();

    public override IRedirectableTarget? Redirection => inner.Redirection;

    public override IAgentProcesses? Processes => inner.Processes;

    public override IReadOnlyList<string> KindNames => inner.KindNames;

    public override bool StartsWithoutBlocking => inner.StartsWithoutBlocking;

    public override IFaultWindows? FaultWindows => inner.FaultWindows;

    internal override bool HasOutput => inner.HasOutput;
}
