namespace Gauntlet.Bench;

/// <summary>Upper bounds on every wait the benchmark makes, so a broken run fails instead of hanging.</summary>
internal static class BenchLimits
{
    public static readonly TimeSpan ThreadStartTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ThreadStopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Added to a measured case's own length when waiting for it (engine drain, result building, process start).</summary>
    public static readonly TimeSpan CaseSlack = TimeSpan.FromSeconds(30);
}
