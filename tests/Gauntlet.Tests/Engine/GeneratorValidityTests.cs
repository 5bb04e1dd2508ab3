using Gauntlet.Engine;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Engine;

/// <summary>
/// The INVALID verdict judged from a scenario's own figures, built by hand second by second (drops, lag, Gauntlet's
/// CPU), as the engine and a merge hand them to <see cref="ScenarioVerdict"/>.
/// </summary>
public sealed class GeneratorValidityTests
{
    /// <summary>An open model at 1000 arrivals a second for 4 s, p99 latency 20 ms, nothing dropped, on time, a calm CPU.</summary>
    private static ScenarioResult Open(long dropped = 0, double lagP99Micros = 200, double? cpu = 0.3, string model = "open", ValidityConfig? validity = null,
        IReadOnlyList<ThresholdResult>? thresholds = null)
    {
        var timeline = Enumerable.Range(1, 4).Select(s => new TimelinePoint
        {
            Second = s,
            Started = 1000,
            Completed = 1000,
            Ok = 1000,
            P99Micros = 20_000,
            Dropped = s is 2 or 3 ? dropped / 2 : 0,
            LagP99Micros = s == 3 ? lagP99Micros : 100,
            GauntletCpu = cpu,
        }).ToList();
        return new ScenarioResult
        {
            Name = "open",
            Config = new ScenarioConfig { Model = model, Load = "1000/s", Bounds = "duration 4s", MaxConcurrency = 50, Validity = validity },
            IssuingSeconds = 4,
            DurationSeconds = 4.1,
            Counts = new Counts { Started = 4000, Ok = 4000, Dropped = dropped },
            AccountingBalanced = true,
            Latency = new LatencySummary { Count = 4000, P50Micros = 5000, P99Micros = 20_000, MaxMicros = 30_000 },
            SchedulingLag = model == "open" ? new LatencySummary { Count = 4000, P50Micros = 50, P99Micros = lagP99Micros, MaxMicros = lagP99Micros * 2 } : null,
            Arrivals = model == "open" ? new ArrivalStats { Scheduled = 4000 + dropped, RequestedRate = 1000, AchievedRate = 1000 } : null,
            Throughput = new ThroughputStats { Overall = 1000, Mean = 1000, Min = 1000, Max = 1000, Seconds = 4 },
            Timeline = timeline,
            Thresholds = thresholds ?? [new ThresholdResult("p99 < 50ms", "p99", 20_000, "20ms", true, null)],
        };
    }

    private static ScenarioResult Judge(ScenarioResult draft, bool judgedByMerge = false) =>
        ScenarioVerdict.Judge(draft, new ScenarioVerdict.Ending(false, null, draft.Thresholds.Count) { JudgedByMerge = judgedByMerge });

    private static RunResult Run(params ScenarioResult[] scenarios) => new() { Environment = RunHelpers.TestEnvironment, Scenarios = scenarios };

    [Fact]
    public void An_open_model_within_every_tolerance_passes()
    {
        var judged = Judge(Open(dropped: 2, lagP99Micros: 5000, cpu: 0.94));

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Empty(judged.Reasons);
    }

    [Fact]
    public void Dropped_arrivals_beyond_the_tolerance_make_a_passing_run_invalid_naming_the_count_share_and_seconds()
    {
        var judged = Judge(Open(dropped: 80));

        Assert.Equal(Verdict.Invalid, judged.Verdict);
        var reason = Assert.Single(judged.Reasons);
        Assert.Equal(ReasonCode.GeneratorLimited, reason.Code);
        Assert.Contains("80 of 3080 arrivals (2.6%) were dropped in seconds 2-3 (80 of 4080 scheduled in all), above the 1% tolerance (validity.dropped)", reason.Message, StringComparison.Ordinal);
        Assert.Contains("all 50 in-flight slots were busy", reason.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, ExitCodes.Of(Run(judged)));
        Assert.Equal("INVALID", Gauntlet.Reports.VerdictText.Of(Run(judged)));
    }

