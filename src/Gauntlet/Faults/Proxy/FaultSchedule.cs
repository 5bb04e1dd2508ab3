using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Faults.Proxy;

/// <summary>
/// The faults a <see cref="FaultProxy"/> applies over time: a list of windows, each a <see cref="FaultProxyOptions"/>
/// in force from its <see cref="FaultProxyOptions.From"/> to its <see cref="FaultProxyOptions.Until"/>. Windows may
/// overlap; where they do, latencies and jitters add up, the lowest bandwidth and reset-after apply, and the highest
/// share and slow close. The combination is worked out once, here, as segments of time, so the proxy only looks up
/// the segment it is in.
/// </summary>
internal sealed class FaultSchedule
{
    private readonly TimeSpan[] _starts;
    private readonly ActiveFaults?[] _segments;

    public FaultSchedule(IReadOnlyList<FaultProxyOptions> windows)
    {
        Windows = [.. windows.Where(w => !w.IsTransparent)];
        var bounds = new SortedSet<TimeSpan> { TimeSpan.Zero };
        foreach (var window in Windows)
        {
            bounds.Add(window.From ?? TimeSpan.Zero);
            if (window.Until is { } until) bounds.Add(until);
        }
        _starts = [.. bounds];
        _segments = new ActiveFaults?[_starts.Length];
        for (var i = 0; i < _starts.Length; i++)
        {
            var at = _starts[i];
            var open = Windows.Where(w => (w.From ?? TimeSpan.Zero) <= at && (w.Until is not { } until || until > at)).ToList();
            _segments[i] = open.Count == 0 ? null : ActiveFaults.Combine(open);
        }
    }

    /// <summary>The windows that inject something, in the order given.</summary>
    public IReadOnlyList<FaultProxyOptions> Windows { get; }

    /// <summary>The faults in force <paramref name="elapsed"/> after the schedule's start; null when none (or before the start).</summary>
    public ActiveFaults? At(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero) return null;
        // A handful of segments: a backwards scan is cheaper than a binary search.
        for (var i = _starts.Length - 1; i > 0; i--)
            if (elapsed >= _starts[i]) return _segments[i];
        return _segments[0];
    }

    /// <summary>
    /// The windows that were in force during the first <paramref name="elapsed"/> of the schedule, cut to it, in
    /// seconds from the start; a window that had not opened yet is left out.
    /// </summary>
    public IReadOnlyList<TimelineWindow> WindowsUntil(TimeSpan elapsed)
    {
        var windows = new List<TimelineWindow>();
        foreach (var window in Windows)
        {
            var from = window.From ?? TimeSpan.Zero;
            if (from >= elapsed) continue;
            var to = window.Until is { } until && until < elapsed ? until : elapsed;
            windows.Add(new TimelineWindow(Math.Round(from.TotalSeconds, 3), Math.Round(to.TotalSeconds, 3), (window with { From = null, Until = null }).Describe()));
        }
        return windows;
    }
}

/// <summary>The faults in force at one moment, read by the proxy for every accepted connection and forwarded chunk.</summary>
internal sealed class ActiveFaults
{
    public TimeSpan UpstreamLatency { get; private init; }
    public TimeSpan UpstreamJitter { get; private init; }
    public TimeSpan DownstreamLatency { get; private init; }
    public TimeSpan DownstreamJitter { get; private init; }
    public long? BandwidthBytesPerSecond { get; private init; }
    public long? ResetAfterBytes { get; private init; }
    public double ResetShare { get; private init; }
    public double BlackholeShare { get; private init; }
    public double RefuseShare { get; private init; }
    public TimeSpan SlowClose { get; private init; }

    public static ActiveFaults Combine(IReadOnlyList<FaultProxyOptions> windows)
    {
        var faults = new ActiveFaults();
        foreach (var w in windows)
        {
            var (up, down) = (w.Upstream, w.Downstream);
            faults = new ActiveFaults
            {
                UpstreamLatency = faults.UpstreamLatency + up.Latency,
                UpstreamJitter = faults.UpstreamJitter + up.Jitter,
                DownstreamLatency = faults.DownstreamLatency + down.Latency,
                DownstreamJitter = faults.DownstreamJitter + down.Jitter,
                BandwidthBytesPerSecond = Lowest(faults.BandwidthBytesPerSecond, w.BandwidthBytesPerSecond),
                ResetAfterBytes = Lowest(faults.ResetAfterBytes, w.ResetAfterBytes),
                ResetShare = Math.Max(faults.ResetShare, w.ResetShare),
                BlackholeShare = Math.Max(faults.BlackholeShare, w.BlackholeShare),
                RefuseShare = Math.Max(faults.RefuseShare, w.RefuseShare),
                SlowClose = faults.SlowClose > w.SlowClose ? faults.SlowClose : w.SlowClose,
            };
        }
        return faults;
    }

    /// <summary>The latency and jitter of one direction.</summary>
    public (TimeSpan Latency, TimeSpan Jitter) Delay(bool upstream) =>
        upstream ? (UpstreamLatency, UpstreamJitter) : (DownstreamLatency, DownstreamJitter);

    private static long? Lowest(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
