using Gauntlet.Faults;
using Gauntlet.Faults.Proxy;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.Scenarios;

namespace Gauntlet.ScenarioFiles.Faults;

/// <summary>
/// <c>faults: { proxy: { latency: 1ms, seed: 7 }, schedule: [ { latency: 200ms, from: 10s, to: 20s }, { refuse: 50%, from: 25s } ],
/// agents: [ { kill: { every: 2s } } ] }</c>: a <see cref="FaultOptions"/>; the agents' faults are read by <see cref="AgentFaultsReader"/>. Each window is read by <see cref="FaultProxyReader"/>, with <c>to</c> for its end;
/// whether the operation can go through the proxy is the engine's check (<c>faults</c> in the source map).
/// </summary>
internal static class FaultsReader
{
    public static readonly string[] Keys = ["proxy", "schedule", "agents"];

    private static readonly string[] ProxyKeys = [.. FaultProxyReader.FaultKeys, "to", "seed"];
    private static readonly string[] WindowKeys = [.. FaultProxyReader.FaultKeys, "to"];

    private const string Example = "{ schedule: [ { latency: 200ms, from: 10s, to: 20s } ] }";
    private const string WindowExample = "{ latency: 200ms, from: 10s, to: 20s }";

    /// <summary>The faults; null when <c>faults:</c> is absent or anything in it is wrong (then reported).</summary>
    public static FaultOptions? Read(SpecMapping scenario)
    {
        var faults = scenario.Mapping("faults", Keys, enginePath: "faults", example: Example);
        if (faults is null) return null;
        var reader = faults.Reader;
        var before = reader.Reported;
        // A misspelt key ("shedule") is reported already, with a did-you-mean.
        if (!faults.Has("proxy") && !faults.Has("schedule") && !faults.Has("agents") && faults.Node is not Yaml.MappingNode { Entries.Count: > 0 })
        {
            reader.Error(faults.Node, SpecReader.At(faults.Path, $"names no fault; add a schedule such as {Example}, agents: [ {{ kill: {{ every: 2s }} }} ], or proxy: {{}} for a proxy that only forwards"));
            return null;
        }
        var options = new FaultOptions();
        var proxy = faults.Mapping("proxy", ProxyKeys, example: "{ latency: 5ms, seed: 1 }");
        if (proxy is not null && FaultProxyReader.Read(proxy, endKey: "to") is { } proxyFaults) options = options with { Proxy = proxyFaults };

        var schedule = new List<FaultProxyOptions>();
        var items = faults.Sequence("schedule", $"[ {WindowExample} ]");
        if (items is { Count: 0 })
            reader.Error(faults.Find("schedule")!.Value.Entry.Value, SpecReader.At(faults.Path + ".schedule", $"is empty; list fault windows such as {WindowExample}"));
        foreach (var (node, display) in items ?? [])
        {
            var window = SpecMapping.Open(reader, node, display, WindowKeys, example: WindowExample);
            if (window is null) continue;
            if (!window.Keys.Any(k => k is not ("from" or "to" or "direction")))
            {
                reader.Error(window.Node, SpecReader.At(display, "names no fault; give one of latency, jitter, bandwidth, resetAfter, resetRate, blackhole, refuse or slowClose"));
                continue;
            }
            if (FaultProxyReader.Read(window, endKey: "to") is { } read) schedule.Add(read);
        }
        var agents = AgentFaultsReader.Read(faults);
        if (reader.Reported != before) return null;
        return options with { Schedule = schedule, Agents = agents };
    }
}