    [Fact]
    public void Late_arrivals_beyond_the_tolerance_make_the_run_invalid_naming_the_lag_and_its_second()
    {
        var judged = Judge(Open(lagP99Micros: 25_000));

        Assert.Equal(Verdict.Invalid, judged.Verdict);
        var reason = Assert.Single(judged.Reasons);
        Assert.Contains("p99 scheduling lag 25ms (max 50ms), above the 10ms tolerance (validity.lateP99), late in second 3", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lag_small_next_to_the_latency_measured_is_not_the_generators_doing()
    {
        // 15 ms late against a p99 of 200 ms: arrivals bunched behind a slow target, not a generator that cannot keep time.
        var draft = Open(lagP99Micros: 15_000);
        draft = draft with { Latency = draft.Latency with { P99Micros = 200_000 } };

        Assert.Equal(Verdict.Passed, Judge(draft).Verdict);
    }

    [Fact]
    public void Gauntlets_cpu_at_the_tolerance_after_the_first_second_makes_an_open_model_invalid()
    {
        var draft = Open();
        draft = draft with { Timeline = [.. draft.Timeline.Select(p => p.Second is 2 or 3 ? p with { GauntletCpu = p.Second == 2 ? 0.96 : 0.99 } : p)] };

        var judged = Judge(draft);

        Assert.Equal(Verdict.Invalid, judged.Verdict);
        var reason = Assert.Single(judged.Reasons);
        Assert.Contains("at or above 95% of the cores available to it (validity.cpu) in seconds 2-3, at worst 99% in second 3", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_cpu_in_the_first_second_only_or_after_issuing_stopped_is_not_judged()
    {
        var draft = Open();
        // Second 1: code compiling, threads starting. Second 5 (4 to 5): the drain after issuing stopped at 4 s.
        draft = draft with
        {
            Timeline = [.. draft.Timeline.Select(p => p.Second == 1 ? p with { GauntletCpu = 1.0 } : p), new TimelinePoint { Second = 5, GauntletCpu = 1.0 }],
        };

        Assert.Equal(Verdict.Passed, Judge(draft).Verdict);
    }

    [Fact]
    public void Drops_and_lag_in_the_first_second_only_are_the_run_starting_unless_a_warm_up_ran_before_it()
    {
        // A cold start: 300 of 1300 arrivals dropped and a 150 ms lag, all in second 1; the later seconds kept up.
        var draft = Open() with
        {
            Counts = new Counts { Started = 4000, Ok = 4000, Dropped = 300 },
            SchedulingLag = new LatencySummary { Count = 4000, P99Micros = 150_000, MaxMicros = 200_000 },
        };
        draft = draft with { Timeline = [.. draft.Timeline.Select(p => p.Second == 1 ? p with { Dropped = 300, LagP99Micros = 150_000 } : p)] };
        var warmed = draft with { Warmup = new WarmupResult { Seconds = 2, Counts = new Counts(), Latency = new LatencySummary() } };

        Assert.Equal(Verdict.Passed, Judge(draft).Verdict);
        Assert.Equal(Verdict.Invalid, Judge(warmed).Verdict);
        Assert.Equal(2, Judge(warmed).Reasons.Count);
    }

    [Fact]
    public void A_run_that_issued_for_one_second_without_a_warm_up_is_too_short_to_judge()
    {
        var draft = Open(dropped: 80);
        draft = draft with { IssuingSeconds = 1, Timeline = [draft.Timeline[0] with { Dropped = 80 }] };

        Assert.Equal(Verdict.Passed, Judge(draft).Verdict);
    }

    [Fact]
    public void A_closed_model_at_full_cpu_is_not_invalid_unless_the_scenario_asks_for_its_cpu_to_be_judged()
    {
        // A closed model goes as fast as it can: using every core is what it is meant to do.
        var busy = Open(model: "closed", cpu: 0.99);
        var asked = Open(model: "closed", cpu: 0.99, validity: new ValidityOptions { Cpu = 0.95 }.ToConfig());

        Assert.Equal(Verdict.Passed, Judge(busy).Verdict);
        Assert.Equal(Verdict.Invalid, Judge(asked).Verdict);
        Assert.Contains("in seconds 2-4", Assert.Single(Judge(asked).Reasons).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepting_the_generators_limits_turns_every_reason_into_a_warning_and_the_thresholds_judge()
    {
        var judged = Judge(Open(dropped: 80, lagP99Micros: 25_000, validity: new ValidityOptions { Accept = true }.ToConfig()));

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Empty(judged.Reasons);
        var warnings = judged.Warnings.Where(w => w.Code == WarningCode.InvalidAccepted).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("would otherwise be INVALID: the load asked for was not delivered: 80 of 3080", warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Passed, ExitCodes.Of(Run(judged)));
    }

    [Fact]
    public void Tolerances_set_by_the_scenario_replace_the_defaults()
    {
        var lenient = new ValidityOptions { Dropped = 0.05, LateP99 = TimeSpan.FromMilliseconds(30) }.ToConfig();

        Assert.Equal(Verdict.Passed, Judge(Open(dropped: 80, lagP99Micros: 25_000, validity: lenient)).Verdict);
        Assert.Equal(Verdict.Invalid, Judge(Open(dropped: 250, validity: lenient)).Verdict);
    }

    [Fact]
    public void A_threshold_missed_on_distorted_figures_still_fails_with_both_reasons_and_exit_code_1()
    {
        var judged = Judge(Open(dropped: 80, thresholds: [new ThresholdResult("p99 < 10ms", "p99", 20_000, "20ms", false, null)]));

        Assert.Equal(Verdict.Failed, judged.Verdict);
        Assert.Equal([ReasonCode.ThresholdMissed, ReasonCode.GeneratorLimited], judged.Reasons.Select(r => r.Code));
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(Run(judged)));
        Assert.Equal("FAILED", Gauntlet.Reports.VerdictText.Of(Run(judged)));
    }

    [Fact]
    public void A_segments_share_is_left_to_the_merge()
    {
        var judged = Judge(Open(dropped: 80), judgedByMerge: true);

        Assert.Equal(Verdict.Passed, judged.Verdict);
    }

    [Fact]
    public void The_exit_code_puts_an_interruption_first_then_a_failure_then_invalid_then_unknown()
    {
        var invalid = Judge(Open(dropped: 80));
        var failed = Judge(Open(thresholds: [new ThresholdResult("p99 < 10ms", "p99", 20_000, "20ms", false, null)]));
        var unknown = Judge(Open()) with { Verdict = Verdict.Failed, Reasons = [new(ReasonCode.VerifierNotJudged, "verifier 'set' failed: the final read timed out")] };
        var interrupted = Judge(Open()) with { Verdict = Verdict.Interrupted, Reasons = [new(ReasonCode.Interrupted, "interrupted")] };

        Assert.Equal(ExitCodes.Invalid, ExitCodes.Of(Run(invalid)));
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(Run(invalid, failed)));
        Assert.Equal(ExitCodes.Invalid, ExitCodes.Of(Run(invalid, unknown)));
        Assert.Equal(ExitCodes.VerdictUnknown, ExitCodes.Of(Run(unknown)));
        Assert.Equal(ExitCodes.Interrupted, ExitCodes.Of(Run(invalid, failed, interrupted)));
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(Run(invalid) with { Baseline = new BaselineVerdict { Path = "before.json", Regressed = true } }));
        Assert.Equal(6, ExitCodes.Invalid);
    }
}

/// <summary>The INVALID verdict from a real run of the engine whose open model cannot deliver its arrivals.</summary>
public sealed class InvalidRunTests
{
    /// <summary>
    /// 200 arrivals a second for 4 s into 2 slots, each operation holding its slot 100 ms of simulated time: at most 20 a
    /// second start. Four seconds, not two: validity leaves out the first second of a cold run and needs a whole second
    /// after it, and the simulated clock's steps may leave a two-second run with only one whole second.
    /// </summary>
    private static Scenario Starved(SimulatedClock clock) =>
        Scenario.Create("starved", async _ => await Task.Delay(TimeSpan.FromMilliseconds(100), clock))
            .WithLoad(Gauntlet.Scenarios.LoadProfiles.LoadProfile.Open(200, maxInFlight: 2, duration: TimeSpan.FromSeconds(4)));

    [Fact]
    public async Task An_open_model_that_drops_most_of_its_arrivals_is_invalid_not_passed()
    {
        var clock = new SimulatedClock();

        var result = await RunHelpers.RunSimulated(clock, Starved(clock));

        Assert.Equal(Verdict.Invalid, result.Verdict);
        // The simulated clock moves in the collector's steps, so arrivals may also be late; the drops are the reason asserted.
        Assert.All(result.Reasons, r => Assert.Equal(ReasonCode.GeneratorLimited, r.Code));
        var reason = Assert.Single(result.Reasons, r => r.Message.Contains("were dropped", StringComparison.Ordinal));
        Assert.True(result.Counts.Dropped > 300, $"dropped {result.Counts.Dropped} of {result.Arrivals!.Scheduled}");
        Assert.Contains($"({result.Counts.Dropped} of {result.Arrivals!.Scheduled} scheduled in all)", reason.Message, StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.Code == WarningCode.ArrivalsDropped);
    }

    [Fact]
    public async Task The_same_run_accepted_by_the_scenario_passes_with_the_reason_as_a_warning()
    {
        var clock = new SimulatedClock();

        var result = await RunHelpers.RunSimulated(clock, Starved(clock).WithValidity(new ValidityOptions { Accept = true }));

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Empty(result.Reasons);
        Assert.Contains(result.Warnings, w => w.Code == WarningCode.InvalidAccepted && w.Message.Contains("scheduled in all", StringComparison.Ordinal));
        Assert.Equal(new ValidityConfig { Dropped = ValidityOptions.DefaultDropped, LateP99Micros = 10_000, Accept = true }, result.Config.Validity);
    }
}
