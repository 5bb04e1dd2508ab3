using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// Which types a memory case allocates: the runtime's GCAllocationTick events (one per ~100 KB allocated, naming the type
/// that crossed the mark), counted by type. Turned on with GAUNTLET_BENCH_ALLOCATIONS=1; it found the boxed stage
/// enumerator the open-model dispatcher allocated per arrival.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);

    public static AllocationSampler? FromEnvironment() =>
        Environment.GetEnvironmentVariable("GAUNTLET_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;

    /// <summary>Types by the number of ~100 KB allocation ticks they triggered, most first.</summary>
    public IEnumerable<string> Report() => _ticks.OrderByDescending(t => t.Value).Select(t => $"{t.Value,6} ticks  {t.Key}");

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is null || e.Payload is null) return;
        var index = e.PayloadNames.IndexOf("TypeName");
        var type = index >= 0 ? e.Payload[index]?.ToString() ?? "?" : "?";
        _ticks.AddOrUpdate(type, 1, static (_, count) => count + 1);
    }
}
