namespace Gauntlet.Results;

// Placeholder: replaced by the real probe (reads /proc/cpuinfo, /proc/meminfo, /etc/os-release, uname).
internal static class EnvironmentProbe
{
    public static EnvironmentInfo Capture() => new()
    {
        CpuModel = "unknown",
        LogicalCores = System.Environment.ProcessorCount,
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Kernel = System.Environment.OSVersion.VersionString,
        Architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
        Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        GauntletVersion = typeof(EnvironmentProbe).Assembly.GetName().Version?.ToString() ?? "0",
        MachineName = System.Environment.MachineName,
        GcMode = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
    };
}
