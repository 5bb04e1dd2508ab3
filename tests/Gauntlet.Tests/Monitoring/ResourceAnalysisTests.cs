using Gauntlet.Metrics;
using Gauntlet.Monitoring;
using Gauntlet.Results;

namespace Gauntlet.Tests.Monitoring;

public sealed class ResourceAnalysisTests
{
    private static List<ResourceSample> Samples(int count, Func<int, long> rss, Func<int, int>? fds = null) =>
        [.. Enumerable.Range(0, count).Select(i => new ResourceSample { Second = i, Processes = 1, RssBytes = rss(i), Fds = fds?.Invoke(i) ?? 10, Threads = 3, Cpu = 0.5 })];

    [Fact]
    public void Slope_ignores_the_warm_up()
    {
        // A big start-up jump in the first 5 seconds, then 1 MB a second.
        var samples = Samples(30, i => i < 5 ? 10_000_000L * i : 100_000_000L + 1_000_000L * i);
        var figures = ResourceAnalysis.Figures(samples, warmupSeconds: 5)!;
        Assert.Equal(1_000_000, figures.RssSlopeBytesPerSecond!.Value, 1);
        Assert.True(figures.LeakSuspected);
    }

    [Fact]
    public void Flat_memory_with_noise_is_not_a_leak()
    {
        var random = new Random(7);
        var samples = Samples(60, _ => 200_000_000L + random.Next(-2_000_000, 2_000_000));
        var figures = ResourceAnalysis.Figures(samples, warmupSeconds: 5)!;
        Assert.False(figures.LeakSuspected);
        Assert.InRange(figures.RssSlopeBytesPerSecond!.Value, -100_000, 100_000);
    }

    [Fact]
    public void Descriptor_growth_is_last_minus_first_after_the_warm_up()
    {
        var figures = ResourceAnalysis.Figures(Samples(20, _ => 1_000_000, i => 10 + 3 * i), warmupSeconds: 2)!;
        Assert.Equal(3 * 19 - 3 * 2, figures.FdGrowth);
        Assert.Equal(10 + 3 * 19, figures.MaxFds);
        Assert.True(figures.FdLeakSuspected);
    }

    [Fact]
    public void Drift_compares_the_last_window_with_the_first()
    {
        var steady = Enumerable.Repeat(1000.0, 20).Select((v, i) => v + (i % 2 == 0 ? 5 : -5)).ToList();
        var (drift, degraded) = ResourceAnalysis.Drift(steady)!.Value;
        Assert.InRange(drift, -0.01, 0.01);
        Assert.False(degraded);

        var slowing = Enumerable.Range(0, 20).Select(i => 1000.0 - 20 * i).ToList();
        (drift, degraded) = ResourceAnalysis.Drift(slowing)!.Value;
        // First 4 seconds average 970, last 4 average 650.
        Assert.Equal(650.0 / 970 - 1, drift, 4);
        Assert.True(degraded);

        Assert.Null(ResourceAnalysis.Drift([1, 2, 3, 4, 5]));
    }

    [Fact]
    public void Least_squares_fits_an_exact_line()
    {
        var line = Statistics.LeastSquares([0, 1, 2, 3], [1, 3, 5, 7])!.Value;
        Assert.Equal(2, line.Slope, 9);
        Assert.Equal(1, line.Intercept, 9);
    }

    [Fact]
    public void Mann_whitney_tells_shifted_samples_from_one_distribution()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 20).Select(_ => 100 + random.NextDouble() * 10).ToList();
        var b = Enumerable.Range(0, 20).Select(_ => 100 + random.NextDouble() * 10).ToList();
        var shifted = b.Select(v => v * 0.8).ToList();
        Assert.True(Statistics.MannWhitneyP(a, b) > 0.05);
        Assert.True(Statistics.MannWhitneyP(a, shifted) < 0.0001);
        Assert.Equal(1, Statistics.MannWhitneyP([5, 5, 5], [5, 5, 5]));
    }
}
