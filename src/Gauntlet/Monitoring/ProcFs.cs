using System.Globalization;
using System.Runtime.InteropServices;

namespace Gauntlet.Monitoring;

/// <summary>
/// Reads process figures from Linux's /proc: parent, name, CPU time, threads and resident memory from
/// <c>/proc/PID/stat</c> and <c>statm</c>, open descriptors by counting <c>/proc/PID/fd</c>. A process that exits
/// between two reads is simply absent; nothing here throws for it.
/// </summary>
internal static partial class ProcFs
{
    private const string Root = "/proc";

    /// <summary>True when /proc can be read (Linux).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>Kernel clock ticks per second, the unit of CPU times in /proc/PID/stat.</summary>
    public static long TicksPerSecond { get; } = ReadTicksPerSecond();

    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>One process as /proc shows it at one moment.</summary>
    public readonly record struct ProcessStat(int Pid, int ParentPid, string Name, long CpuTicks, int Threads, long RssBytes, long StartTicks);

    /// <summary>Every process id in /proc.</summary>
    public static List<int> ProcessIds()
    {
        var ids = new List<int>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(Root))
            {
                var name = Path.GetFileName(dir.AsSpan());
                if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) ids.Add(pid);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable /proc yields no processes; the monitor notes it.
        }
        return ids;
    }

    /// <summary>The process's figures, or null when it does not exist (any more) or cannot be read.</summary>
    public static ProcessStat? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"{Root}/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var name = stat[(open + 1)..close];
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 of proc(5): state; ppid is 4, utime 14, stime 15, num_threads 20, starttime 22, rss 24.
        if (fields.Length < 22) return null;
        var ppid = ParseInt(fields[1]);
        var cpu = ParseLong(fields[11]) + ParseLong(fields[12]);
        var threads = ParseInt(fields[17]);
        var start = ParseLong(fields[19]);
        var rss = ParseLong(fields[21]) * PageSize;
        return new ProcessStat(pid, ppid, name, cpu, threads, rss, start);
    }

    /// <summary>Open file descriptors of the process; 0 when it cannot be read.</summary>
    public static int CountFds(int pid)
    {
        try
        {
            var count = 0;
            foreach (var _ in Directory.EnumerateFileSystemEntries($"{Root}/{pid}/fd")) count++;
            return count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The file name of the process's first argument (<c>redis-server</c> for <c>/usr/bin/redis-server --port 1</c>); null when unreadable.</summary>
    public static string? CommandName(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"{Root}/{pid}/cmdline");
            var end = cmdline.IndexOf('\0', StringComparison.Ordinal);
            var first = end < 0 ? cmdline : cmdline[..end];
            return first.Length == 0 ? null : Path.GetFileName(first);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int ParseInt(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static long ParseLong(string text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux

    private static long ReadTicksPerSecond()
    {
        if (!OperatingSystem.IsLinux()) return 100;
        try
        {
            var ticks = SysConf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100; // USER_HZ on every mainstream Linux
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
