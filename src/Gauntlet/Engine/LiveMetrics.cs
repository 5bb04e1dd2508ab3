using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gauntlet.Faults.Proxy;
using Gauntlet.Metrics;
using Gauntlet.Monitoring;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using HdrHistogram;

namespace Gauntlet.Engine;

/// <summary>
/// The instruments of <see cref="GauntletMeter"/> and the runs they observe. A scenario run registers itself for
/// its measured part (<see cref="Track"/>); the observable instruments read every registered run when a listener
/// collects, and the collector hands each second's histograms to <see cref="LiveRun.OnSecond"/>.
/// </summary>
internal static class LiveMetrics
{
    private static readonly Meter Meter = new(GauntletMeter.Name, typeof(LiveMetrics).Assembly.GetName().Version?.ToString(3));
    private static readonly object Gate = new();
    private static LiveRun[] _runs = [];

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram(GauntletMeter.OperationDuration, "s",
        "Latency of each operation, from its start to its outcome", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = GauntletMeter.LatencyBuckets });

    internal static readonly Histogram<double> Lag = Meter.CreateHistogram(GauntletMeter.ArrivalLag, "s",
        "Open model: how late each arrival started against its schedule", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = GauntletMeter.LatencyBuckets });

    static LiveMetrics()
    {
        Meter.CreateObservableCounter(GauntletMeter.Operations, () => Observe<long>(static (run, into) => run.ObserveOutcomes(into)), "{operation}", "Operations completed, by outcome");
        Meter.CreateObservableCounter(GauntletMeter.OperationsStarted, () => Observe<long>(static (run, into) => into.Add(new(run.Totals.Started, run.Tags))), "{operation}", "Operations started");
        Meter.CreateObservableUpDownCounter(GauntletMeter.OperationsInFlight, () => Observe<long>(static (run, into) => into.Add(new(run.InFlight, run.Tags))), "{operation}", "Operations in flight");
        Meter.CreateObservableCounter(GauntletMeter.ArrivalsDropped, () => Observe<long>(static (run, into) => { if (run.IsOpen) into.Add(new(run.Dropped, run.Tags)); }), "{arrival}", "Open model: arrivals dropped");
        Meter.CreateObservableGauge(GauntletMeter.RateRequested, () => Observe<double>(static (run, into) => { if (run.RequestedRate is { } rate) into.Add(new(rate, run.Tags)); }), "{operation}/s", "Open model: the rate the load profile asks for now");
        Meter.CreateObservableGauge(GauntletMeter.RateAchieved, () => Observe<double>(static (run, into) => into.Add(new(run.AchievedRate, run.Tags))), "{operation}/s", "Operations started in the last whole second");
        Meter.CreateObservableUpDownCounter(GauntletMeter.WorkersActive, () => Observe<long>(static (run, into) => into.Add(new(run.ActiveWorkers, run.Tags))), "{worker}", "Workers (agents) running");
        Meter.CreateObservableCounter(GauntletMeter.FaultsInjected, () => Observe<long>(static (run, into) => run.ObserveFaults(into)), "{fault}", "Faults injected");
        Meter.CreateObservableGauge(GauntletMeter.ProcessMemory, () => Observe<long>(static (run, into) => run.ObserveProcesses(into, static s => s.RssBytes)), "By", "Resident memory of the monitored process tree");
        Meter.CreateObservableGauge(GauntletMeter.ProcessCpu, () => Observe<double>(static (run, into) => run.ObserveProcesses(into, static s => s.Cpu)), "{cpu}", "CPU of the monitored process tree, in cores");
        Meter.CreateObservableGauge(GauntletMeter.ProcessThreads, () => Observe<long>(static (run, into) => run.ObserveProcesses(into, static s => (long)s.Threads)), "{thread}", "Threads of the monitored process tree");
        Meter.CreateObservableGauge(GauntletMeter.ProcessFds, () => Observe<long>(static (run, into) => run.ObserveProcesses(into, static s => (long)s.Fds)), "{file_descriptor}", "Open file descriptors of the monitored process tree");
    }

    /// <summary>
    /// Registers a run's measured part. When it ends (<see cref="LiveRun.Dispose"/>) its final figures stay on the
    /// meter, so the last export and scrape agree with the result, until a run with the same tags (the same scenario
    /// run again, a search's next probe) takes its place: one series per scenario, never one per run.
    /// </summary>
    public static LiveRun Track(ScenarioRun run, ResourceMonitor monitor, FaultProxy? proxy)
    {
        var live = new LiveRun(run, monitor, proxy);
        lock (Gate) _runs = [.. _runs.Where(r => !r.SameSeries(live)), live];
        return live;
    }

    private static List<Measurement<T>> Observe<T>(Action<LiveRun, List<Measurement<T>>> read) where T : struct
    {
        var into = new List<Measurement<T>>();
        foreach (var run in Volatile.Read(ref _runs)) read(run, into);
        return into;
    }
}

/// <summary>
/// One scenario run as the meter sees it: its tags, its live figures while it runs, and its final ones after (the
/// run itself is let go then, so an ended run holds no slots or histograms).
/// </summary>
internal sealed class LiveRun : IDisposable
{
    private readonly OpenProfile? _open;
    private readonly Segment _segment;
    private readonly bool _agentFaulted;
    private readonly KeyValuePair<string, object?>[] _target, _self;
    private volatile Live? _live;
    private Collector.Totals _finalTotals;
    private long _finalDropped;
    private FaultProxyCounts _finalProxy;
    private long _agentFaults;
    private double _achieved;
    private double? _requested;

