using Gauntlet.Faults.Proxy;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Scenarios;

namespace Gauntlet.ScenarioFiles.Faults;

/// <summary>
/// The YAML form of <see cref="FaultProxyOptions"/>, shared by <c>tcp.proxy</c>, <c>faults.proxy</c> and each window of
/// <c>faults.schedule</c>: <c>{ latency: 50ms | { up: 10ms, down: 50ms }, jitter: 5ms | { up, down }, direction: both,
/// bandwidth: 1MB, resetAfter: 4KB, resetRate: 1%, blackhole: 10%, refuse: 10%, slowClose: 2s, from: 10s, to: 20s, seed: 1 }</c>.
/// Every problem is reported at its key or value; the options come back only when there was none.
/// </summary>
internal static class FaultProxyReader
{
    /// <summary>The fault keys, without the window's end and the seed.</summary>
    public static readonly string[] FaultKeys =
        ["latency", "jitter", "direction", "bandwidth", "resetAfter", "resetRate", "blackhole", "refuse", "slowClose", "from"];

    private static readonly string[] DirectionKeys = ["up", "down"];

    private static readonly Dictionary<string, ProxyDirection> Directions = new(StringComparer.Ordinal)
    {
        ["both"] = ProxyDirection.Both,
        ["up"] = ProxyDirection.Upstream,
        ["down"] = ProxyDirection.Downstream,
    };

    /// <summary>
    /// Reads the faults of <paramref name="proxy"/>. <paramref name="endKey"/> names the window's end (<c>until</c> in
    /// <c>tcp.proxy</c>, <c>to</c> in <c>faults:</c>); <c>seed</c> is read when the mapping allows it.
    /// Null when anything is wrong (then reported).
    /// </summary>
    public static FaultProxyOptions? Read(SpecMapping proxy, string endKey)
    {
        var reader = proxy.Reader;
        var before = reader.Reported;
        var settings = new FaultProxyOptions();
        if (ReadDelay(proxy, "latency") is var (latency, latencyUp, latencyDown))
            settings = settings with { Latency = latency, UpstreamLatency = latencyUp, DownstreamLatency = latencyDown };
        if (ReadDelay(proxy, "jitter") is var (jitter, jitterUp, jitterDown))
            settings = settings with { Jitter = jitter, UpstreamJitter = jitterUp, DownstreamJitter = jitterDown };
        if (proxy.TryChoice("direction", Directions.Keys, out var direction)) settings = settings with { LatencyDirection = Directions[direction] };
        if (proxy.TrySize("bandwidth", out var bandwidth)) settings = settings with { BandwidthBytesPerSecond = bandwidth };
        if (proxy.TrySize("resetAfter", out var resetAfter)) settings = settings with { ResetAfterBytes = resetAfter };
        if (proxy.TryRatio("resetRate", out var resetRate)) settings = settings with { ResetShare = resetRate };
        if (proxy.TryRatio("blackhole", out var blackhole)) settings = settings with { BlackholeShare = blackhole };
        if (proxy.TryRatio("refuse", out var refuse)) settings = settings with { RefuseShare = refuse };
        if (proxy.TryDuration("slowClose", out var slowClose)) settings = settings with { SlowClose = slowClose };
        if (proxy.TryDuration("from", out var from)) settings = settings with { From = from };
        if (proxy.TryDuration(endKey, out var until)) settings = settings with { Until = until };
        if (proxy.TryInt("seed", out var seed)) settings = settings with { Seed = seed };
        if (reader.Reported != before) return null;
        var problems = settings.Validate();
        foreach (var problem in problems)
        {
            // The engine says "until"; the file may say "to". "latency.up" is found under "latency".
            var key = problem.Path == "until" ? endKey : problem.Path;
            var node = proxy.Find(key.Split('.')[0])?.Entry.Value ?? proxy.Node;
            reader.Error(node, SpecReader.At(SpecReader.Join(proxy.Path, key), problem.Message.Replace("until", endKey, StringComparison.Ordinal)));
        }
        return problems.Count == 0 ? settings : null;
    }

    /// <summary><c>latency: 50ms</c> (both ways, or the <c>direction</c>'s) or <c>latency: { up: 10ms, down: 50ms }</c>; null when absent or wrong.</summary>
    private static (TimeSpan Both, TimeSpan? Up, TimeSpan? Down)? ReadDelay(SpecMapping proxy, string key)
    {
        if (proxy.Find(key) is not var (entry, _)) return null;
        if (entry.Value is not MappingNode)
            return proxy.TryDuration(key, out var both) ? (both, null, null) : null;
        var directions = proxy.Mapping(key, DirectionKeys, example: "{ up: 10ms, down: 50ms }");
        if (directions is null) return null;
        TimeSpan? up = directions.TryDuration("up", out var u) ? u : null;
        TimeSpan? down = directions.TryDuration("down", out var d) ? d : null;
        if (up is null && down is null)
        {
            if (!directions.Has("up") && !directions.Has("down"))
                proxy.Reader.Error(directions.Node, SpecReader.At(directions.Path, "names no direction; give up (requests), down (replies) or both"));
            return null;
        }
        return (TimeSpan.Zero, up ?? TimeSpan.Zero, down ?? TimeSpan.Zero);
    }
}
