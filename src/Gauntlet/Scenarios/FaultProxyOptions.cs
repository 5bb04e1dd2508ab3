
namespace Gauntlet.Scenarios;

/// <summary>Which way latency is added: requests (client to target), replies (target to client), or both.</summary>
public enum ProxyDirection
{
    /// <summary>Both ways: a round trip gains twice the latency.</summary>
    Both,
    /// <summary>Client to target only.</summary>
    Upstream,
    /// <summary>Target to client only.</summary>
    Downstream,
}

/// <summary>
/// The faults a fault proxy injects. Every fault is off by default; all of them apply only inside the
/// window from <see cref="From"/> to <see cref="Until"/> (measured from the proxy's start), so a run shows the system
/// before, under and after the fault.
/// </summary>
public sealed record FaultProxyOptions
{
    /// <summary>Added to every chunk forwarded in <see cref="LatencyDirection"/>; chunks keep their order.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Uniform jitter in [-Jitter, +Jitter] around <see cref="Latency"/> (never below zero).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Which way <see cref="Latency"/> and <see cref="Jitter"/> apply.</summary>
    public ProxyDirection LatencyDirection { get; init; } = ProxyDirection.Both;

    /// <summary>Latency of requests (client to target) on their own; overrides <see cref="Latency"/> for that direction. Null: from <see cref="Latency"/>.</summary>
    public TimeSpan? UpstreamLatency { get; init; }

    /// <summary>Jitter of requests on their own; overrides <see cref="Jitter"/> for that direction. Null: from <see cref="Jitter"/>.</summary>
    public TimeSpan? UpstreamJitter { get; init; }

    /// <summary>Latency of replies (target to client) on their own; overrides <see cref="Latency"/> for that direction. Null: from <see cref="Latency"/>.</summary>
    public TimeSpan? DownstreamLatency { get; init; }

    /// <summary>Jitter of replies on their own; overrides <see cref="Jitter"/> for that direction. Null: from <see cref="Jitter"/>.</summary>
    public TimeSpan? DownstreamJitter { get; init; }

    /// <summary>The latency and jitter requests get: the per-direction values when set, else <see cref="Latency"/> and <see cref="Jitter"/> if <see cref="LatencyDirection"/> includes requests.</summary>
    public (TimeSpan Latency, TimeSpan Jitter) Upstream => LatencyDirection == ProxyDirection.Downstream
        ? (UpstreamLatency ?? TimeSpan.Zero, UpstreamJitter ?? TimeSpan.Zero)
        : (UpstreamLatency ?? Latency, UpstreamJitter ?? Jitter);

    /// <summary>The latency and jitter replies get, like <see cref="Upstream"/>.</summary>
    public (TimeSpan Latency, TimeSpan Jitter) Downstream => LatencyDirection == ProxyDirection.Upstream
        ? (DownstreamLatency ?? TimeSpan.Zero, DownstreamJitter ?? TimeSpan.Zero)
        : (DownstreamLatency ?? Latency, DownstreamJitter ?? Jitter);

    /// <summary>Bandwidth limit per connection and per direction, in bytes per second. Null: unlimited.</summary>
    public long? BandwidthBytesPerSecond { get; init; }

    /// <summary>Reset a connection (RST both ways) once this many bytes have crossed it. Null: never.</summary>
    public long? ResetAfterBytes { get; init; }

    /// <summary>Share of connections (0 to 1) reset when their first bytes arrive.</summary>
    public double ResetShare { get; init; }

    /// <summary>Share of connections (0 to 1) accepted and never forwarded: their bytes are read and dropped, no reply ever comes.</summary>
    public double BlackholeShare { get; init; }

    /// <summary>Share of new connections (0 to 1) refused: accepted by the kernel, then reset at once.</summary>
    public double RefuseShare { get; init; }

    /// <summary>When one side closes, wait this long before closing the other.</summary>
    public TimeSpan SlowClose { get; init; }

    /// <summary>Faults start this long after the proxy starts. Null: at once.</summary>
    public TimeSpan? From { get; init; }

    /// <summary>Faults stop this long after the proxy starts. Null: never.</summary>
    public TimeSpan? Until { get; init; }

    /// <summary>Seed for the draws (jitter, shares); null draws differently each run.</summary>
    public int? Seed { get; init; }

    /// <summary>True when no fault is set: the proxy only forwards.</summary>
    public bool IsTransparent => Upstream == default && Downstream == default && BandwidthBytesPerSecond is null
        && ResetAfterBytes is null && ResetShare == 0 && BlackholeShare == 0 && RefuseShare == 0 && SlowClose == TimeSpan.Zero;

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        problems.NotNegative("latency", Latency);
        problems.NotNegative("jitter", Jitter);
        problems.NotNegative("latency.up", UpstreamLatency);
        problems.NotNegative("latency.down", DownstreamLatency);
        problems.NotNegative("jitter.up", UpstreamJitter);
        problems.NotNegative("jitter.down", DownstreamJitter);
        if (LatencyDirection != ProxyDirection.Both && (UpstreamLatency ?? DownstreamLatency ?? UpstreamJitter ?? DownstreamJitter) is not null)
            problems.Add("direction", "applies to one latency for both ways; with a latency or jitter per direction (up, down) leave it out");
        problems.Positive("bandwidth", BandwidthBytesPerSecond);
        problems.Positive("resetAfter", ResetAfterBytes);
        Share(problems, "resetRate", ResetShare);
        Share(problems, "blackhole", BlackholeShare);
        Share(problems, "refuse", RefuseShare);
        problems.NotNegative("slowClose", SlowClose);
        problems.NotNegative("from", From);
        problems.Positive("until", Until);
        if (From is { } from && Until is { } until && until <= from)
            problems.Add("until", $"is {Format.Duration(until)}, not after from {Format.Duration(from)}; the fault window would be empty");
        return problems.All;
    }

    /// <summary>One line for reports and the CLI: <c>latency 50ms ±5ms (both ways), refuse 10%</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        var (up, down) = (Upstream, Downstream);
        if (up == down && up != default)
            parts.Add($"latency {Delay(up)} (both ways)");
        else
        {
            if (up != default) parts.Add($"latency {Delay(up)} (requests)");
            if (down != default) parts.Add($"latency {Delay(down)} (replies)");
        }
        if (BandwidthBytesPerSecond is { } bandwidth) parts.Add($"bandwidth {bandwidth} B/s");
        if (ResetAfterBytes is { } after) parts.Add($"reset after {after} B");
        if (ResetShare > 0) parts.Add($"reset {Format.Percent(ResetShare)} of connections");
        if (BlackholeShare > 0) parts.Add($"blackhole {Format.Percent(BlackholeShare)}");
        if (RefuseShare > 0) parts.Add($"refuse {Format.Percent(RefuseShare)}");
        if (SlowClose > TimeSpan.Zero) parts.Add($"slow close {Format.Duration(SlowClose)}");
        if (parts.Count == 0) parts.Add("no fault");
        if (From is not null || Until is not null)
            parts.Add($"from {Format.Duration(From ?? TimeSpan.Zero)}" + (Until is { } u ? $" until {Format.Duration(u)}" : ""));
        return string.Join(", ", parts);
    }

    private static string Delay((TimeSpan Latency, TimeSpan Jitter) delay) =>
        Format.Duration(delay.Latency) + (delay.Jitter > TimeSpan.Zero ? $" ±{Format.Duration(delay.Jitter)}" : "");

    private static void Share(ProblemList problems, string name, double value)
    {
        if (!(value is >= 0 and <= 1)) problems.Add(name, $"must be between 0% and 100%, got {value}");
    }
}
