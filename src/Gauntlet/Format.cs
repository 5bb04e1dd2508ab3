using System.Globalization;

namespace Gauntlet;

/// <summary>Human-readable units used in descriptions, messages and reports, spelled the same everywhere.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A duration as the scenario language spells it: <c>250ms</c>, <c>10s</c>, <c>1m30s</c>, <c>1.5us</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.Zero) return "-" + Duration(-value);
        if (value == TimeSpan.Zero) return "0s";
        if (value < TimeSpan.FromMilliseconds(1)) return Number(value.Ticks / 10.0) + "us";
        if (value < TimeSpan.FromSeconds(1)) return Number(value.TotalMilliseconds) + "ms";
        if (value < TimeSpan.FromMinutes(1)) return Number(value.TotalSeconds) + "s";
        var minutes = (long)value.TotalMinutes;
        var rest = value - TimeSpan.FromMinutes(minutes);
        if (minutes >= 60 && rest == TimeSpan.Zero && minutes % 60 == 0) return (minutes / 60).ToString(Invariant) + "h";
        return rest == TimeSpan.Zero ? minutes.ToString(Invariant) + "m" : minutes.ToString(Invariant) + "m" + Duration(rest);
    }

    /// <summary>A latency given in microseconds, in the most readable unit: <c>850us</c>, <c>3.1ms</c>, <c>1.2s</c>.</summary>
    public static string Micros(double micros)
    {
        if (double.IsNaN(micros)) return "n/a";
        if (micros < 1000) return Number(micros) + "us";
        if (micros < 1_000_000) return Number(micros / 1000) + "ms";
        return Number(micros / 1_000_000) + "s";
    }

    /// <summary>A rate per second: <c>1000/s</c>, <c>12.5/s</c>.</summary>
    public static string Rate(double perSecond) => Number(perSecond) + "/s";

    /// <summary>A count with thousands separators: <c>1,000,000</c>.</summary>
    public static string Count(long value) => value.ToString("#,0", Invariant);

    /// <summary>A fraction as a percentage: <c>99.9%</c>.</summary>
    public static string Percent(double fraction) => Number(fraction * 100) + "%";

    /// <summary>A number with at most three significant decimals and no exponent.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "n/a";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var abs = Math.Abs(value);
        var format = abs >= 100 ? "0.#" : abs >= 1 ? "0.##" : "0.###";
        if (abs != 0 && abs < 0.001) format = "0.######";
        return value.ToString(format, Invariant);
    }

    /// <summary>A size in bytes with a decimal unit (as the scenario language reads them): <c>512B</c>, <c>12.5KB</c>, <c>1.2MB</c>, <c>3.1GB</c>.</summary>
    public static string Bytes(double bytes)
    {
        if (double.IsNaN(bytes)) return "n/a";
        var abs = Math.Abs(bytes);
        if (abs < 1_000) return Number(bytes) + "B";
        if (abs < 1_000_000) return Number(bytes / 1_000) + "KB";
        if (abs < 1_000_000_000) return Number(bytes / 1_000_000) + "MB";
        return Number(bytes / 1_000_000_000) + "GB";
    }

    /// <summary>A growth rate given in bytes per second, written per minute: <c>1.2MB/min</c>, <c>-300KB/min</c>.</summary>
    public static string BytesPerMinute(double bytesPerSecond) => Bytes(bytesPerSecond * 60) + "/min";
}
