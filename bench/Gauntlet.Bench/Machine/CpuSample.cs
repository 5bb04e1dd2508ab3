using System.Diagnostics;
using System.Globalization;

namespace Gauntlet.Bench.Machine;

/// <summary>
/// Machine-wide and own-process CPU time at one instant. Two samples around a measurement tell how many cores the
/// benchmark itself burned and how much of the machine other processes took meanwhile: on a shared machine a figure
/// taken while something else ran is not comparable to one taken on an idle machine, so every figure carries it.
/// </summary>
internal readonly record struct CpuSample(long Timestamp, TimeSpan ProcessCpu, long MachineBusyJiffies, long MachineTotalJiffies, long ProcessJiffies)
{
    public static CpuSample Take()
    {
        long busy = 0, total = 0, own = 0;
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < cpu.Length; i++)
            {
                var value = long.Parse(cpu[i], CultureInfo.InvariantCulture);
                total += value;
                // Fields: user nice system idle iowait irq softirq steal guest guest_nice. Idle and iowait are not busy;
                // steal is time the hypervisor gave to other guests; guest time is already inside user.
                if (i is not (4 or 5 or 8) && i < 9) busy += value;
            }
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed: utime is 14, stime 15.
            var self = File.ReadAllText("/proc/self/stat");
            var fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            own = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            busy = total = own = 0;
        }
        return new CpuSample(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, busy, total, own);
    }

    /// <summary>What happened between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static CpuUse Between(CpuSample before, CpuSample after)
    {
        var wall = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
        var cores = wall > 0 ? (after.ProcessCpu - before.ProcessCpu).TotalSeconds / wall : double.NaN;
        var total = after.MachineTotalJiffies - before.MachineTotalJiffies;
        var foreign = total <= 0
            ? double.NaN
            : Math.Max(0, after.MachineBusyJiffies - before.MachineBusyJiffies - (after.ProcessJiffies - before.ProcessJiffies)) / (double)total;
        return new CpuUse(cores, foreign);
    }
}

/// <summary>CPU use over a measurement.</summary>
/// <param name="ProcessCores">Cores this process kept busy on average (1.0 = one core all the time).</param>
/// <param name="ForeignShare">Share of the whole machine's CPU capacity used by other processes (0..1); NaN without /proc.</param>
internal readonly record struct CpuUse(double ProcessCores, double ForeignShare)
{
    /// <summary>Other processes took more than this share of the machine: the figure is marked as disturbed.</summary>
    public const double DisturbedAbove = 0.10;

    public bool Disturbed => ForeignShare > DisturbedAbove;
}
