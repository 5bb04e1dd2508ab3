using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace Gauntlet.Results;

/// <summary>
/// Reads the figures of the machine a run happens on. Every source is optional: a file that is missing or
/// unreadable, or a call that fails, gives <see cref="Unknown"/> (or 0 for numbers), never an exception,
/// because a locked-down container must not cost a run its result.
/// </summary>
/// <remarks>
/// Linux reads <c>/proc/cpuinfo</c>, <c>/proc/meminfo</c>, <c>/etc/os-release</c> and <c>/proc/sys/kernel/osrelease</c>.
/// macOS asks <c>sysctlbyname</c>; Windows reads the registry. Anything else falls back to <see cref="RuntimeInformation"/>.
/// </remarks>
internal static partial class EnvironmentProbe
{
    /// <summary>What a figure reads when no source could provide it.</summary>
    public const string Unknown = "unknown";

    public static EnvironmentInfo Capture() => new()
    {
        CpuModel = Guard(CpuModel),
        LogicalCores = Environment.ProcessorCount,
        MemoryBytes = MemoryBytes(),
        Os = Guard(OsName),
        Kernel = Guard(KernelRelease),
        Architecture = Guard(() => RuntimeInformation.ProcessArchitecture.ToString()),
        Runtime = Guard(() => RuntimeInformation.FrameworkDescription),
        GauntletVersion = Guard(() => VersionOf(typeof(EnvironmentProbe).Assembly)),
        MachineName = Guard(() => Environment.MachineName),
        GcMode = Guard(GcMode),
    };

    // ---- CPU ----------------------------------------------------------------------------------------

    // x86 kernels write "model name"; arm kernels may write only "Hardware" (the SoC) or "Processor";
    // RISC-V writes "uarch". Keys are case-sensitive: x86's lowercase "processor" is just an index.
    private static readonly string[] CpuModelKeys = ["model name", "Hardware", "Processor", "uarch"];

    private static string? CpuModel()
    {
        if (OperatingSystem.IsLinux())
            return CpuModelFromCpuInfo(ReadFile("/proc/cpuinfo"))
                // Boards whose cpuinfo names no model (many arm64 kernels) still name themselves in the device tree.
                ?? CollapseWhitespace(ReadFile("/sys/firmware/devicetree/base/model")?.TrimEnd('\0'));
        if (OperatingSystem.IsMacOS())
            return SysctlString("machdep.cpu.brand_string");
        if (OperatingSystem.IsWindows())
            return WindowsCpuModel();
        return null;
    }

