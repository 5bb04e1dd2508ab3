using System.Collections.Concurrent;
using System.Text;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Process;

/// <summary>
/// Runs one child process per operation (see <see cref="ChildProcess"/>) and turns its ending into an
/// <see cref="Outcome"/>: a failed start is <c>Failed(spawn_ENOENT)</c>, a death by signal is <c>Crashed(SIGSEGV)</c>,
/// an unexpected exit code is <c>Failed(exit_N)</c>, a failed check is <c>Failed(check_...)</c>, processes or pipes
/// left behind are <c>Failed(leaked)</c>, and the operation's own timeout is <c>TimedOut</c>. The scenario's
/// cancellation (its timeout, the end of the run, Ctrl-C) stops the child's whole process group. It knows which
/// worker's process is running (<see cref="IAgentProcesses"/>), so injected faults can signal an agent.
/// </summary>
public sealed class ProcessOperation : Operation, IAgentProcesses
{
    private readonly ProcessOptions _options;
    private readonly ConcurrentDictionary<int, AgentProcess> _running = new();
    private readonly ProcessLimits _limits;
    private readonly string[]? _baseEnvironment;

    /// <summary>Creates the operation; throws <see cref="ScenarioValidationException"/> on invalid options.</summary>
    public ProcessOperation(ProcessOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        _options = options;
        _limits = new ProcessLimits
        {
            Timeout = options.Timeout,
            KillGrace = options.KillGrace,
            HeadBytes = options.CaptureBytes / 2,
            TailBytes = options.CaptureBytes - options.CaptureBytes / 2,
        };
        if (options.Environment.Count > 0 || !options.InheritEnvironment)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (options.InheritEnvironment)
                foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
                    environment[(string)entry.Key] = (string?)entry.Value ?? "";
            foreach (var name in options.Environment.Keys) environment.Remove(name);
            _baseEnvironment = [.. environment.Select(e => $"{e.Key}={e.Value}")];
        }
    }

    /// <summary>The settings.</summary>
    public ProcessOptions Options => _options;

    /// <inheritdoc />
    public override string Name => "process";

    /// <summary>Always: every operation runs a process of its own, which agent faults can signal.</summary>
    public override IAgentProcesses? Processes => this;

    internal override bool HasOutput => true;

    /// <summary>The launch for one operation: every template expanded.</summary>
    public ProcessLaunch LaunchFor(OperationContext context) => LaunchFor(context.WorkerId, context.Iteration, context.OperationId);

    /// <summary>The launch for a worker, iteration and operation id.</summary>
    public ProcessLaunch LaunchFor(long worker, long iteration, long id)
    {
        var command = _options.CommandLine;
        var launch = _options.Shell
            ? new ProcessLaunch(ProcessOptions.ShellPath, ["-c", command[0].Expand(worker, iteration, id)])
            : new ProcessLaunch(command[0].Expand(worker, iteration, id), [.. command.Skip(1).Select(a => a.Expand(worker, iteration, id))]);
        List<string>? environment = null;
        if (_baseEnvironment is not null)
        {
            environment = [.. _baseEnvironment];
            foreach (var (name, value) in _options.Environment) environment.Add($"{name}={value.Expand(worker, iteration, id)}");
        }
        return launch with
        {
            Environment = environment,
            WorkingDirectory = _options.WorkingDirectory?.Expand(worker, iteration, id),
            Stdin = _options.Stdin is { } stdin ? Encoding.UTF8.GetBytes(stdin.Expand(worker, iteration, id)) : null,
        };
    }

    /// <summary>Runs one operation.</summary>
    public override async ValueTask<Outcome> RunAsync(OperationContext context)
    {
        var worker = context.WorkerId;
        var operationId = context.OperationId;
        var launch = LaunchFor(context) with { Started = pid => _running[worker] = new AgentProcess(worker, pid, operationId) };
        try
        {
            var exit = await ChildProcess.RunAsync(launch, _limits, context.CancellationToken).ConfigureAwait(false);
            if (context.KeepsOutput) context.Output = exit.Stdout.Text;
            return ToOutcome(exit, _options.Checks);
        }
        finally
        {
            _running.TryRemove(worker, out _);
        }
    }

    /// <summary>The command line as written, templates unexpanded, for messages.</summary>
    public string Describe() => string.Join(' ', _options.CommandLine.Select(a => a.Text));

    /// <summary>
    /// This command as a scenario's recovery step: run once (with worker, iteration and id 0) after the last operation,
    /// under the same checks; a failure's message ends with the tail of its output, as an operation's does.
    /// </summary>
    public RecoveryStep ToRecoveryStep() => new(async cancellationToken =>
        ToOutcome(await ChildProcess.RunAsync(LaunchFor(0, 0, 0), _limits, cancellationToken).ConfigureAwait(false), _options.Checks))
    {
        // The child's own timeout and kill grace end it first; the step's bound is the last resort.
        Timeout = (_options.Timeout ?? DefaultRecoveryTimeout) + _options.KillGrace + TimeSpan.FromSeconds(1),
        Description = Describe(),
    };

    /// <summary>A recovery command without a timeout of its own gets this one.</summary>
    public static readonly TimeSpan DefaultRecoveryTimeout = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public void CopyRunning(List<AgentProcess> running)
    {
        foreach (var (_, process) in _running) running.Add(process);
    }

    /// <inheritdoc />
    public bool TrySignal(AgentProcess process, AgentSignal signal, Action? hitting = null) =>
        // Still this agent's running operation (a pid from a finished one could have been reused), then a provable hit.
        _running.TryGetValue(process.Agent, out var current) && current == process && GroupSignal.Deliver(process.Pid, signal, hitting);

    /// <summary>The outcome of a child's run under <paramref name="checks"/>.</summary>
    public static Outcome ToOutcome(ProcessExit exit, ProcessChecks checks)
    {
        switch (exit.Ending)
        {
            case ProcessEnding.NotStarted:
                return Outcome.NotStarted(Outcome.SpawnFailedPrefix + exit.SpawnError, $"could not start the program: {exit.SpawnError} ({exit.SpawnMessage})");
            case ProcessEnding.Signaled:
                if (exit.TimedOut) return Outcome.TimedOut($"still running after its timeout; stopped with {exit.SignalName}{ProcessChecks.Tail(exit)}");
                if (exit.Cancelled) return Outcome.Failed("cancelled", $"stopped with {exit.SignalName} at the end of the run");
                return Outcome.Crashed(exit.SignalName!, $"killed by {exit.Describe()}{ProcessChecks.Tail(exit)}");
            case ProcessEnding.Exited:
                if (exit.TimedOut) return Outcome.TimedOut($"exited ({exit.Describe()}) only after its timeout{ProcessChecks.Tail(exit)}");
                var checkedOutcome = checks.Check(exit);
                if (!checkedOutcome.IsOk || exit.Leak is null) return checkedOutcome;
                return Outcome.Failed("leaked", $"{exit.Describe()}, but {exit.Leak}");
            default:
                throw new InvalidOperationException($"unknown ending {exit.Ending}");
        }
    }
}
