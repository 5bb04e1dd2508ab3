using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Engine;

/// <summary>
/// The scenario's clock: a dedicated thread that ends issuing when the duration or the deadline is reached,
/// once a second sums the workers' counters and swaps out the interval histograms into a
/// <see cref="TimelinePoint"/>, and ten times a second runs the watchdog. Being a plain thread, it keeps
/// its rhythm even when synchronous operations hog every thread-pool thread (timers would fire late). It follows the
/// run's <see cref="ScenarioClock"/>: on a fake one, a second passes when the test advances it.
/// </summary>
internal sealed class Collector
{
    private static readonly TimeSpan WatchdogEvery = TimeSpan.FromMilliseconds(100);

    private readonly ScenarioRun _run;
    private readonly ScenarioClock _clock;
    private readonly Action<ScenarioProgress>? _onProgress;
    private readonly List<TimelinePoint> _timeline = [];
    private readonly ManualResetEventSlim _stop = new();
    private readonly long _hangAfterTicks;
    private readonly long _durationTicks;
    private readonly long _deadlineTicks;
    private Thread? _thread;
    private Totals _last;
    private long _lastDropped;
    private long _lastCompleted = -1;
    private long _lastProgressTicks;
    // Gauntlet's own CPU time and the real time at the previous reading, for the per-second CPU share.
    private TimeSpan _lastCpu;
    private long _lastCpuTicks;

    /// <summary>Each point's latency counts, kept when a threshold is judged over windows or watched live; else null.</summary>
    private readonly List<LatencyCounts?>? _secondLatency;

    /// <summary>The thresholds watched live (<c>abort:</c>); null when there are none.</summary>
    private readonly AbortWatch? _abortWatch;

    public Collector(ScenarioRun run, Action<ScenarioProgress>? onProgress)
    {
        _run = run;
        _clock = run.Time;
        _onProgress = onProgress;
        // A segment's points carry their encoded histograms already, for the merge, which judges its windows.
        if (run.Segment.IsWhole && run.Scenario.Thresholds.Any(t => t.Window is not null || t.AbortAfter is not null)) _secondLatency = [];
        _abortWatch = AbortWatch.For(run);
        var bounds = run.Scenario.Bounds;
        _hangAfterTicks = bounds.HangAfter is { } hang ? Clock.FromTimeSpan(hang) : 0;
        _durationTicks = bounds.Duration is { } duration ? Clock.FromTimeSpan(duration) : long.MaxValue;
        _deadlineTicks = bounds.Deadline is { } deadline ? Clock.FromTimeSpan(deadline) : long.MaxValue;
    }

    public IReadOnlyList<TimelinePoint> Timeline => _timeline;

    public HangReport? Hang { get; private set; }

    /// <summary>The per-second data windows read: the timeline and, when kept, each point's latency counts.</summary>
    public SecondSeries Seconds(IReadOnlyList<TimelinePoint> timeline, double issuingSeconds) => new(timeline, _secondLatency ?? [], issuingSeconds);

    /// <summary>Set when a threshold watched live failed and stopped issuing.</summary>
    public ScenarioAbort? Aborted => _abortWatch?.Aborted;

    public void Start()
    {
        _lastProgressTicks = _clock.Now;
        _lastCpu = Environment.CpuUsage.TotalTime;
        _lastCpuTicks = Clock.Now;
        _thread = new Thread(Loop) { IsBackground = true, Name = "gauntlet-collector" };
        _thread.Start();
    }

    /// <summary>Stops the thread and records the last, partial interval. Call after the seal so the counters are final.</summary>
    public void StopAndFlush()
    {
        _stop.Set();
        _thread?.Join();
        CollectPoint(_clock.Now, final: true);
    }

