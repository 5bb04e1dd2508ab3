using System.Runtime.CompilerServices;

namespace Gauntlet.Engine;

/// <summary>A load profile's answer to a worker asking for its next operation: go (with which iteration, id and intended start) or stop.</summary>
internal readonly record struct Issue(bool Go, long Iteration, long OperationId, long IntendedTicks)
{
    public static Issue Stop => default;

    /// <summary>Go now: the intended start is the actual start (closed and iteration models).</summary>
    public static Issue Now(long iteration, long operationId) => new(true, iteration, operationId, 0);
}

/// <summary>
/// Decides, for each worker, whether and what to run next. One per load model; the worker loop in
/// <see cref="ScenarioRun"/> is shared so the hot path exists once.
/// </summary>
internal interface IIssuer
{
    /// <summary>Completes synchronously except in the open model, where a slot waits for its next arrival.</summary>
    ValueTask<Issue> NextAsync(WorkerSlot slot);
}

/// <summary>Why issuing stopped. The first reason recorded wins.</summary>
internal enum StopReason
{
    None,
    /// <summary>The load profile ran its course (stages done, iterations done).</summary>
    Completed,
    /// <summary>The duration bound elapsed.</summary>
    Duration,
    /// <summary>The iteration bound was reached.</summary>
    Iterations,
    /// <summary>The caller cancelled the run.</summary>
    Cancelled,
    /// <summary>The watchdog declared a hang.</summary>
    Hang,
    /// <summary>The hard deadline was reached.</summary>
    Deadline,
    /// <summary>A threshold watched live failed (<see cref="Thresholds.Threshold.AbortAfter"/>); in-flight work gets the grace period.</summary>
    Aborted,
}

/// <summary>
/// A one-shot-at-a-time signal a parked worker awaits without allocating: the open model's dispatcher hands
/// an arrival to an idle slot through it. The worker continues on the thread pool, or, for an operation that
/// starts without blocking (<see cref="Scenarios.Operation.StartsWithoutBlocking"/>), on the thread that sets the signal.
/// </summary>
internal sealed class IssueSignal(bool continueOnSetter = false) : System.Threading.Tasks.Sources.IValueTaskSource<Issue>
{
    private System.Threading.Tasks.Sources.ManualResetValueTaskSourceCore<Issue> _core = new() { RunContinuationsAsynchronously = !continueOnSetter };

    public ValueTask<Issue> WaitAsync() => new(this, _core.Version);

    public void Set(Issue issue) => _core.SetResult(issue);

    public Issue GetResult(short token)
    {
        var issue = _core.GetResult(token);
        _core.Reset();
        return issue;
    }

    public System.Threading.Tasks.Sources.ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, System.Threading.Tasks.Sources.ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
