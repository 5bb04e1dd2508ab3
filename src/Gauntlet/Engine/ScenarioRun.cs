using Gauntlet.Metrics;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Verification;
using Gauntlet.Results;

namespace Gauntlet.Engine;

/// <summary>
/// The live state of one scenario while it runs: its workers' slots, its recorders, and the signals that
/// end issuing and cut off in-flight work. It owns the worker loop, the one hot path of the engine.
/// </summary>
internal sealed class ScenarioRun
{
    private readonly Operation _operation;
    private readonly TimeSpan? _timeout;
    private readonly long _maxIterations;
    private readonly CancellationTokenSource _stopIssuing = new();
    private readonly CancellationTokenSource _endNow = new();
    private readonly CancellationTokenSource _abort = new();
    private int _stopReason;
    private bool _issuingStopped;
    private bool _endingNow;
    private long _stopTicks;
    private long _iterationsClaimed;
    private int _activeWorkers;
    private long _dropped;
    private long _handedOff;
    private int _targetWorkers;
    private bool _dispatching;

    public ScenarioRun(Scenario scenario, ScenarioClock? time = null)
    {
        Scenario = scenario;
        Time = time ?? ScenarioClock.System;
        _operation = scenario.Operation;
        _timeout = scenario.Bounds.OperationTimeout;
        Segment = scenario.Segment;
        _maxIterations = scenario.Bounds.MaxIterations is { } max ? Segment.ShareOf(max) : long.MaxValue;
        // A segment runs its share of the slots, each with the number it has in the whole scenario.
        var concurrency = Segment.ShareOf(scenario.Load.MaxConcurrency);
        // Enough shards that two cores never write the same one in a small scenario, few enough to bound memory in a big one.
        var shards = Math.Max(1, Math.Min(concurrency, Environment.ProcessorCount * 2));
        var singleWriter = concurrency <= shards;
        Slots = new WorkerSlot[concurrency];
        for (var i = 0; i < concurrency; i++) Slots[i] = new WorkerSlot(i, Segment.GlobalOf(i), i % shards);
        Latency = new LatencyRecorder(shards, singleWriter);
        IsOpen = scenario.Load is OpenProfile;
        if (IsOpen)
        {
            ServiceTime = new LatencyRecorder(shards, singleWriter);
            SchedulingLag = new LatencyRecorder(shards, singleWriter);
        }
        Errors = new ErrorTally();
    }

    public Scenario Scenario { get; }

    /// <summary>The part of the scenario this run issues: its share of workers, arrivals and iterations.</summary>
    public Segment Segment { get; }

    /// <summary>The slot of worker <paramref name="globalId"/> (a number from the whole scenario, as operations see it).</summary>
    public WorkerSlot SlotOf(int globalId) => Slots[Segment.LocalOf(globalId)];

    /// <summary>The clock the scenario runs on; every tick count of the run is its reading.</summary>
    public ScenarioClock Time { get; }
    public WorkerSlot[] Slots { get; }
    public bool IsOpen { get; }
    public LatencyRecorder Latency { get; }
    public LatencyRecorder? ServiceTime { get; }
    public LatencyRecorder? SchedulingLag { get; }
    public ErrorTally Errors { get; }

    /// <summary>Where each operation is recorded when the scenario has a history; null otherwise. Set before the start.</summary>
    public HistoryLog? History { get; set; }

    /// <summary>The run as the meter sees it (<see cref="LiveMetrics"/>); null for a warm-up.</summary>
    public LiveRun? Live { get; set; }

    /// <summary>When the scenario started, in clock ticks.</summary>
    public long StartTicks { get; private set; }

    /// <summary>Cancelled when no new operation may start.</summary>
    public CancellationToken StopIssuingToken => _stopIssuing.Token;

    /// <summary>Cancelled when waiting for in-flight work must end at once (hang, deadline).</summary>
    public CancellationToken EndNowToken => _endNow.Token;

    public bool IssuingStopped => Volatile.Read(ref _issuingStopped);

    /// <summary>True once waiting for in-flight work must end at once.</summary>
    public bool EndingNow => Volatile.Read(ref _endingNow);
    public StopReason StopReason => (StopReason)Volatile.Read(ref _stopReason);
    public long StopTicks => Volatile.Read(ref _stopTicks);

    /// <summary>Workers whose loop is running (a gauge for the timeline).</summary>
    public int ActiveWorkers => Volatile.Read(ref _activeWorkers);

    /// <summary>Open model: arrivals that found every slot busy.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Closed model: how many workers should be running; workers with a higher id stop after their current operation.</summary>
    public int TargetWorkers
    {
        get => Volatile.Read(ref _targetWorkers);
        set => Volatile.Write(ref _targetWorkers, value);
    }

