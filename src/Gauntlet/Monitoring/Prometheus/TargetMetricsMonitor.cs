using System.Net;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Monitoring.Prometheus;

/// <summary>What the target-metrics monitor read: one series per metric or query, and one warning per source whose reads failed.</summary>
internal sealed record TargetMetricsReading(IReadOnlyList<TargetMetricSeries> Series, IReadOnlyList<Warning> Warnings);

/// <summary>
/// Reads the target's own metrics during a run (<see cref="MonitorOptions.Prometheus"/>): one thread per source, a read
/// at the start, then one every interval on the scenario's clock, each bounded by the source's timeout, and a last one
/// when stopped (after the load and its drain: the state the target was left in). A plain thread, as the resource monitor's, so that a saturated thread pool does not delay the reads.
/// A failed read is counted, never thrown; <see cref="Stop"/> turns the counts into one warning per source.
/// </summary>
internal sealed class TargetMetricsMonitor : IDisposable
{
    /// <summary>How long <see cref="Stop"/> waits beyond a source's timeout for its thread to end.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(2);

    /// <summary>At most this many different errors are spelt out in a source's warning.</summary>
    private const int ErrorsShown = 3;

    private readonly MonitorOptions _options;
    private readonly ScenarioClock _clock;
    private readonly HttpClient _client;
    private readonly List<SourceState> _sources = [];
    private readonly ManualResetEventSlim _stop = new();
    private readonly CancellationTokenSource _stopReads = new();
    private long _startTicks;

