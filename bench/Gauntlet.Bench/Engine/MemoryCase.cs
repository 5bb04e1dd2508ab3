using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gauntlet.Pipeline;
using Gauntlet.Bench.Machine;
using Gauntlet.Engine;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// One memory measurement, run in a fresh process (<c>engine-case closed 2</c>) because the peak resident set is a
/// high-water mark over the process's whole life. Prints one line of JSON on standard output.
/// </summary>
internal static class MemoryCase
{
    public static readonly string[] Models = ["closed", "open"];

    /// <summary>Runs the case and returns its JSON line; throws <see cref="ArgumentException"/> for an unknown case.</summary>
    public static async Task<string> RunAsync(string model, double seconds)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        var scenario = model switch
        {
            "closed" => Scenario.Create("memory-closed", EmptyOperation.Instance)
                .WithLoad(LoadProfile.Closed(EngineSettings.ClosedWorkers))
                .WithDuration(duration),
            "open" => Scenario.Create("memory-open", EmptyOperation.Instance)
                .WithLoad(LoadProfile.Open(EngineSettings.MemoryOpenRate, EngineSettings.OpenMaxInFlight, duration)),
            _ => throw new ArgumentException($"unknown memory case '{model}'; expected one of: {string.Join(", ", Models)}", nameof(model)),
        };
        var runner = new Runner();
        using var sampler = AllocationSampler.FromEnvironment();
        // Everything before this line is process start-up; the deltas below cover the run alone.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var cpuBefore = CpuSample.Take();
        var result = await runner.RunAsync(scenario).WaitAsync(duration + BenchLimits.CaseSlack).ConfigureAwait(false);
        var cpu = CpuSample.Between(cpuBefore, CpuSample.Take());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var s = result.Scenarios[0];
        if (sampler is not null) foreach (var line in sampler.Report()) Console.Error.WriteLine(line);
        var status = ProcStatus.KiloBytes();
        var measurement = new MemoryMeasurement
        {
            Case = $"{model}-{seconds.ToString(CultureInfo.InvariantCulture)}s",
            Model = model,
            Seconds = seconds,
            Operations = s.Counts.Started,
            IssuingSeconds = s.IssuingSeconds,
            AllocatedBytes = allocated,
            Gen0 = GC.CollectionCount(0) - gen0,
            Gen1 = GC.CollectionCount(1) - gen1,
            Gen2 = GC.CollectionCount(2) - gen2,
            PeakWorkingSetBytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64,
            VmHwmBytes = status.GetValueOrDefault("VmHWM") * 1024,
            VmRssBytes = status.GetValueOrDefault("VmRSS") * 1024,
            ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            ForeignCpuShare = cpu.ForeignShare,
        };
        return JsonSerializer.Serialize(measurement, MemoryJson.Default.MemoryMeasurement);
    }
}

/// <summary>What one memory case reports: the run's allocations, collections and the process's resident memory. Bytes unless named otherwise.</summary>
internal sealed record MemoryMeasurement
{
    public required string Case { get; init; }
    public required string Model { get; init; }
    public double Seconds { get; init; }
    public long Operations { get; init; }
    public double IssuingSeconds { get; init; }
    public long AllocatedBytes { get; init; }
    public int Gen0 { get; init; }
    public int Gen1 { get; init; }
    public int Gen2 { get; init; }
    public long PeakWorkingSetBytes { get; init; }
    public long VmHwmBytes { get; init; }
    public long VmRssBytes { get; init; }
    public long ManagedHeapBytes { get; init; }
    public double ForeignCpuShare { get; init; }
}

[JsonSerializable(typeof(MemoryMeasurement))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
internal sealed partial class MemoryJson : JsonSerializerContext;