    /// <summary>
    /// Open model: true while the dispatcher may still hand out arrivals, which it does after the stop for those due
    /// before it; the end of the scenario waits for that (<see cref="CountGrantedNotStarted"/>).
    /// </summary>
    public bool Dispatching
    {
        get => Volatile.Read(ref _dispatching);
        set => Volatile.Write(ref _dispatching, value);
    }

    /// <summary>Set by the open executor: arrivals dispatched (started or dropped) and scheduled while issuing.</summary>
    public long ArrivalsDispatched { get; set; }

    public void MarkStarted() => StartTicks = Time.Now;

    public void AddDropped() => Volatile.Write(ref _dropped, _dropped + 1);

    /// <summary>Open model: the dispatcher (the only writer) handed an arrival to an idle worker.</summary>
    public void AddHandedOff() => Volatile.Write(ref _handedOff, _handedOff + 1);

    /// <summary>
    /// Stops issuing; the first reason wins. Workers see the flag at once. The tokens are cancelled on the
    /// thread pool, never on the caller's thread: cancelling runs continuations inline, and the callers include
    /// the collector and dispatcher threads, which must never end up running the runner (or joining themselves).
    /// </summary>
    public void StopIssuing(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
            Volatile.Write(ref _stopTicks, Time.Now);
        var endNow = reason is StopReason.Hang or StopReason.Deadline;
        if (endNow) Volatile.Write(ref _endingNow, true);
        Volatile.Write(ref _issuingStopped, true);
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (run, endNow) = state;
            if (endNow) run._endNow.Cancel();
            run._stopIssuing.Cancel();
        }, (this, endNow), preferLocal: false);
    }

    /// <summary>Claims one operation against the iteration bound; false (and issuing stops) once it is used up.</summary>
    public bool ClaimIteration()
    {
        if (_maxIterations == long.MaxValue) return true;
        if (Interlocked.Increment(ref _iterationsClaimed) <= _maxIterations) return true;
        StopIssuing(StopReason.Iterations);
        return false;
    }

    /// <summary>Cuts off whatever still runs and closes every slot. Returns the number of operations cut off.</summary>
    public long Seal()
    {
        long cutOff = 0;
        var now = Time.Now;
        foreach (var slot in Slots)
        {
            if (!slot.Seal()) continue;
            cutOff++;
            // Its fate is unknown: the operation may yet take effect, so the history says indeterminate.
            var context = slot.Context;
            History?.Add(new HistoryEntry(slot.OperationId, slot.GlobalId, context.Function ?? DefaultFunction, context.Value,
                Clock.ToMicros(slot.OperationStartTicks - StartTicks), Clock.ToMicros(now - StartTicks), HistoryOutcome.Indeterminate, "cut_off"));
        }
        _abort.Cancel();
        return cutOff;
    }

    /// <summary>
    /// Operations an issuer granted that no worker has begun yet: a worker between its issuer's answer and
    /// <see cref="WorkerSlot.TryBegin"/>. Tracked where counts are promised exactly (the iteration bound and open
    /// arrivals), so that the end of a scenario waits for them instead of sealing them away unstarted.
    /// </summary>
    public long CountGrantedNotStarted()
    {
        // A dispatcher still at work may grant more: at least one is owed until it has finished.
        var owedByDispatcher = IsOpen && Dispatching ? 1 : 0;
        var granted = IsOpen ? Volatile.Read(ref _handedOff)
            : _maxIterations == long.MaxValue ? 0
            : Math.Min(Volatile.Read(ref _iterationsClaimed), _maxIterations);
        if (granted == 0) return owedByDispatcher;
        long started = 0;
        foreach (var slot in Slots) started += slot.Started;
        return Math.Max(owedByDispatcher, granted - started);
    }

    /// <summary>Operations running now, read from the slots.</summary>
    public int CountInFlight()
    {
        var count = 0;
        foreach (var slot in Slots)
        {
            var state = slot.State;
            if (state is WorkerSlot.Starting or WorkerSlot.Running or WorkerSlot.Recording) count++;
        }
        return count;
    }

    /// <summary>
    /// The worker loop: ask the issuer, run the operation, classify and record its outcome. Written for speed:
    /// synchronous completions never await, the context is reused, and nothing is allocated per operation.
    /// </summary>
    public async Task RunWorkerAsync(WorkerSlot slot, IIssuer issuer)
    {
        Interlocked.Increment(ref _activeWorkers);
        try
        {
            var context = slot.Context;
            var operation = _operation;
            // A C# delegate is called directly: through its Operation it costs a second indirect call per operation,
            // which the closed-model benchmark of an empty operation measured (bench/results/engine.md).
            var direct = (operation as DelegateOperation)?.Run;
            var history = History;
            var clock = Time;
            long previousEnd = 0;
            while (true)
            {
                var next = issuer.NextAsync(slot);
                var issue = next.IsCompletedSuccessfully ? next.Result : await next.ConfigureAwait(false);
                if (!issue.Go) return;
                // Back to back, the previous operation's end is this one's start: a clock read costs 30 ns on
                // a VM, and the bookkeeping between the two is far below the histogram's 1 us resolution.
                var start = issue.IntendedTicks == 0 && next.IsCompletedSuccessfully && previousEnd != 0 ? previousEnd : clock.Now;
                if (!slot.TryBegin(issue.OperationId, issue.Iteration, start)) return;
                var timeout = ArmTimeout(slot);
                var token = timeout?.Token ?? _abort.Token;
                if (context.CancellationToken != token) context.CancellationToken = token;
                if (history is not null)
                {
                    context.Function = null;
                    context.Value = null;
                }
                Outcome outcome;
                try
                {
                    var running = direct is not null ? direct(context) : operation.RunAsync(context);
                    outcome = running.IsCompletedSuccessfully ? running.Result : await running.ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    outcome = FromException(exception, timeout);
                }
                var end = clock.Now;
                previousEnd = end;
                if (timeout is not null) outcome = Disarm(slot, timeout, outcome);
                if (!slot.TryEnd()) return;
                Record(slot, outcome, issue.IntendedTicks == 0 ? start : issue.IntendedTicks, start, end);
                history?.Add(ToHistory(slot, outcome, start, end));
                slot.Finish(outcome);
                if (slot.Retired) return;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeWorkers);
        }
    }

    private void Record(WorkerSlot slot, in Outcome outcome, long intended, long start, long end)
    {
        Latency.Record(slot.Shard, Clock.ToMicros(end - intended));
        if (IsOpen)
        {
            ServiceTime!.Record(slot.Shard, Clock.ToMicros(end - start));
            SchedulingLag!.Record(slot.Shard, Clock.ToMicros(start - intended));
        }
        if (!outcome.IsOk) Errors.Add(outcome);
    }

    /// <summary>What the history calls an operation that did not say what it does.</summary>
    public const string DefaultFunction = "op";

    private HistoryEntry ToHistory(WorkerSlot slot, in Outcome outcome, long start, long end) => new(
        slot.OperationId, slot.GlobalId, slot.Context.Function ?? DefaultFunction, slot.Context.Value,
        Clock.ToMicros(start - StartTicks), Clock.ToMicros(end - StartTicks),
        outcome.Status switch
        {
            OutcomeStatus.Ok => HistoryOutcome.Ok,
            OutcomeStatus.Failed => HistoryOutcome.Failed,
            // A timeout or a crash says nothing about whether the effect happened.
            _ => HistoryOutcome.Indeterminate,
        },
        outcome.Kind);

    private CancellationTokenSource? ArmTimeout(WorkerSlot slot)
    {
        if (_timeout is not { } timeout) return null;
        var source = slot.TimeoutSource ??= Time.LinkedTimeout(_abort.Token);
        source.CancelAfter(timeout);
        return source;
    }

    private Outcome Disarm(WorkerSlot slot, CancellationTokenSource source, Outcome outcome)
    {
        var timedOut = source.IsCancellationRequested && !_abort.IsCancellationRequested;
        // TryReset stops the timer and keeps the source for the next operation; a cancelled source cannot be reused.
        if (!source.TryReset())
        {
            source.Dispose();
            slot.TimeoutSource = null;
        }
        // The caller gave up at the timeout, whatever the operation said afterwards; a crash stays a crash.
        return timedOut && outcome.Status != OutcomeStatus.Crashed && outcome.Status != OutcomeStatus.TimedOut
            ? Outcome.TimedOut($"no result within {Format.Duration(_timeout!.Value)}")
            : outcome;
    }

    private Outcome FromException(Exception exception, CancellationTokenSource? timeout)
    {
        if (exception is OperationCanceledException)
        {
            if (timeout is { IsCancellationRequested: true } && !_abort.IsCancellationRequested)
                return Outcome.TimedOut($"no result within {Format.Duration(_timeout!.Value)}");
            if (_abort.IsCancellationRequested) return Outcome.Failed("cancelled", "cancelled at the end of the scenario");
        }
        var message = exception.Message;
        // Wrappers like HttpRequestException say little; the innermost cause says what went wrong.
        var inner = exception.InnerException;
        while (inner?.InnerException is not null) inner = inner.InnerException;
        if (inner is not null) message += $" ({inner.GetType().Name}: {inner.Message})";
        return Outcome.Failed(exception.GetType().Name, message);
    }

}
