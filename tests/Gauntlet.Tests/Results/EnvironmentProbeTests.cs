using System.Reflection;
using System.Text.RegularExpressions;
using Gauntlet.Results;

namespace Gauntlet.Tests.Results;

public sealed class EnvironmentProbeTests
{
    [Fact]
    public void Capture_on_linux_reads_cpu_memory_os_and_kernel_from_the_machine()
    {
        if (!OperatingSystem.IsLinux()) return;

        var info = EnvironmentProbe.Capture();

        Assert.False(string.IsNullOrWhiteSpace(info.CpuModel));
        Assert.NotEqual(EnvironmentProbe.Unknown, info.CpuModel);
        Assert.True(info.MemoryBytes > 0, $"memory {info.MemoryBytes}");
        Assert.Equal(EnvironmentProbe.MemTotalBytes(File.ReadAllText("/proc/meminfo")), info.MemoryBytes);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), info.Kernel);
        Assert.NotEqual(EnvironmentProbe.Unknown, info.Os);
        Assert.Equal(Environment.ProcessorCount, info.LogicalCores);
    }

    [Fact]
    public void Capture_fills_every_figure_without_placeholders()
    {
        var info = EnvironmentProbe.Capture();

        Assert.StartsWith(".NET", info.Runtime, StringComparison.Ordinal);
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), info.Architecture);
        Assert.Equal(Environment.MachineName, info.MachineName);
        Assert.Matches(new Regex("^(server|workstation), (non-)?concurrent$"), info.GcMode);
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+[^+]*$"), info.GauntletVersion);
        foreach (var value in new[] { info.CpuModel, info.Os, info.Kernel, info.Architecture, info.Runtime, info.GauntletVersion, info.MachineName, info.GcMode })
        {
            Assert.False(string.IsNullOrWhiteSpace(value));
            Assert.DoesNotContain("[", value, StringComparison.Ordinal);
        }
        Assert.Equal(info, EnvironmentInfo.Capture());
    }

    [Fact]
    public void Cpu_model_comes_from_model_name_on_x86()
    {
        const string cpuInfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) CPU   E5-2680 v4 @ 2.40GHz\nprocessor\t: 1\nmodel name\t: other\n";

        Assert.Equal("Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", EnvironmentProbe.CpuModelFromCpuInfo(cpuInfo));
    }

    [Theory]
    [InlineData("Processor\t: ARMv7 Processor rev 4 (v7l)\nprocessor\t: 0\nBogoMIPS\t: 38.40\nHardware\t: BCM2835\nRevision\t: a02082\n", "BCM2835")]
    [InlineData("Processor\t: AArch64 Processor rev 4 (aarch64)\nprocessor\t: 0\nFeatures\t: fp asimd\n", "AArch64 Processor rev 4 (aarch64)")]
    [InlineData("processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc\nmmu\t\t: sv39\nuarch\t\t: sifive,u74-mc\n", "sifive,u74-mc")]
    public void Cpu_model_falls_back_to_hardware_processor_and_uarch(string cpuInfo, string expected)
    {
        Assert.Equal(expected, EnvironmentProbe.CpuModelFromCpuInfo(cpuInfo));
    }

    [Theory]
    [InlineData("processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n")]
    [InlineData("model name\t:   \n")]
    [InlineData("")]
    [InlineData(null)]
    public void Cpu_model_is_null_when_cpuinfo_names_none(string? cpuInfo)
    {
        Assert.Null(EnvironmentProbe.CpuModelFromCpuInfo(cpuInfo));
    }

    [Theory]
    [InlineData("MemTotal:       24683620 kB\nMemFree:        24234104 kB\n", 24_683_620L * 1024)]
    [InlineData("MemFree: 1 kB\nMemTotal: 2048\n", 2048L)]
    [InlineData("MemFree: 1 kB\n", null)]
    [InlineData("MemTotal: lots kB\n", null)]
    [InlineData("MemTotal: 99999999999999999 kB\n", null)]
    [InlineData(null, null)]
    public void MemTotal_is_read_in_bytes(string? memInfo, long? expected)
    {
        Assert.Equal(expected, EnvironmentProbe.MemTotalBytes(memInfo));
    }

    [Theory]
    [InlineData("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n", "Debian GNU/Linux 12 (bookworm)")]
    [InlineData("PRETTY_NAME='Alpine Linux v3.19'\n", "Alpine Linux v3.19")]
    [InlineData("PRETTY_NAME=Arch\n", "Arch")]
    [InlineData("PRETTY_NAME=\"Say \\\"hi\\\" \\\\ \\$HOME\"\n", "Say \"hi\" \\ $HOME")]
    [InlineData("NAME=Fedora\n", null)]
    [InlineData(null, null)]
    public void Os_name_is_the_unquoted_pretty_name(string? osRelease, string? expected)
    {
        Assert.Equal(expected, EnvironmentProbe.PrettyName(osRelease));
    }

    [Theory]
    [InlineData("Linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1", "6.1.0-18-amd64")]
    [InlineData("Darwin 23.1.0 Darwin Kernel Version 23.1.0", "23.1.0")]
    [InlineData("Linux", null)]
    [InlineData(null, null)]
    public void Kernel_release_falls_back_to_the_second_word_of_uname(string? description, string? expected)
    {
        Assert.Equal(expected, EnvironmentProbe.ReleaseFromOsDescription(description));
    }

    [Fact]
    public void Version_drops_the_commit_suffix()
    {
        var assembly = typeof(RunResult).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var version = EnvironmentProbe.VersionOf(assembly);

        Assert.Equal(informational.Split('+')[0], version);
        Assert.DoesNotContain("+", version, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_reads_as_null_not_an_exception()
    {
        Assert.Null(EnvironmentProbe.ReadFile("/nonexistent/" + Guid.NewGuid()));
        Assert.Null(EnvironmentProbe.ReadFile(Path.GetTempPath())); // a folder
    }
}
