using System.Diagnostics;

namespace Gauntlet.Metrics;

/// <summary>The monotonic clock every measurement uses: <see cref="Stopwatch"/> ticks, converted once at the edges.</summary>
internal static class Clock
{
    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private static readonly long TicksPerMicro = Stopwatch.Frequency % 1_000_000 == 0 ? Stopwatch.Frequency / 1_000_000 : 0;

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>Whole microseconds in <paramref name="ticks"/>; an integer division when the clock allows (it does on Linux).</summary>
    public static long ToMicros(long ticks) => TicksPerMicro != 0 ? ticks / TicksPerMicro : (long)(ticks * MicrosPerTick);

    public static double ToSeconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    public static long FromTimeSpan(TimeSpan span) => (long)(span.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));

    public static TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromTicks((long)(ticks * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency)));
}