    /// <summary>Creates a monitor of <paramref name="options"/>' sources; nothing is read before <see cref="Start"/>.</summary>
    /// <param name="options">The monitor's options; its <see cref="MonitorOptions.Prometheus"/> sources are read.</param>
    /// <param name="operationAddress">Where a source given as a path is read (the operation's address after its set-up); null when there is none.</param>
    /// <param name="time">The clock the intervals follow.</param>
    /// <param name="handler">The HTTP handler; tests give their own.</param>
    public TargetMetricsMonitor(MonitorOptions options, IPEndPoint? operationAddress = null, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        _options = options;
        _clock = ScenarioClock.For(time);
        _client = new HttpClient(handler ?? new SocketsHttpHandler
        {
            // A refused or silent connect fails within the read's timeout anyway; this keeps the socket's own attempt short too.
            ConnectTimeout = PrometheusMonitorOptions.DefaultTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        })
        { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var address = operationAddress is null ? null : new Uri($"http://{operationAddress}/");
        foreach (var source in options.Prometheus)
            _sources.Add(new SourceState(new TargetMetricsReader(source, address, _client), source.IntervalUnder(options), source.TimeoutUnder(options)));
    }

    /// <summary>True when there is something to read.</summary>
    public bool HasSources => _sources.Count > 0;

    /// <summary>Reads every source now, then every interval until <see cref="Stop"/>.</summary>
    public void Start()
    {
        _startTicks = _clock.Now;
        for (var i = 0; i < _sources.Count; i++)
        {
            var state = _sources[i];
            state.Thread = new Thread(() => Loop(state)) { IsBackground = true, Name = $"gauntlet-target-metrics-{i}" };
            state.Thread.Start();
        }
    }

    /// <summary>Stops reading after a last read of every source, and returns the series and the warnings.</summary>
    public TargetMetricsReading Stop()
    {
        _stop.Set();
        var warnings = new List<Warning>();
        foreach (var state in _sources)
        {
            if (state.Thread is not null && !state.Thread.Join(StopWait(state)))
            {
                // A read that ignores its timeout (a handler stuck in a blocking call): give up on it, say so.
                _stopReads.Cancel();
                warnings.Add(new(WarningCode.TargetMetricsUnread, $"reading the target's metrics from {state.Reader.Source} did not stop within {Format.Duration(StopWait(state))}; its last reads are missing"));
            }
        }
        var series = new List<TargetMetricSeries>();
        foreach (var state in _sources)
        {
            lock (state)
            {
                series.AddRange(state.Series.Select(s => new TargetMetricSeries
                {
                    Name = s.Name,
                    Source = state.Reader.Source,
                    Unit = s.Unit,
                    Points = [.. s.Points],
                    FailedReads = s.Failed,
                }));
                if (Warn(state) is { } warning) warnings.Add(warning);
            }
        }
        return new TargetMetricsReading(series, warnings);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Set();
        _stopReads.Cancel();
        foreach (var state in _sources) state.Thread?.Join(StopWait(state));
        _client.Dispose();
        _stopReads.Dispose();
        _stop.Dispose();
    }

    /// <summary>A read in progress and the last read, each bounded by the timeout, and a margin.</summary>
    private static TimeSpan StopWait(SourceState state) => state.Timeout * 2 + StopMargin;

    private void Loop(SourceState state)
    {
        var next = TimeSpan.Zero;
        while (true)
        {
            Read(state);
            next += state.Interval;
            // After a slow read, skip the missed intervals rather than reading back to back.
            var now = _clock.Since(_startTicks);
            if (next < now) next = now;
            if (_clock.SleepUntil(_startTicks + Clock.FromTimeSpan(next), _stop.WaitHandle)) break;
        }
        // The last read shows the target's state after the load ended (last(queue_depth) == 0), unless the read before
        // began after the stop already.
        if (state.LastReadBeforeStop) Read(state);
    }

    private void Read(SourceState state)
    {
        var at = _clock.Since(_startTicks);
        state.LastReadBeforeStop = !_stop.IsSet;
        SourceRead read;
        try
        {
            read = state.Reader.Read(state.Timeout, _stopReads.Token);
        }
        catch (Exception e)
        {
            // The reader turns every failure it knows into a failed read; anything else (a handler of one's own that
            // throws what HttpClient never does) must not end the process from this thread either.
            read = SourceRead.Failed($"{e.GetType().Name}: {e.Message}");
        }
        var second = Math.Round(at.TotalSeconds, 3);
        lock (state)
        {
            state.Reads++;
            if (read.Values is not { } values)
            {
                state.Failed++;
                state.Errors[read.Failure!] = state.Errors.GetValueOrDefault(read.Failure!) + 1;
                foreach (var series in state.Series) series.Failed++;
                return;
            }
            foreach (var series in state.Series)
            {
                if (values.GetValueOrDefault(series.Name) is { } value)
                {
                    series.Points.Add(new TargetMetricPoint(second, value));
                    continue;
                }
                series.Failed++;
                var why = read.Misses?.GetValueOrDefault(series.Name) ?? "absent";
                series.Misses[why] = series.Misses.GetValueOrDefault(why) + 1;
            }
        }
    }

    /// <summary>One sentence for a source whose reads failed: how many of how many, and why, most frequent first.</summary>
    private static Warning? Warn(SourceState state)
    {
        var parts = new List<string>();
        if (state.Failed > 0)
        {
            var errors = state.Errors.OrderByDescending(e => e.Value).ToList();
            var shown = string.Join("; ", errors.Take(ErrorsShown).Select(e => $"{e.Key} ({Format.Count(e.Value)}×)"));
            var more = errors.Count > ErrorsShown ? $"; and {errors.Count - ErrorsShown} other errors" : "";
            parts.Add($"{Format.Count(state.Failed)} of {Format.Count(state.Reads)} reads failed: {shown}{more}");
        }
        foreach (var series in state.Series.Where(s => s.Misses.Count > 0))
        {
            var ok = state.Reads - state.Failed;
            var why = string.Join("; ", series.Misses.OrderByDescending(m => m.Value).Select(m => $"{m.Key} ({Format.Count(m.Value)}×)"));
            parts.Add($"'{series.Name}' had no value in {Format.Count(series.Misses.Values.Sum())} of {Format.Count(ok)} reads that succeeded: {why}");
        }
        if (parts.Count == 0) return null;
        var none = state.Series.Where(s => s.Points.Count == 0).Select(s => $"'{s.Name}'").ToList();
        var consequence = none.Count == 0 ? "" : $"; {string.Join(", ", none)} {(none.Count == 1 ? "has" : "have")} no points, so {(none.Count == 1 ? "its" : "their")} thresholds cannot be judged";
        return new Warning(WarningCode.TargetMetricsUnread, $"the target's metrics at {state.Reader.Source}: {string.Join("; ", parts)}{consequence}");
    }

    private sealed class SourceState(TargetMetricsReader reader, TimeSpan interval, TimeSpan timeout)
    {
        public TargetMetricsReader Reader { get; } = reader;
        public TimeSpan Interval { get; } = interval;
        public TimeSpan Timeout { get; } = timeout;
        public Thread? Thread { get; set; }
        public bool LastReadBeforeStop { get; set; }
        public int Reads { get; set; }
        public int Failed { get; set; }
        public Dictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);
        public List<SeriesState> Series { get; } = [.. reader.SeriesNames.Select(name => new SeriesState(name, UnitOf(reader.Options, name)))];

        private static string? UnitOf(PrometheusMonitorOptions options, string name) =>
            options.Series().FirstOrDefault(s => s.Name == name).Unit;
    }

    private sealed class SeriesState(string name, string? unit)
    {
        public string Name { get; } = name;
        public string? Unit { get; } = unit;
        public List<TargetMetricPoint> Points { get; } = [];
        public int Failed { get; set; }
        public Dictionary<string, int> Misses { get; } = new(StringComparer.Ordinal);
    }
}
