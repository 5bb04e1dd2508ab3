using Gauntlet.Pipeline;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Engine;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// Section 2: whether the open model issues the rate it was asked for. Gauntlet runs
/// <c>LoadProfile.Open(rate, maxInFlight, duration)</c> with the empty operation; in the same run three naive
/// generators pace the same operation for the same time, so the reader sees what schedule-integral dispatch buys.
/// </summary>
internal static class OpenAccuracy
{
    /// <summary>The goal: achieved rate within this fraction of the requested one.</summary>
    public const double GoalError = 0.01;

    public sealed record GauntletRun(
        double RequestedRate,
        TimeSpan Duration,
        long Scheduled,
        long Started,
        long Dropped,
        long Ok,
        double IssuingSeconds,
        double ResultRequestedRate,
        double ResultAchievedRate,
        double LagP50,
        double LagP99,
        double LagMax,
        IReadOnlyList<string> Warnings,
        CpuUse Cpu)
    {
        public long Dispatched => Started + Dropped;
        public double AchievedRate => Dispatched / IssuingSeconds;
        public double OkRate => Ok / IssuingSeconds;
        public double Error => AchievedRate / RequestedRate - 1;

        /// <summary>Arrivals the schedule called for that were neither started nor dropped: the engine lost track of them.</summary>
        public long Unaccounted => Scheduled - Dispatched;

        /// <summary>Dispatched against what the schedule calls for over the profile's own duration: the count, free of the start-up time.</summary>
        public double CountError => Dispatched / (RequestedRate * Duration.TotalSeconds) - 1;
    }

    public sealed record PeerRun(string Name, double RequestedRate, NaiveGenerators.Issued Issued, CpuUse Cpu)
    {
        public double AchievedRate => Issued.Operations / Issued.Seconds;
        public double Error => AchievedRate / RequestedRate - 1;
    }

    public sealed record RateResult(double Rate, TimeSpan Duration, GauntletRun Gauntlet, IReadOnlyList<PeerRun> Peers);

    public sealed record Result(IReadOnlyList<RateResult> Rates);

    public static async Task<Result> MeasureAsync(EngineSettings settings, Action<string> log)
    {
        var rates = new List<RateResult>
        {
            await MeasureRateAsync(EngineSettings.OpenRate, settings.OpenDuration, log).ConfigureAwait(false),
        };
        foreach (var rate in EngineSettings.OpenLowRates)
            rates.Add(await MeasureRateAsync(rate, settings.OpenLowRateDuration, log).ConfigureAwait(false));
        return new Result(rates);
    }

    private static async Task<RateResult> MeasureRateAsync(double rate, TimeSpan duration, Action<string> log)
    {
        var gauntlet = await GauntletAsync(rate, duration).ConfigureAwait(false);
        log($"open {Numbers.Rate(rate)}: gauntlet {Numbers.Rate(gauntlet.AchievedRate)} ({Numbers.SignedPercent(gauntlet.Error)})");
        var peers = new List<PeerRun>
        {
            await PeerAsync("issue, then await Task.Delay(1/rate)", rate, () => NaiveGenerators.DelayPerArrivalAsync(rate, duration)).ConfigureAwait(false),
            await PeerAsync("PeriodicTimer, one arrival per tick", rate, () => NaiveGenerators.PeriodicTimerAsync(rate, duration)).ConfigureAwait(false),
            await PeerAsync("Thread.Sleep(1), then rate/1000 arrivals", rate, () => Task.FromResult(NaiveGenerators.SleepBatch(rate, duration))).ConfigureAwait(false),
        };
        foreach (var peer in peers) log($"open {Numbers.Rate(rate)}: {peer.Name}: {Numbers.Rate(peer.AchievedRate)} ({Numbers.SignedPercent(peer.Error)})");
        return new RateResult(rate, duration, gauntlet, peers);
    }

    private static async Task<GauntletRun> GauntletAsync(double rate, TimeSpan duration)
    {
        var scenario = Scenario.Create("open-empty", EmptyOperation.Instance)
            .WithLoad(LoadProfile.Open(rate, EngineSettings.OpenMaxInFlight, duration));
        var before = CpuSample.Take();
        var result = await new Runner().RunAsync(scenario).WaitAsync(duration + BenchLimits.CaseSlack).ConfigureAwait(false);
        var cpu = CpuSample.Between(before, CpuSample.Take());
        var s = result.Scenarios[0];
        if (!s.Counts.Balanced) throw new InvalidOperationException($"open run did not balance: {s.Counts}");
        return new GauntletRun(rate, duration, s.Arrivals?.Scheduled ?? 0, s.Counts.Started, s.Counts.Dropped, s.Counts.Ok, s.IssuingSeconds,
            s.Arrivals?.RequestedRate ?? double.NaN, s.Arrivals?.AchievedRate ?? double.NaN,
            s.SchedulingLag?.P50Micros ?? double.NaN, s.SchedulingLag?.P99Micros ?? double.NaN, s.SchedulingLag?.MaxMicros ?? double.NaN, [.. s.Warnings.Select(w => w.Message)], cpu);
    }

