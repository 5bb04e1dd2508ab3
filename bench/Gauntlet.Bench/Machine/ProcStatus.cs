using System.Globalization;

namespace Gauntlet.Bench.Machine;

/// <summary>This process's own memory figures, as the kernel reports them.</summary>
internal static class ProcStatus
{
    /// <summary>The kB figures of /proc/self/status (VmHWM, VmRSS, ...).</summary>
    public static Dictionary<string, long> KiloBytes()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!File.Exists("/proc/self/status")) return values;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || !line.EndsWith(" kB", StringComparison.Ordinal)) continue;
            if (long.TryParse(line[(colon + 1)..^3].Trim(), CultureInfo.InvariantCulture, out var kb)) values[line[..colon]] = kb;
        }
        return values;
    }
}
