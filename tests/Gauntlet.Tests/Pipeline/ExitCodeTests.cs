using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Tests.Engine;
using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Pipeline;

/// <summary>The exit code comes from the result's codes (error classes, reason codes), never from the wording of a kind or a reason.</summary>
public sealed class ExitCodeTests
{
    private static Task<RunResult> RunAsync(Outcome outcome) =>
        new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment })
            .RunAsync(new Scenario("target", _ => ValueTask.FromResult(outcome)).WithLoad(LoadProfile.IterationsPerWorker(1, 5)));

    [Fact]
    public async Task Every_operation_unreachable_exits_3()
    {
        var result = await RunAsync(Outcome.Unreachable("refused", "connection refused"));

        var error = Assert.Single(Assert.Single(result.Scenarios).Errors);
        Assert.Equal(ErrorClass.Unreachable, error.Class);
        Assert.Equal(ExitCodes.TargetUnreachable, ExitCodes.Of(result));
    }

    [Fact]
    public async Task Every_operation_not_started_exits_3()
    {
        var result = await RunAsync(Outcome.NotStarted("spawn_ENOENT", "no such file"));

        Assert.Equal(ErrorClass.NotStarted, Assert.Single(Assert.Single(result.Scenarios).Errors).Class);
        Assert.Equal(ExitCodes.TargetUnreachable, ExitCodes.Of(result));
    }

    [Theory]
    [InlineData("refused")]
    [InlineData("spawn_ENOENT")]
    [InlineData("connect_timeout")]
    public async Task A_failure_that_only_sounds_unreachable_reached_its_target_and_exits_1(string kind)
    {
        // Before codes, a kind spelled like an unreachable one gave exit code 3; the class says what happened now.
        var result = await RunAsync(Outcome.Failed(kind, "the target answered, with an error"));

        Assert.Equal(ErrorClass.Reached, Assert.Single(Assert.Single(result.Scenarios).Errors).Class);
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
    }

    [Fact]
    public async Task Some_operations_reaching_the_target_make_a_failure_not_an_unreachable_target()
    {
        var calls = 0;
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment })
            .RunAsync(new Scenario("mixed", _ => ValueTask.FromResult(Interlocked.Increment(ref calls) % 2 == 0
                    ? Outcome.Unreachable("refused")
                    : Outcome.Failed("status_500")))
                .WithLoad(LoadProfile.IterationsPerWorker(1, 4)));

        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
    }

    [Fact]
    public void Every_reason_code_has_an_exit_code_and_only_an_interruption_an_unknown_verdict_and_an_invalid_run_are_not_1()
    {
        foreach (var code in Enum.GetValues<ReasonCode>())
            Assert.Equal(code switch
            {
                ReasonCode.Interrupted => ExitCodes.Interrupted,
                ReasonCode.VerifierNotJudged => ExitCodes.VerdictUnknown,
                ReasonCode.GeneratorLimited => ExitCodes.Invalid,
                _ => ExitCodes.Failed,
            }, ExitCodes.For(code));
        Assert.Equal(ExitCodes.Failed, ExitCodes.For(ErrorClass.Reached));
        Assert.Equal(ExitCodes.TargetUnreachable, ExitCodes.For(ErrorClass.Unreachable));
        Assert.Equal(ExitCodes.TargetUnreachable, ExitCodes.For(ErrorClass.NotStarted));
    }

    [Fact]
    public async Task A_missed_threshold_is_a_reason_with_its_code()
    {
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment })
            .RunAsync(new Scenario("slow", _ => ValueTask.FromResult(Outcome.Ok))
                .WithLoad(LoadProfile.IterationsPerWorker(1, 5))
                .WithThresholds("count(ok) == 6", "lost == 0"));

        var reasons = Assert.Single(result.Scenarios).Reasons;
        Assert.Equal([ReasonCode.ThresholdMissed, ReasonCode.ThresholdNotJudged], reasons.Select(r => r.Code));
        Assert.StartsWith("threshold 'count(ok) == 6' failed: actual 5", reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
    }

    private static Scenario Written(params Threshold[] thresholds) =>
        new Scenario("written", context =>
            {
                context.Function = HistoryFunction.Write;
                context.Value = $"w{context.Iteration}";
                return ValueTask.FromResult(Outcome.Ok);
            })
            .WithLoad(LoadProfile.IterationsPerWorker(1, 3))
            .WithThresholds(thresholds)
            .WithVerifiers(Verifier.Set(_ => throw new IOException("the store is gone")));

    [Fact]
    public async Task A_verifier_that_could_not_judge_leaves_the_verdict_unknown_and_exits_5()
    {
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(Written());

        Assert.Equal([ReasonCode.VerifierNotJudged], Assert.Single(result.Scenarios).Reasons.Select(r => r.Code));
        Assert.Equal(ExitCodes.VerdictUnknown, ExitCodes.Of(result));
    }

    [Fact]
    public async Task A_proven_failure_beside_an_unknown_verdict_exits_1()
    {
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment }).RunAsync(Written("count(ok) == 4"));

        Assert.Equal([ReasonCode.ThresholdMissed, ReasonCode.VerifierNotJudged], Assert.Single(result.Scenarios).Reasons.Select(r => r.Code));
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
    }
}
