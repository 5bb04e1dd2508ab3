using Gauntlet.Scenarios;

namespace Gauntlet.Faults.Proxy;

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
/// The faults a <see cref="FaultProxy"/> injects. Every fault is off by default; all of them apply only inside the
/// window from <see cref="From"/> to <see cref="Until"/> (measured from the proxy's start), so a run shows the system
/// before, under and after the fault.
/// </summary>
public sealed record FaultProxyOptions
{
    /// <summary>Added to every chunk forwarded in <see cref="LatencyDirection"/>; chunks keep their order.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Uniform jitter in [-Jitter, +Jitter] around <see cref="Latency"/> (never below zero).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Which way <see cref="Latency"/> applies.</summary>
    public ProxyDirection LatencyDirection { get; init; } = ProxyDirection.Both;

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
    public bool IsTransparent => Latency == TimeSpan.Zero && Jitter == TimeSpan.Zero && BandwidthBytesPerSecond is null
        && ResetAfterBytes is null && ResetShare == 0 && BlackholeShare == 0 && RefuseShare == 0 && SlowClose == TimeSpan.Zero;

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        problems.NotNegative("latency", Latency);
        problems.NotNegative("jitter", Jitter);
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
        if (Latency > TimeSpan.Zero || Jitter > TimeSpan.Zero)
            parts.Add($"latency {Format.Duration(Latency)}" + (Jitter > TimeSpan.Zero ? $" ±{Format.Duration(Jitter)}" : "")
                + LatencyDirection switch { ProxyDirection.Both => " (both ways)", ProxyDirection.Upstream => " (requests)", _ => " (replies)" });
        if (BandwidthBytesPerSecond is { } bandwidth) parts.Add($"bandwidth {bandwidth} B/s");
        if (ResetAfterBytes is { } after) parts.Add($"reset after {after} B");
        if (ResetShare > 0) parts.Add($"reset {ResetShare:P1} of connections");
        if (BlackholeShare > 0) parts.Add($"blackhole {BlackholeShare:P1}");
        if (RefuseShare > 0) parts.Add($"refuse {RefuseShare:P1}");
        if (SlowClose > TimeSpan.Zero) parts.Add($"slow close {Format.Duration(SlowClose)}");
        if (parts.Count == 0) parts.Add("no fault");
        if (From is not null || Until is not null)
            parts.Add($"from {Format.Duration(From ?? TimeSpan.Zero)}" + (Until is { } u ? $" until {Format.Duration(u)}" : ""));
        return string.Join(", ", parts);
    }

    private static void Share(ProblemList problems, string name, double value)
    {
        if (!(value is >= 0 and <= 1)) problems.Add(name, $"must be between 0% and 100%, got {value}");
    }
}
