using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Tests.Reports;

public sealed class RunComparisonTests
{
    /// <summary>20 seconds of a steady service with a few per cent of noise per second, from a seed.</summary>
    private static ScenarioResult Noisy(int seed, double throughputFactor = 1, double latencyFactor = 1, string name = "steady")
    {
        var random = new Random(seed);
        double Noise(double spread) => 1 + (random.NextDouble() * 2 - 1) * spread;
        var timeline = Enumerable.Range(1, 20).Select(second =>
        {
            var completed = (long)(1000 * throughputFactor * Noise(0.04));
            return new TimelinePoint
            {
                Second = second, Started = completed, Completed = completed, Ok = completed,
                P50Micros = 5_000 * latencyFactor * Noise(0.03), P99Micros = 12_000 * latencyFactor * Noise(0.08),
            };
        }).ToList();
        var total = timeline.Sum(p => p.Completed);
        return ReportSamples.ClosedPassed(name) with
        {
            IssuingSeconds = 20,
            DurationSeconds = 20,
            Counts = new Counts { Started = total, Ok = total },
            Timeline = timeline,
            Throughput = new ThroughputStats { Overall = total / 20.0, Mean = total / 20.0, Seconds = 20 },
            Latency = ReportSamples.Latency(p50: 5_000 * latencyFactor, p99: 12_000 * latencyFactor, count: total),
        };
    }

    [Fact]
    public void A_planted_20_percent_regression_is_flagged()
    {
        var baseline = ReportSamples.Run(Noisy(1));
        var slower = ReportSamples.Run(Noisy(2, throughputFactor: 0.8, latencyFactor: 1.2));

        var comparison = RunComparison.Compare(baseline, slower);

        Assert.True(comparison.Regressed);
        var metrics = Assert.Single(comparison.Scenarios).Metrics.ToDictionary(m => m.Metric);
        Assert.Equal(ChangeVerdict.Regressed, metrics["throughput"].Verdict);
        Assert.InRange(metrics["throughput"].Ratio!.Value, 0.77, 0.83);
        Assert.True(metrics["throughput"].P < 0.001);
        Assert.Equal(ChangeVerdict.Regressed, metrics["p50"].Verdict);
        Assert.Equal(ChangeVerdict.Regressed, metrics["p99"].Verdict);
        Assert.Equal(ChangeVerdict.Unchanged, metrics["error_rate"].Verdict);

        var markdown = ComparisonReport.Render(comparison, "old.json", "new.json");
        Assert.Contains("- **Result:** REGRESSED", markdown, StringComparison.Ordinal);
        Assert.Contains("| steady | `throughput` |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_service_measured_again_with_other_noise_is_not_a_regression()
    {
        var comparison = RunComparison.Compare(ReportSamples.Run(Noisy(1)), ReportSamples.Run(Noisy(2)));
        Assert.False(comparison.Regressed);
        Assert.All(comparison.Scenarios[0].Metrics, m => Assert.Equal(ChangeVerdict.Unchanged, m.Verdict));
    }

    [Fact]
    public void A_ratio_beyond_tolerance_that_noise_explains_is_not_a_regression()
    {
        // Two seconds each, wildly noisy: the means differ by 25% but two seconds cannot tell that from noise.
        static ScenarioResult Short(double a, double b) => ReportSamples.ClosedPassed() with
        {
            IssuingSeconds = 2,
            Timeline = [new TimelinePoint { Second = 1, Completed = (long)a, P50Micros = 10, P99Micros = 20 }, new TimelinePoint { Second = 2, Completed = (long)b, P50Micros = 10, P99Micros = 20 }],
            Throughput = new ThroughputStats { Overall = (a + b) / 2 },
        };
        var comparison = RunComparison.Compare(ReportSamples.Run(Short(1000, 600)), ReportSamples.Run(Short(500, 700)));
        var throughput = comparison.Scenarios[0].Metrics.Single(m => m.Metric == "throughput");
        Assert.Equal(0.75, throughput.Ratio!.Value, 3);
        Assert.Equal(ChangeVerdict.Unchanged, throughput.Verdict);
        Assert.Equal("within noise", throughput.Note);
    }

    [Fact]
    public void More_errors_beyond_noise_is_a_regression_and_a_missing_scenario_too()
    {
        var baseline = ReportSamples.Run(Noisy(1), Noisy(3, name: "gone"));
        var failing = Noisy(2) with { Counts = new Counts { Started = 20_000, Ok = 19_000, Failed = 1_000 } };
        var comparison = RunComparison.Compare(baseline, ReportSamples.Run(failing));
        Assert.Equal(["gone"], comparison.OnlyInBaseline);
        Assert.Equal(ChangeVerdict.Regressed, comparison.Scenarios[0].Metrics.Single(m => m.Metric == "error_rate").Verdict);
        Assert.True(comparison.Regressed);
    }

    [Fact]
    public async Task A_real_rerun_of_the_same_scenario_is_not_flagged()
    {
        // Both runs at once, so whatever else the machine is doing weighs on both alike.
        var scenario = Scenario.Create("sleepy", _ => Task.Delay(4))
            .WithLoad(LoadProfile.Closed(4))
            .WithDuration(TimeSpan.FromSeconds(6));
        var options = new RunOptions { Environment = Engine.RunHelpers.TestEnvironment };
        var runs = await Task.WhenAll(new Runner(options).RunAsync(scenario), new Runner(options).RunAsync(scenario));

        var comparison = RunComparison.Compare(runs[0], runs[1]);
        Assert.True(runs[0].Scenarios[0].Counts.Ok > 100);
        Assert.False(comparison.Regressed, ComparisonReport.Render(comparison, "first", "second"));
    }
}
