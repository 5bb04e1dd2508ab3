using System.Runtime.InteropServices;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// The process's open-files limit (RLIMIT_NOFILE), checked before a run that opens many sockets so that it fails at
/// once with how to raise the limit, rather than halfway with "too many open files".
/// </summary>
internal static partial class OpenFilesLimit
{
    /// <summary>Descriptors the runtime and Gauntlet itself keep open besides the connections (files, pipes, epoll).</summary>
    public const int Reserve = 128;

    private const int RlimitNofileLinux = 7;

    /// <summary>The soft and hard limits; null where they cannot be read (not Linux).</summary>
    public static (ulong Soft, ulong Hard)? Read()
    {
        if (!OperatingSystem.IsLinux()) return null;
        return GetRLimit(RlimitNofileLinux, out var limit) == 0 ? (limit.Current, limit.Max) : null;
    }

    /// <summary>
    /// Makes room for <paramref name="needed"/> descriptors, raising the soft limit up to the hard one if it must;
    /// returns null when there is room, or a message that says how to raise the limit.
    /// </summary>
    public static string? Ensure(long needed, string why)
    {
        if (Read() is not { } limit || (ulong)needed <= limit.Soft) return null;
        if ((ulong)needed <= limit.Hard)
        {
            var raised = new RLimit { Current = (ulong)needed, Max = limit.Hard };
            if (SetRLimit(RlimitNofileLinux, in raised) == 0) return null;
        }
        var advice = (ulong)needed <= limit.Hard
            ? $"raise it in this shell with 'ulimit -n {needed}'"
            : $"the hard limit is {limit.Hard}: raise it as root (ulimit -Hn {needed}, or LimitNOFILE= for a systemd unit, or nofile in /etc/security/limits.conf), then 'ulimit -n {needed}'";
        return $"{needed} open files are needed ({why}) but the open-files limit is {limit.Soft}; {advice}, or lower the number of connections";
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
