using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Gauntlet.Bench.Machine;

/// <summary>
/// The machine a benchmark ran on, read from /proc, /sys and /etc so that no figure is shown without it.
/// Missing files give "unknown" rather than an error: the figures still stand, only their label is poorer.
/// </summary>
internal sealed record MachineDescription(
    string Cpu,
    int LogicalCores,
    int? ThreadsPerCore,
    long MemoryBytes,
    string Os,
    string Kernel,
    string Runtime,
    string Gc,
    string ClockSource,
    double TimestampNanoseconds,
    string LoadAverage)
{
    public static MachineDescription Capture() => new(
        CpuName(),
        Environment.ProcessorCount,
        ThreadsPerCoreFromCpuInfo(),
        MemTotalBytes(),
        OsRelease(),
        ReadTrimmed("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString,
        RuntimeInformation.FrameworkDescription + " " + RuntimeInformation.ProcessArchitecture,
        (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? ", non-concurrent" : ", concurrent"),
        ReadTrimmed("/sys/devices/system/clocksource/clocksource0/current_clocksource") ?? "unknown",
        MeasureTimestampCost(),
        LoadAverageNow());

    /// <summary>The 1, 5 and 15 minute load averages, e.g. <c>0.52 0.61 0.70</c>.</summary>
    public static string LoadAverageNow()
    {
        var text = ReadTrimmed("/proc/loadavg");
        return text is null ? "unknown" : string.Join(' ', text.Split(' ').Take(3));
    }

    /// <summary>
    /// Nanoseconds per <see cref="Stopwatch.GetTimestamp"/> on one thread. Every latency measurement takes two, so this
    /// is the floor under any per-operation overhead; under a hypervisor clock (kvm-clock, hyperv) it is several times
    /// what it is with the TSC.
    /// </summary>
    public static double MeasureTimestampCost()
    {
        const int Calls = 1_000_000;
        const int Tries = 5;
        long sink = 0;
        var best = double.MaxValue;
        // The cheapest of a few tries: a cost floor, which a busy neighbour can only make look worse.
        for (var attempt = 0; attempt < Tries; attempt++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Calls; i++) sink += Stopwatch.GetTimestamp();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / Calls);
        }
        GC.KeepAlive(sink);
        return best;
    }

    private static string CpuName()
    {
        var info = CpuInfo();
        var model = info.GetValueOrDefault("model name", "unknown");
        // Virtual machines often hide the exact model ("AMD EPYC"); family and model numbers still tell the generation.
        if (info.TryGetValue("cpu family", out var family) && info.TryGetValue("model", out var number))
            model += $" (family {family}, model {number})";
        return model;
    }

    private static int? ThreadsPerCoreFromCpuInfo()
    {
        var info = CpuInfo();
        return info.TryGetValue("siblings", out var siblings) && info.TryGetValue("cpu cores", out var cores)
            && int.TryParse(siblings, out var s) && int.TryParse(cores, out var c) && c > 0 ? s / c : null;
    }

    /// <summary>The first processor's entries of /proc/cpuinfo.</summary>
    private static Dictionary<string, string> CpuInfo()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists("/proc/cpuinfo")) return entries;
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            if (colon > 0) entries.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return entries;
    }

    private static long MemTotalBytes()
    {
        if (!File.Exists("/proc/meminfo")) return 0;
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.TryParse(parts[1], out var kb) ? kb * 1024 : 0;
        }
        return 0;
    }

    private static string OsRelease()
    {
        if (File.Exists("/etc/os-release"))
        {
            foreach (var line in File.ReadLines("/etc/os-release"))
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) return line["PRETTY_NAME=".Length..].Trim('"');
        }
        return RuntimeInformation.OSDescription;
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