    /// <summary>The CPU model named in the text of <c>/proc/cpuinfo</c>, or null when it names none.</summary>
    internal static string? CpuModelFromCpuInfo(string? cpuInfo)
    {
        if (cpuInfo is null) return null;
        var found = new string?[CpuModelKeys.Length];
        foreach (var line in cpuInfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var key = line[..colon].Trim();
            var index = Array.IndexOf(CpuModelKeys, key);
            if (index < 0 || found[index] is not null) continue;
            var value = CollapseWhitespace(line[(colon + 1)..]);
            // On x86 "Processor" never appears, but on some arm kernels it is a bare index; skip numbers.
            if (value is not null && !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                found[index] = value;
        }
        foreach (var value in found)
            if (value is not null) return value;
        return null;
    }

    private static string? WindowsCpuModel()
    {
        if (!OperatingSystem.IsWindows()) return null;
        using var key = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(@"HARDWARE\DESCRIPTION\System\CentralProcessor\0");
        return CollapseWhitespace(key?.GetValue("ProcessorNameString") as string)
            ?? CollapseWhitespace(Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER"));
    }

    // ---- Memory -------------------------------------------------------------------------------------

    private static long MemoryBytes()
    {
        try
        {
            long bytes = 0;
            if (OperatingSystem.IsLinux()) bytes = MemTotalBytes(ReadFile("/proc/meminfo")) ?? 0;
            else if (OperatingSystem.IsMacOS()) bytes = SysctlInt64("hw.memsize") ?? 0;
            // The GC's figure honours container limits, so it is a fallback, not the first choice.
            return bytes > 0 ? bytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>The <c>MemTotal</c> line of <c>/proc/meminfo</c> in bytes, or null when absent or unreadable.</summary>
    internal static long? MemTotalBytes(string? memInfo)
    {
        if (memInfo is null) return null;
        foreach (var line in memInfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var parts = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 0 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                return null;
            var multiplier = parts.Length > 1 ? parts[1].ToUpperInvariant() switch
            {
                "KB" => 1024L,
                "MB" => 1024L * 1024,
                "GB" => 1024L * 1024 * 1024,
                _ => 1L,
            } : 1L;
            return amount > long.MaxValue / multiplier ? null : amount * multiplier;
        }
        return null;
    }

    // ---- Operating system and kernel ----------------------------------------------------------------

    private static string? OsName()
    {
        if (OperatingSystem.IsLinux())
            return PrettyName(ReadFile("/etc/os-release") ?? ReadFile("/usr/lib/os-release")) ?? RuntimeInformation.OSDescription;
        // OSDescription says "Darwin 23.1.0 ..." on a Mac; the product version is what a reader recognises.
        if (OperatingSystem.IsMacOS())
            return "macOS " + Environment.OSVersion.Version.ToString(3);
        return RuntimeInformation.OSDescription;
    }

    /// <summary>The <c>PRETTY_NAME</c> of an os-release file, unquoted, or null when absent.</summary>
    internal static string? PrettyName(string? osRelease)
    {
        if (osRelease is null) return null;
        foreach (var rawLine in osRelease.Split('\n'))
        {
            var line = rawLine.Trim();
            if (!line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) continue;
            return CollapseWhitespace(Unquote(line["PRETTY_NAME=".Length..]));
        }
        return null;
    }

    // os-release values follow shell quoting: "double" with backslash escapes, 'single' taken literally, or bare.
    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') return value[1..^1];
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"') return value;
        var inner = value[1..^1];
        var text = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is '"' or '\\' or '$' or '`') i++;
            text.Append(inner[i]);
        }
        return text.ToString();
    }

    private static string? KernelRelease()
    {
        if (OperatingSystem.IsLinux())
            return CollapseWhitespace(ReadFile("/proc/sys/kernel/osrelease")) ?? ReleaseFromOsDescription(RuntimeInformation.OSDescription);
        if (OperatingSystem.IsWindows())
            return Environment.OSVersion.Version.ToString();
        return ReleaseFromOsDescription(RuntimeInformation.OSDescription);
    }

    /// <summary>
    /// The kernel release in <see cref="RuntimeInformation.OSDescription"/>, which on Unix is uname's
    /// "sysname release version" (e.g. <c>Linux 6.1.0-18-amd64 #1 SMP ...</c>); null when it has no second word.
    /// </summary>
    internal static string? ReleaseFromOsDescription(string? description)
    {
        var words = description?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is { Length: >= 2 } ? words[1] : null;
    }

    // ---- Software -----------------------------------------------------------------------------------

    /// <summary>The assembly's informational version without the <c>+commit</c> suffix the SDK appends.</summary>
    internal static string? VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrWhiteSpace(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return (plus >= 0 ? informational[..plus] : informational).Trim();
        }
        return assembly.GetName().Version?.ToString(3);
    }

    private static string GcMode()
    {
        var kind = GCSettings.IsServerGC ? "server" : "workstation";
        // Batch is the latency mode the runtime starts in exactly when concurrent (background) GC is disabled.
        var concurrency = GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent";
        return kind + ", " + concurrency;
    }

    // ---- Guards -------------------------------------------------------------------------------------

    private static string Guard(Func<string?> read)
    {
        try
        {
            var value = read();
            return string.IsNullOrWhiteSpace(value) ? Unknown : value.Trim();
        }
        catch (Exception)
        {
            return Unknown;
        }
    }

    /// <summary>The file's text, or null when it is missing, unreadable or anything else goes wrong.</summary>
    internal static string? ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string? CollapseWhitespace(string? value)
    {
        if (value is null) return null;
        var words = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : string.Join(' ', words);
    }

    // ---- macOS sysctl -------------------------------------------------------------------------------

    [LibraryImport("libc", EntryPoint = "sysctlbyname", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int SysctlByName(string name, byte* value, nuint* length, byte* newValue, nuint newLength);

    private static unsafe byte[]? Sysctl(string name)
    {
        nuint length = 0;
        if (SysctlByName(name, null, &length, null, 0) != 0 || length == 0 || length > 4096) return null;
        var buffer = new byte[(int)length];
        fixed (byte* pointer = buffer)
        {
            if (SysctlByName(name, pointer, &length, null, 0) != 0) return null;
        }
        return buffer.AsSpan(0, (int)Math.Min(length, (nuint)buffer.Length)).ToArray();
    }

    private static string? SysctlString(string name)
    {
        var bytes = Sysctl(name);
        return bytes is null ? null : CollapseWhitespace(Encoding.UTF8.GetString(bytes).TrimEnd('\0'));
    }

    private static long? SysctlInt64(string name)
    {
        var bytes = Sysctl(name);
        return bytes is { Length: 8 } ? BitConverter.ToInt64(bytes) : null;
    }
}