    private void Loop()
    {
        var second = Clock.FromTimeSpan(TimeSpan.FromSeconds(1));
        var nextPoint = _run.StartTicks + second;
        var watchdogTicks = Clock.FromTimeSpan(WatchdogEvery);
        var durationEnd = SaturatingAdd(_run.StartTicks, _durationTicks);
        var deadlineEnd = SaturatingAdd(_run.StartTicks, _deadlineTicks);
        while (true)
        {
            var now = _clock.Now;
            var wait = Math.Min(Math.Min(nextPoint, durationEnd), deadlineEnd) - now;
            wait = Math.Min(wait, watchdogTicks);
            if (wait > 0 ? _clock.Sleep(Clock.ToTimeSpan(wait), _stop.WaitHandle) : _stop.IsSet) return;
            now = _clock.Now;
            if (now >= deadlineEnd)
            {
                _run.StopIssuing(StopReason.Deadline);
                deadlineEnd = durationEnd = long.MaxValue;
            }
            else if (now >= durationEnd)
            {
                _run.StopIssuing(StopReason.Duration);
                durationEnd = long.MaxValue;
            }
            if (now >= nextPoint)
            {
                CollectPoint(now, final: false);
                // If the machine stalled past several boundaries, the next point covers the gap rather than inventing seconds.
                while (nextPoint <= now) nextPoint += second;
            }
            Watchdog(now);
        }
    }

    private static long SaturatingAdd(long a, long b) => b >= long.MaxValue - a ? long.MaxValue : a + b;

    private void CollectPoint(long now, bool final)
    {
        var totals = Totals.Read(_run.Slots);
        _run.Latency.CollectInterval();
        _run.ServiceTime?.CollectInterval();
        _run.SchedulingLag?.CollectInterval();
        var interval = _run.Latency.Interval;
        var lag = _run.SchedulingLag?.Interval;
        var dropped = _run.Dropped;
        var point = new TimelinePoint
        {
            Second = Math.Round(Clock.ToSeconds(now - _run.StartTicks), 3),
            Started = totals.Started - _last.Started,
            Completed = totals.Completed - _last.Completed,
            Ok = totals.Ok - _last.Ok,
            Errors = totals.Completed - totals.Ok - (_last.Completed - _last.Ok),
            Dropped = dropped - _lastDropped,
            P50Micros = interval.TotalCount == 0 ? 0 : interval.GetValueAtPercentile(50),
            P99Micros = interval.TotalCount == 0 ? 0 : interval.GetValueAtPercentile(99),
            // A segment keeps the second's histogram, so a merge takes each second's percentiles from all segments.
            Histogram = _run.Segment.IsWhole || interval.TotalCount == 0 ? null : Histograms.Encode(interval),
            InFlight = _run.CountInFlight(),
            Workers = _run.ActiveWorkers,
            GauntletCpu = SelfCpu(),
            LagP99Micros = lag is { TotalCount: > 0 } ? lag.GetValueAtPercentile(99) : null,
            ThreadPoolQueue = ThreadPool.PendingWorkItemCount,
        };
        _timeline.Add(point);
        _secondLatency?.Add(LatencyCounts.Of(interval));
        var previous = _timeline.Count > 1 ? _timeline[^2].Second : 0;
        _run.Live?.OnSecond(point, point.Second - previous, interval, lag);
        if (!final) _abortWatch?.OnSecond(_timeline, _secondLatency!, totals);
        _last = totals;
        _lastDropped = dropped;
        // The last point covers a partial second; progress displays show whole seconds.
        if (!final) _onProgress?.Invoke(new ScenarioProgress(_run.Scenario.Name, point, totals.Started, totals.Ok, totals.Completed - totals.Ok, dropped));
    }

