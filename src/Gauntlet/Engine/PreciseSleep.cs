using System.Runtime.InteropServices;

namespace Gauntlet.Engine;

/// <summary>
/// Sleeps for less than a millisecond without burning a core. <see cref="Thread.Sleep(int)"/> rounds to whole
/// milliseconds, and spinning with <see cref="Thread.Yield"/> would take a core from the operations the
/// dispatcher is feeding. On Linux, nanosleep wakes within the timer slack (about 50 us).
/// </summary>
internal static partial class PreciseSleep
{
    private static readonly bool HasNanosleep = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    public static void For(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return;
        if (HasNanosleep)
        {
            var ticks = duration.Ticks;
            var request = new TimeSpec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
            // An interrupted sleep (EINTR) just returns early; the caller re-checks the clock.
            _ = NanoSleep(ref request, IntPtr.Zero);
            return;
        }
        if (duration >= TimeSpan.FromMilliseconds(1)) Thread.Sleep(duration);
        else Thread.Yield();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(ref TimeSpec request, IntPtr remaining);
}
