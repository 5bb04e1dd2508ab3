using System.Globalization;
using Gauntlet.Merging;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Tests.Merge;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Linearizability;

/// <summary>
/// The <c>linearizable</c> verifier in a run of a C# scenario that records its values directly, and in
/// <c>gauntlet merge</c>, over the union of the segments' histories.
/// </summary>
public sealed class LinearizableVerifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-linearizable-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// A register behind a lock; with <paramref name="stale"/>, each worker caches the first value it wrote and serves
    /// its reads from that cache, never refreshed: its read after its own second write returns the first.
    /// </summary>
    private static Scenario Register(bool stale)
    {
        var gate = new Lock();
        var value = 0L;
        var cache = new long?[4];
        return Scenario.Create("register", ctx =>
            {
                var worker = ctx.WorkerId;
                if (ctx.Iteration % 2 == 0)
                {
                    ctx.Function = HistoryFunction.Write;
                    ctx.Value = ctx.OperationId.ToString(CultureInfo.InvariantCulture);
                    lock (gate) value = ctx.OperationId;
                    cache[worker] ??= ctx.OperationId;
                }
                else
                {
                    ctx.Function = HistoryFunction.Read;
                    long seen;
                    if (stale && cache[worker] is { } cached) seen = cached;
                    else lock (gate) seen = value;
                    ctx.Value = seen == 0 ? null : seen.ToString(CultureInfo.InvariantCulture);
                }
                return ValueTask.FromResult(Outcome.Ok);
            })
            .WithLoad(LoadProfile.IterationsPerWorker(4, 50))
            .WithVerifiers(Verifier.Linearizable(LinearizableModel.Register));
    }

    [Fact]
    public async Task Register_recording_values_from_csharp_passes_when_correct()
    {
        var result = await RunOne(Register(stale: false));
        var verification = Assert.Single(result.Verifications!);
        Assert.True(verification.Passed, verification.Summary);
        Assert.Equal(200, verification.Count("operations"));
        Assert.Equal(Verdict.Passed, result.Verdict);
    }

    [Fact]
    public async Task Register_serving_reads_from_a_stale_cache_fails()
    {
        // A worker's fourth operation reads after its own second write completed, and returns its first write: no
        // order explains it, whatever the other workers did (every value written is unique).
        var result = await RunOne(Register(stale: true));
        var verification = Assert.Single(result.Verifications!);
        Assert.False(verification.Passed, verification.Summary);
        Assert.Equal(1, verification.Count("violations"));
        Assert.Equal("read", verification.Counterexample!.Operations.Single(o => o.Id == verification.Counterexample.StuckOperation).Function);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Code == ReasonCode.VerifierFailed);
    }

    [Fact]
    public async Task Merge_checks_the_union_of_the_segments_histories()
    {
        // Alone, each segment is linearizable: segment 0 writes 1, segment 1 reads nil. Together, on the merged clock,
        // the read comes a second after the write completed: a stale read.
        var history = new HistoryInfo { File = "history.jsonl", Entries = 1 };
        await SegmentSamples.WriteAsync(Path.Combine(_folder, "a"), SegmentSamples.Segment(0, 2, [new(0.2, 100)], history: history),
            [new HistoryEntry(1, 0, HistoryFunction.Write, "1", 100_000, 200_000, HistoryOutcome.Ok, null)]);
        await SegmentSamples.WriteAsync(Path.Combine(_folder, "b"), SegmentSamples.Segment(1, 2, [new(0.3, 100)], startOffsetSeconds: 1, history: history),
            [new HistoryEntry(2, 1, HistoryFunction.Read, null, 100_000, 200_000, HistoryOutcome.Ok, null)]);
        var scenario = new Scenario(SegmentSamples.ScenarioName, _ => ValueTask.FromResult(Outcome.Ok))
        {
            Verifiers = [Verifier.Linearizable(LinearizableModel.Register)],
        };

        var result = await SegmentMerge.MergeAsync([Path.Combine(_folder, "a"), Path.Combine(_folder, "b")],
            new MergeOptions { Scenarios = [scenario], ResultsDirectory = Path.Combine(_folder, "out") });

        var merged = Assert.Single(result.Scenarios);
        var verification = Assert.Single(merged.Verifications!);
        Assert.False(verification.Passed, verification.Summary);
        Assert.Equal(2, verification.Counterexample!.StuckOperation);
        Assert.Equal([1_100_000L, 1_200_000], verification.Counterexample.Operations.Where(o => o.Id == 2).Select(o => new[] { o.Invoke, o.Complete!.Value }).Single());
        Assert.Equal(Verdict.Failed, merged.Verdict);
    }
}