    /// <summary>
    /// Gauntlet's own CPU since the previous point as a share of the cores available to it: process CPU time (one
    /// getrusage call) over real time, not the scenario's clock, since CPU time is real. Read here rather than taken from
    /// the resource monitor's samples, whose interval is the user's and not aligned with these seconds. Null on a
    /// simulated clock, whose seconds are not the real ones the CPU was spent in, and over a real interval too short to
    /// read (<see cref="GeneratorSaturation.MinCpuWindowSeconds"/>).
    /// </summary>
    private double? SelfCpu()
    {
        if (!_clock.IsSystem) return null;
        var now = Clock.Now;
        var seconds = Clock.ToSeconds(now - _lastCpuTicks);
        if (seconds < GeneratorSaturation.MinCpuWindowSeconds) return null;
        var cpu = Environment.CpuUsage.TotalTime;
        var share = (cpu - _lastCpu).TotalSeconds / seconds / Environment.ProcessorCount;
        _lastCpu = cpu;
        _lastCpuTicks = now;
        return Math.Round(Math.Max(0, share), 4);
    }

    /// <summary>
    /// Operations that ran longer than the hang limit while other workers went on completing theirs: a partial hang
    /// (one deadlocked worker among busy ones), which the whole-scenario watchdog cannot see. First seen first.
    /// </summary>
    public IReadOnlyList<StuckWorker> StuckWhileOthersRan => _stuck;

    private readonly List<StuckWorker> _stuck = [];
    private readonly HashSet<long> _stuckOperations = [];

    private void Watchdog(long now)
    {
        if (_hangAfterTicks == 0 || Hang is not null) return;
        long completed = 0;
        foreach (var slot in _run.Slots) completed += slot.Completed;
        var inFlight = _run.CountInFlight();
        if (completed != _lastCompleted || inFlight == 0)
        {
            _lastCompleted = completed;
            _lastProgressTicks = now;
            if (inFlight > 0) NoteStuckOperations(now);
            return;
        }
        if (now - _lastProgressTicks < _hangAfterTicks) return;

        var stuck = new List<StuckWorker>();
        foreach (var slot in _run.Slots)
        {
            if (slot.State != WorkerSlot.Running) continue;
            stuck.Add(new StuckWorker(slot.GlobalId, slot.OperationId, slot.Iteration, Math.Round(Clock.ToSeconds(now - slot.OperationStartTicks), 3)));
        }
        stuck.Sort((a, b) => b.RunningSeconds.CompareTo(a.RunningSeconds));
        Hang = new HangReport
        {
            QuietSeconds = Math.Round(Clock.ToSeconds(now - _lastProgressTicks), 3),
            AtSecond = Math.Round(Clock.ToSeconds(now - _run.StartTicks), 3),
            StuckCount = stuck.Count,
            Workers = stuck.Count > HangReport.MaxListed ? stuck.GetRange(0, HangReport.MaxListed) : stuck,
        };
        _run.StopIssuing(StopReason.Hang);
    }

    private void NoteStuckOperations(long now)
    {
        if (_stuck.Count >= HangReport.MaxListed) return;
        foreach (var slot in _run.Slots)
        {
            if (slot.State != WorkerSlot.Running) continue;
            var started = slot.OperationStartTicks;
            if (now - started < _hangAfterTicks || !_stuckOperations.Add(slot.OperationId)) continue;
            _stuck.Add(new StuckWorker(slot.GlobalId, slot.OperationId, slot.Iteration, Math.Round(Clock.ToSeconds(now - started), 3)));
            if (_stuck.Count >= HangReport.MaxListed) return;
        }
    }

    /// <summary>Cumulative counters summed over every worker.</summary>
    internal readonly record struct Totals(long Started, long Ok, long Failed, long TimedOut, long Crashed)
    {
        public long Completed => Ok + Failed + TimedOut + Crashed;

        public static Totals Read(WorkerSlot[] slots)
        {
            long started = 0, ok = 0, failed = 0, timedOut = 0, crashed = 0;
            foreach (var slot in slots)
            {
                started += slot.Started;
                ok += slot.Ok;
                failed += slot.Failed;
                timedOut += slot.TimedOut;
                crashed += slot.Crashed;
            }
            return new Totals(started, ok, failed, timedOut, crashed);
        }
    }
}
