using Gauntlet.Results;

namespace Gauntlet.Metrics;

/// <summary>Mean, deviation and coefficient of variation of per-second completions.</summary>
internal static class ThroughputStatistics
{
    public static ThroughputStats Compute(IReadOnlyList<double> perSecond, double overall)
    {
        if (perSecond.Count == 0) return new ThroughputStats { Overall = overall };
        double sum = 0, min = double.MaxValue, max = double.MinValue;
        foreach (var v in perSecond)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var mean = sum / perSecond.Count;
        double squares = 0;
        foreach (var v in perSecond) squares += (v - mean) * (v - mean);
        // Sample standard deviation: the seconds are a sample of the system's behaviour.
        var stddev = perSecond.Count > 1 ? Math.Sqrt(squares / (perSecond.Count - 1)) : 0;
        return new ThroughputStats
        {
            Overall = overall,
            Mean = mean,
            StdDev = stddev,
            Cv = mean > 0 ? stddev / mean : 0,
            Min = min,
            Max = max,
            Seconds = perSecond.Count,
        };
    }
}
