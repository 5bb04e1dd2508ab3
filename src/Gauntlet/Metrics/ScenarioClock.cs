using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Gauntlet.Metrics;

/// <summary>
/// The clock a scenario runs on: a <see cref="TimeProvider"/> read in <see cref="Stopwatch"/> ticks, so every
/// conversion of <see cref="Clock"/> applies to its readings, plus the waits the engine's loops need. On
/// <see cref="TimeProvider.System"/> it reads <see cref="Stopwatch.GetTimestamp"/> directly (the worker loop reads it
/// twice per operation); on any other provider (a FakeTimeProvider in tests) time passes only when the provider says so.
/// </summary>
internal sealed class ScenarioClock
{
    /// <summary>The real clock.</summary>
    public static readonly ScenarioClock System = new(TimeProvider.System);

    private readonly bool _isSystem;
    private readonly double _stopwatchTicksPerTimestamp;
    private readonly long _origin;

    public ScenarioClock(TimeProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Provider = provider;
        _isSystem = ReferenceEquals(provider, TimeProvider.System);
        _stopwatchTicksPerTimestamp = Stopwatch.Frequency / (double)provider.TimestampFrequency;
        // Another provider's timestamps count from its own epoch (a FakeTimeProvider's are DateTime ticks, 6e17 by
        // now), which scaled to nanosecond ticks would overflow a long: its readings count from this clock's creation,
        // plus one tick: the engine reads a zero tick count as "not yet".
        _origin = _isSystem ? 0 : provider.GetTimestamp();
    }

    /// <summary>A clock on <paramref name="provider"/>; null or <see cref="TimeProvider.System"/> is the real clock.</summary>
    public static ScenarioClock For(TimeProvider? provider) =>
        provider is null || ReferenceEquals(provider, TimeProvider.System) ? System : new ScenarioClock(provider);

    public TimeProvider Provider { get; }

    /// <summary>True on <see cref="TimeProvider.System"/>: the real, monotonic clock.</summary>
    public bool IsSystem => _isSystem;

    /// <summary>Now, in <see cref="Stopwatch"/> ticks (the unit of <see cref="Clock"/>).</summary>
    public long Now
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _isSystem ? Stopwatch.GetTimestamp() : (long)((Provider.GetTimestamp() - _origin) * _stopwatchTicksPerTimestamp) + 1;
    }

    /// <summary>Time passed since <paramref name="ticks"/> (a reading of <see cref="Now"/>).</summary>
    public TimeSpan Since(long ticks) => Clock.ToTimeSpan(Now - ticks);

    /// <summary>Waits <paramref name="delay"/> on this clock.</summary>
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, Provider, cancellationToken);

    /// <summary>A source cancelled after <paramref name="delay"/> on this clock.</summary>
    public CancellationTokenSource Timeout(TimeSpan delay) => new(delay, Provider);

    /// <summary>
    /// A source cancelled with <paramref name="token"/> whose <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>
    /// runs on this clock. A linked source's timer is always the system's, so on another provider the source carries
    /// the provider's timer and follows <paramref name="token"/> through a registration (which lives as long as it).
    /// </summary>
    public CancellationTokenSource LinkedTimeout(CancellationToken token)
    {
        if (_isSystem) return CancellationTokenSource.CreateLinkedTokenSource(token);
        var source = new CancellationTokenSource(global::System.Threading.Timeout.InfiniteTimeSpan, Provider);
        token.UnsafeRegister(static state =>
        {
            try
            {
                ((CancellationTokenSource)state!).Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The operation it timed is over.
            }
        }, source);
        return source;
    }

    /// <summary>
    /// Blocks the calling thread (a dedicated one: the collector, the dispatcher, the monitor, agent chaos) for
    /// <paramref name="duration"/> on this clock, or until <paramref name="stop"/> is set. True when stopped.
    /// </summary>
    public bool Sleep(TimeSpan duration, WaitHandle stop) => SleepUntil(null, duration, stop);

    /// <summary>
    /// Like <see cref="Sleep"/>, until this clock reads <paramref name="deadline"/> (in <see cref="Now"/>'s ticks). On
    /// another provider a clock moved past the deadline between reading it and setting the timer (a test advancing a
    /// fake clock as soon as a read is done) ends the sleep at once, instead of waiting for a time that never comes.
    /// </summary>
    public bool SleepUntil(long deadline, WaitHandle stop) => SleepUntil(deadline, Clock.ToTimeSpan(deadline - Now), stop);

    private bool SleepUntil(long? deadline, TimeSpan duration, WaitHandle stop)
    {
        if (duration <= TimeSpan.Zero) return stop.WaitOne(0);
        if (_isSystem) return stop.WaitOne(duration);
        // Another provider's time moves when it says so: its timer wakes the thread.
        using var woke = new ManualResetEvent(false);
        using var timer = Provider.CreateTimer(static state =>
        {
            try
            {
                ((ManualResetEvent)state!).Set();
            }
            catch (ObjectDisposedException)
            {
                // The sleep ended first.
            }
        }, woke, duration, global::System.Threading.Timeout.InfiniteTimeSpan);
        if (deadline is { } until && Now >= until) return stop.WaitOne(0);
        return WaitHandle.WaitAny([stop, woke]) == 0;
    }
}
