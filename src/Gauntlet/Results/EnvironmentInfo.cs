namespace Gauntlet.Results;

/// <summary>The machine and software a run happened on, so a figure is never shown without its machine.</summary>
public sealed record EnvironmentInfo
{
    /// <summary>CPU model name, e.g. <c>AMD EPYC 7B13</c>.</summary>
    public required string CpuModel { get; init; }
    /// <summary>Logical processors available to the process.</summary>
    public int LogicalCores { get; init; }
    /// <summary>Total physical memory in bytes.</summary>
    public long MemoryBytes { get; init; }
    /// <summary>Operating system name and version, e.g. <c>Debian GNU/Linux 12 (bookworm)</c>.</summary>
    public required string Os { get; init; }
    /// <summary>Kernel release, e.g. <c>6.1.0-18-amd64</c>.</summary>
    public required string Kernel { get; init; }
    /// <summary>Process architecture, e.g. <c>X64</c>.</summary>
    public required string Architecture { get; init; }
    /// <summary>.NET runtime description, e.g. <c>.NET 10.0.0</c>.</summary>
    public required string Runtime { get; init; }
    /// <summary>Gauntlet's version.</summary>
    public required string GauntletVersion { get; init; }
    /// <summary>Host name.</summary>
    public required string MachineName { get; init; }
    /// <summary>Garbage collector mode: <c>server</c> or <c>workstation</c>, and whether concurrent.</summary>
    public required string GcMode { get; init; }

    /// <summary>Reads the current machine's figures.</summary>
    public static EnvironmentInfo Capture() => EnvironmentProbe.Capture();
}
