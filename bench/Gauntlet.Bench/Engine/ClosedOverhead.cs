using Gauntlet.Pipeline;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Engine;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Bench.Engine;

/// <summary>
/// Section 1: how many empty operations per second the closed model records with two workers, next to a bare loop on
/// two threads calling the same delegate, and next to the same loop also reading the clock twice per call.
/// The three are interleaved round by round so a disturbance on a shared machine hits all of them alike.
/// </summary>
internal static class ClosedOverhead
{
    public const double GoalOpsPerSecond = 10_000_000;
    public const double GoalOverheadNs = 50;

    public sealed record Round(int Number, Measured Gauntlet, Measured Bare, Measured Timed)
    {
        /// <summary>Other processes took a noticeable share of the machine during at least one of the three figures.</summary>
        public bool Disturbed => Gauntlet.Cpu.Disturbed || Bare.Cpu.Disturbed || Timed.Cpu.Disturbed;
    }

    /// <summary>One figure with the CPU use around it.</summary>
    public sealed record Measured(double OpsPerSecond, long Operations, double Seconds, CpuUse Cpu);

    public sealed record Result(IReadOnlyList<Round> Rounds, TimeSpan Duration)
    {
        /// <summary>The rounds the medians are taken over: the undisturbed ones when there are any, otherwise all.</summary>
        public IReadOnlyList<Round> Representative => Rounds.Any(r => !r.Disturbed) ? Rounds.Where(r => !r.Disturbed).ToList() : Rounds;

        /// <summary>Says which rounds the medians cover, for the report.</summary>
        public string Basis => Rounds.All(r => !r.Disturbed) ? $"all {Rounds.Count} rounds"
            : Rounds.All(r => r.Disturbed) ? $"all {Rounds.Count} rounds, every one disturbed by other processes"
            : $"the {Representative.Count} undisturbed round(s) of {Rounds.Count}";
    }

    public static async Task<Result> MeasureAsync(EngineSettings settings, Action<string> log)
    {
        var rounds = new List<Round>();
        for (var i = 1; i <= settings.ClosedRounds; i++)
        {
            var gauntlet = await GauntletAsync(settings.ClosedDuration).ConfigureAwait(false);
            var bare = Bare(settings.ClosedDuration, timed: false);
            var timed = Bare(settings.ClosedDuration, timed: true);
            rounds.Add(new Round(i, gauntlet, bare, timed));
            log($"closed round {i}: gauntlet {Numbers.Rate(gauntlet.OpsPerSecond)}, bare {Numbers.Rate(bare.OpsPerSecond)}, bare+clock {Numbers.Rate(timed.OpsPerSecond)}");
        }
        return new Result(rounds, settings.ClosedDuration);
    }

    private static async Task<Measured> GauntletAsync(TimeSpan duration)
    {
        var scenario = Scenario.Create("closed-empty", EmptyOperation.Instance)
            .WithLoad(LoadProfile.Closed(EngineSettings.ClosedWorkers))
            .WithDuration(duration);
        var before = CpuSample.Take();
        var result = await new Runner().RunAsync(scenario).WaitAsync(duration + BenchLimits.CaseSlack).ConfigureAwait(false);
        var cpu = CpuSample.Between(before, CpuSample.Take());
        var s = result.Scenarios[0];
        if (!s.Counts.Balanced) throw new InvalidOperationException($"closed run did not balance: {s.Counts}");
        // Operations recorded per second of issuing: the rate Gauntlet itself reports, without the drain at the end.
        return new Measured(s.Counts.Ok / s.IssuingSeconds, s.Counts.Ok, s.IssuingSeconds, cpu);
    }

    private static Measured Bare(TimeSpan duration, bool timed)
    {
        var before = CpuSample.Take();
        var rate = BareLoop.Run(EmptyOperation.Instance, EngineSettings.ClosedWorkers, duration, timed);
        return new Measured(rate.PerSecond, rate.Calls, rate.Seconds, CpuSample.Between(before, CpuSample.Take()));
    }

    /// <summary>Extra nanoseconds per operation on each thread: 1/rate_per_thread(Gauntlet) - 1/rate_per_thread(peer).</summary>
    public static double OverheadNs(double gauntletOpsPerSecond, double peerOpsPerSecond) =>
        1e9 * EngineSettings.ClosedWorkers / gauntletOpsPerSecond - 1e9 * EngineSettings.ClosedWorkers / peerOpsPerSecond;

    public static double MedianGauntlet(Result result) => Numbers.Median(result.Representative.Select(r => r.Gauntlet.OpsPerSecond).ToList());
    public static double MedianBare(Result result) => Numbers.Median(result.Representative.Select(r => r.Bare.OpsPerSecond).ToList());
    public static double MedianTimed(Result result) => Numbers.Median(result.Representative.Select(r => r.Timed.OpsPerSecond).ToList());