    private static async Task<PeerRun> PeerAsync(string name, double rate, Func<Task<NaiveGenerators.Issued>> generator)
    {
        var before = CpuSample.Take();
        var issued = await generator().ConfigureAwait(false);
        return new PeerRun(name, rate, issued, CpuSample.Between(before, CpuSample.Take()));
    }

    public static string Render(Result result)
    {
        var parts = new List<string>
        {
            """
            Gauntlet's "issued" is started + dropped and its seconds are the result's issuing seconds; a peer's are the
            operations it issued and the time it ran. The operation is empty, so "CPU used" is what the generator itself
            costs. Scheduling lag is how late each operation started against its intended start (Gauntlet only: the naive
            peers have no schedule to be late against).

            """,
        };
        foreach (var rate in result.Rates)
        {
            var g = rate.Gauntlet;
            var table = new MarkdownTable("generator", ">issued", ">seconds", ">achieved rate", ">error vs requested", ">dropped",
                ">ok / issuing s", ">sched. lag p50 / p99 / max", ">CPU used (cores)", ">other processes' CPU");
            table.Row("**Gauntlet open model**", Numbers.Count(g.Dispatched), Numbers.Fixed(g.IssuingSeconds, 3), Numbers.Rate(g.AchievedRate),
                $"**{Numbers.SignedPercent(g.Error)}**", Numbers.Count(g.Dropped), Numbers.Rate(g.OkRate),
                $"{Numbers.Micros(g.LagP50)} / {Numbers.Micros(g.LagP99)} / {Numbers.Micros(g.LagMax)}",
                Numbers.Fixed(g.Cpu.ProcessCores, 2), Numbers.Percent(g.Cpu.ForeignShare));
            foreach (var peer in rate.Peers)
            {
                table.Row(peer.Name, Numbers.Count(peer.Issued.Operations), Numbers.Fixed(peer.Issued.Seconds, 3), Numbers.Rate(peer.AchievedRate),
                    Numbers.SignedPercent(peer.Error), "n/a", "n/a", "n/a", Numbers.Fixed(peer.Cpu.ProcessCores, 2), Numbers.Percent(peer.Cpu.ForeignShare));
            }
            var warnings = g.Warnings.Count == 0 ? "Gauntlet's warnings: none." : "Gauntlet's warnings:\n\n" + string.Join("\n", g.Warnings.Select(w => "> " + w + "\n"));
            var unaccounted = g.Unaccounted == 0
                ? "every scheduled arrival was started or dropped"
                : $"**{Numbers.Count(g.Unaccounted)} scheduled arrival(s) neither started nor dropped**: the engine lost track of them (the result still balances and passes)";
            parts.Add($"""
                ### {Numbers.Rate(rate.Rate)} for {Format.Duration(rate.Duration)}

                `LoadProfile.Open({rate.Rate:0}, maxInFlight: {EngineSettings.OpenMaxInFlight}, duration: {Format.Duration(rate.Duration)})`: scheduled {Numbers.Count(g.Scheduled)},
                started + dropped {Numbers.Count(g.Dispatched)} ({Numbers.SignedPercent(g.CountError)} against rate × duration; {unaccounted}).
                Issuing took {Numbers.Fixed(g.IssuingSeconds, 4)} s for a {Format.Duration(rate.Duration)} profile: the issuing window starts before the
                dispatcher does (while the {EngineSettings.OpenMaxInFlight} slots start and park), which is where the rate error comes from. The result's own
                `Arrivals.RequestedRate` is {Numbers.Fixed(g.ResultRequestedRate, 1)}/s and `AchievedRate` {Numbers.Fixed(g.ResultAchievedRate, 1)}/s.

                {table}
                {string.Join("\n", rate.Peers.Select(p => $"- {p.Name}: {p.Issued.Note}."))}

                {warnings}
                """);
        }
        return string.Join("\n", parts);
    }
}