    /// <summary>What a running run is read from.</summary>
    private sealed record Live(ScenarioRun Run, ResourceMonitor Monitor, FaultProxy? Proxy);

    public LiveRun(ScenarioRun run, ResourceMonitor monitor, FaultProxy? proxy)
    {
        _live = new Live(run, monitor, proxy);
        _open = run.Scenario.Load as OpenProfile;
        _segment = run.Segment;
        _agentFaulted = run.Scenario.AgentFaults.Count > 0;
        HasProxy = proxy is not null;
        Tags = new TagList
        {
            { "scenario", run.Scenario.Name },
            { "kind", run.Scenario.Operation.Name },
            { "segment", $"{run.Segment.Index}/{run.Segment.Count}" },
        };
        _target = [.. Tags, new("process", "target")];
        _self = [.. Tags, new("process", "gauntlet")];
        if (_open is not null) _requested = RequestedAt(TimeSpan.Zero);
    }

    public TagList Tags { get; }

    private bool HasProxy { get; }

    public bool IsOpen => _open is not null;

    public bool SameSeries(LiveRun other)
    {
        if (Tags.Count != other.Tags.Count) return false;
        for (var i = 0; i < Tags.Count; i++)
            if (Tags[i].Key != other.Tags[i].Key || !Equals(Tags[i].Value, other.Tags[i].Value)) return false;
        return true;
    }

    public Collector.Totals Totals => _live is { } live ? Collector.Totals.Read(live.Run.Slots) : _finalTotals;

    public long Dropped => _live is { } live ? live.Run.Dropped : _finalDropped;

    public int InFlight => _live is { } live ? live.Run.CountInFlight() : 0;

    public int ActiveWorkers => _live is { } live ? live.Run.ActiveWorkers : 0;

    public double AchievedRate => _live is null ? 0 : Volatile.Read(ref _achieved);

    public double? RequestedRate => _live is null ? null : _requested;

    /// <summary>Counts one fault injected into an agent (the chaos schedule calls it).</summary>
    public void AddAgentFault() => Interlocked.Increment(ref _agentFaults);

    /// <summary>
    /// Called by the collector after each second: the rates, and the second's latencies replayed into the
    /// histograms, one recording per operation (off the workers' path, and only while a listener is subscribed).
    /// </summary>
    public void OnSecond(TimelinePoint point, double intervalSeconds, HistogramBase latency, HistogramBase? lag)
    {
        if (intervalSeconds > 0) Volatile.Write(ref _achieved, Math.Round(point.Started / intervalSeconds, 3));
        if (_open is not null) _requested = RequestedAt(TimeSpan.FromSeconds(point.Second));
        if (LiveMetrics.Duration.Enabled) Replay(LiveMetrics.Duration, latency);
        if (lag is not null && LiveMetrics.Lag.Enabled) Replay(LiveMetrics.Lag, lag);
    }

    private void Replay(Histogram<double> into, HistogramBase micros)
    {
        if (micros.TotalCount == 0) return;
        var tags = Tags;
        foreach (var value in micros.RecordedValues())
        {
            var seconds = micros.MedianEquivalentValue(value.ValueIteratedTo) / 1e6;
            for (var i = 0L; i < value.CountAddedInThisIterationStep; i++) into.Record(seconds, tags);
        }
    }

    /// <summary>The open profile's rate at <paramref name="elapsed"/>, this segment's share: arrivals due over the next second.</summary>
    private double RequestedAt(TimeSpan elapsed)
    {
        var from = Math.Floor(_open!.ArrivalsBy(elapsed) + 1e-9);
        var to = Math.Floor(_open.ArrivalsBy(elapsed + TimeSpan.FromSeconds(1)) + 1e-9);
        return _segment.ShareOf((long)to) - _segment.ShareOf((long)from);
    }

    public void ObserveOutcomes(List<Measurement<long>> into)
    {
        var totals = Totals;
        into.Add(new(totals.Ok, With("outcome", "ok")));
        into.Add(new(totals.Failed, With("outcome", "failed")));
        into.Add(new(totals.TimedOut, With("outcome", "timed_out")));
        into.Add(new(totals.Crashed, With("outcome", "crashed")));
    }

    public void ObserveFaults(List<Measurement<long>> into)
    {
        if (HasProxy)
        {
            var counts = _live is { Proxy: { } proxy } ? proxy.Counts : _finalProxy;
            into.Add(new(counts.Refused, With("fault", "refuse")));
            into.Add(new(counts.Blackholed, With("fault", "blackhole")));
            into.Add(new(counts.Reset, With("fault", "reset")));
        }
        if (_agentFaulted) into.Add(new(Interlocked.Read(ref _agentFaults), With("fault", "agent")));
    }

    /// <summary>The monitor's last samples, while the run lasts (a process's memory after the run is not the run's).</summary>
    public void ObserveProcesses<T>(List<Measurement<T>> into, Func<ResourceSample, T> figure) where T : struct
    {
        if (_live is not { } live) return;
        var (target, self) = live.Monitor.Latest;
        if (target is { Processes: > 0 }) into.Add(new(figure(target), _target));
        if (self is not null) into.Add(new(figure(self), _self));
    }

    private TagList With(string key, string value)
    {
        var tags = Tags;
        tags.Add(key, value);
        return tags;
    }

    /// <summary>The run has ended: its final figures are kept and the run let go.</summary>
    public void Dispose()
    {
        if (_live is not { } live) return;
        _finalTotals = Collector.Totals.Read(live.Run.Slots);
        _finalDropped = live.Run.Dropped;
        if (live.Proxy is { } proxy) _finalProxy = proxy.Counts;
        _live = null;
    }
}