    public static string Render(Result result, double timestampNs)
    {
        var table = new MarkdownTable("round", ">Gauntlet", ">bare loop", ">bare + 2 clock reads", ">Gauntlet / bare", ">Gauntlet / bare+clock",
            ">overhead vs bare", ">overhead vs bare+clock", ">other processes' CPU (G / B / B+C)");
        foreach (var r in result.Rounds)
        {
            table.Row(r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Numbers.Rate(r.Gauntlet.OpsPerSecond), Numbers.Rate(r.Bare.OpsPerSecond), Numbers.Rate(r.Timed.OpsPerSecond),
                Numbers.Ratio(r.Gauntlet.OpsPerSecond / r.Bare.OpsPerSecond), Numbers.Ratio(r.Gauntlet.OpsPerSecond / r.Timed.OpsPerSecond),
                Numbers.Fixed(OverheadNs(r.Gauntlet.OpsPerSecond, r.Bare.OpsPerSecond), 1) + " ns",
                Numbers.Fixed(OverheadNs(r.Gauntlet.OpsPerSecond, r.Timed.OpsPerSecond), 1) + " ns",
                $"{Numbers.Percent(r.Gauntlet.Cpu.ForeignShare)} / {Numbers.Percent(r.Bare.Cpu.ForeignShare)} / {Numbers.Percent(r.Timed.Cpu.ForeignShare)}"
                + (r.Disturbed ? " (disturbed)" : ""));
        }
        double g = MedianGauntlet(result), b = MedianBare(result), t = MedianTimed(result);
        table.Row("**median**", $"**{Numbers.Rate(g)}**", Numbers.Rate(b), Numbers.Rate(t), Numbers.Ratio(g / b), Numbers.Ratio(g / t),
            $"**{Numbers.Fixed(OverheadNs(g, b), 1)} ns**", Numbers.Fixed(OverheadNs(g, t), 1) + " ns", "");

        var perOpGauntlet = 1e9 * EngineSettings.ClosedWorkers / g;
        var perOpTimed = 1e9 * EngineSettings.ClosedWorkers / t;
        var perOpBare = 1e9 * EngineSettings.ClosedWorkers / b;
        var oneRead = (perOpTimed - perOpBare) / 2;
        return $"""
            Empty in-process operation (`static _ => new ValueTask<Outcome>(Outcome.Ok)`), closed model, {EngineSettings.ClosedWorkers} workers, {Format.Duration(result.Duration)} per run, {result.Rounds.Count} round(s).
            Gauntlet's figure is ok operations over its issuing seconds. The peers are {EngineSettings.ClosedWorkers} dedicated threads released
            together, each calling the same `Func<OperationContext, ValueTask<Outcome>>` on its own `OperationContext` and checking
            `IsCompletedSuccessfully` as the engine does; "bare + 2 clock reads" also takes the two `Stopwatch.GetTimestamp()`
            readings any latency measurement needs. Rates are totals over both threads; overhead is per operation on one thread.

            {table}
            Medians are over {result.Basis}.
            Per operation on one thread (medians): bare loop {Numbers.Fixed(perOpBare, 1)} ns, bare + 2 clock reads {Numbers.Fixed(perOpTimed, 1)} ns,
            Gauntlet {Numbers.Fixed(perOpGauntlet, 1)} ns. Back to back, the engine reads the clock once per operation (one operation's
            end is the next one's start), so of Gauntlet's {Numbers.Fixed(OverheadNs(g, b), 1)} ns overhead about {Numbers.Fixed(oneRead, 1)} ns is that read
            (half of the peer's two reads; one read alone costs {Numbers.Fixed(timestampNs, 1)} ns on this machine) and {Numbers.Fixed(OverheadNs(g, b) - oneRead, 1)} ns is
            bookkeeping (issuer, slot state transitions with two compare-and-swaps, counters, histogram).
            The bare loop's rate is high because the JIT inlines the empty static lambda into it (guarded devirtualization from
            PGO): it is the floor of "calling the delegate", not a realistic target.

            Goals: at least {Numbers.Rate(GoalOpsPerSecond)} through Gauntlet on 2 cores: **{(g >= GoalOpsPerSecond ? "met" : "missed")}** ({Numbers.Rate(g)});
            overhead under {GoalOverheadNs} ns per operation: **{(OverheadNs(g, b) < GoalOverheadNs ? "met" : "missed")}** ({Numbers.Fixed(OverheadNs(g, b), 1)} ns).
            """;
    }
}
