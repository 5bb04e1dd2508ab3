using Gauntlet.Results;
using Gauntlet.Verification;
using Gauntlet.Scenarios;

namespace Gauntlet.Tests.Verification;

/// <summary>Each verifier on hand-built histories: every category it reports, counted and exemplified.</summary>
public sealed class VerifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-verify-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static HistoryEntry Op(long id, int worker, string function, string? value, HistoryOutcome outcome) =>
        new(id, worker, function, value, id * 10, id * 10 + 5, outcome, outcome == HistoryOutcome.Ok ? null : "error");

    private async Task<VerificationResult> Verify(Verifier verifier, params HistoryEntry[] history)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.jsonl");
        using (var log = HistoryLog.Open(path, "s", append: false))
        {
            foreach (var entry in history) log.Add(entry);
            log.Complete();
        }
        return Assert.Single(await VerifierRunner.RunAsync([verifier], path, "s"));
    }

    private static Func<CancellationToken, Task<IEnumerable<string>>> Present(params string[] values) =>
        _ => Task.FromResult<IEnumerable<string>>(values);

    private static long Count(VerificationResult result, string name) => result.Count(name) ?? throw new Xunit.Sdk.XunitException($"no count '{name}'");

    private static IReadOnlyList<string> ExamplesOf(VerificationResult result, string category) =>
        result.Examples.SingleOrDefault(e => e.Category == category)?.Values ?? [];

    [Fact]
    public async Task Set_passes_when_every_acknowledged_write_is_present_once()
    {
        var result = await Verify(Verifier.Set(Present("a", "b", "c")),
            Op(1, 0, "write", "a", HistoryOutcome.Ok), Op(2, 1, "write", "b", HistoryOutcome.Ok), Op(3, 0, "write", "c", HistoryOutcome.Ok));
        Assert.True(result.Passed, result.Summary);
        Assert.Equal(3, Count(result, "ok"));
        Assert.Equal(0, Count(result, "lost"));
        Assert.Equal("set", result.Kind);
    }

    [Fact]
    public async Task Set_reports_lost_duplicated_unexpected_and_recovered_with_examples()
    {
        var result = await Verify(Verifier.Set(Present("a", "c", "c", "x", "f", "i")),
            Op(1, 0, "write", "a", HistoryOutcome.Ok),
            Op(2, 1, "write", "b", HistoryOutcome.Ok),              // acknowledged, missing: lost
            Op(3, 2, "write", "c", HistoryOutcome.Ok),              // present twice: duplicated
            Op(4, 0, "write", "f", HistoryOutcome.Failed),          // failed but present: recovered
            Op(5, 1, "write", "i", HistoryOutcome.Indeterminate),   // indeterminate, present: recovered
            Op(6, 2, "write", "j", HistoryOutcome.Indeterminate),   // indeterminate, absent: fine
            Op(7, 0, "read", "zzz", HistoryOutcome.Ok));            // another function: ignored
        Assert.False(result.Passed);
        Assert.Equal(1, Count(result, "lost"));
        Assert.Equal(["b"], ExamplesOf(result, "lost"));
        Assert.Equal(1, Count(result, "duplicated"));
        Assert.Equal(["c (×2)"], ExamplesOf(result, "duplicated"));
        Assert.Equal(1, Count(result, "unexpected"));
        Assert.Equal(["x"], ExamplesOf(result, "unexpected"));
        Assert.Equal(2, Count(result, "recovered"));
        Assert.Equal(3, Count(result, "acknowledged"));
        Assert.Equal(2, Count(result, "ok"));
        Assert.Contains("1 lost", result.Summary);
    }

    [Fact]
    public async Task Set_keeps_at_most_twenty_examples_but_counts_all()
    {
        var history = Enumerable.Range(1, 50).Select(i => Op(i, 0, "write", $"v{i}", HistoryOutcome.Ok)).ToArray();
        var result = await Verify(Verifier.Set(Present()), history);
        Assert.Equal(50, Count(result, "lost"));
        Assert.Equal(VerificationResult.MaxExamples, ExamplesOf(result, "lost").Count);
    }

    [Fact]
    public async Task A_value_written_again_counts_by_its_best_known_fate()
    {
        // Failed first, acknowledged on retry: it must be present.
        var result = await Verify(Verifier.Set(Present()),
            Op(1, 0, "write", "a", HistoryOutcome.Failed), Op(2, 0, "write", "a", HistoryOutcome.Ok));
        Assert.Equal(1, Count(result, "lost"));
    }

    [Theory]
    [InlineData(10, true, 0, 0)]    // exactly the acknowledged increments
    [InlineData(12, true, 0, 0)]    // plus both indeterminate ones
    [InlineData(11, true, 0, 0)]    // plus one of them
    [InlineData(8, false, 2, 0)]    // two acknowledged increments lost
    [InlineData(13, false, 0, 1)]   // more than could have happened
    public async Task Counter_must_lie_between_acknowledged_and_possible_increments(long final, bool passed, long lost, long unexpected)
    {
        var history = Enumerable.Range(1, 10).Select(i => Op(i, i % 3, "add", null, HistoryOutcome.Ok))
            .Append(Op(11, 0, "add", "1", HistoryOutcome.Indeterminate))
            .Append(Op(12, 1, "add", "1", HistoryOutcome.Indeterminate))
            .Append(Op(13, 2, "add", "5", HistoryOutcome.Failed))
            .ToArray();
        var result = await Verify(Verifier.Counter(_ => Task.FromResult(final)), history);
        Assert.Equal(passed, result.Passed);
        Assert.Equal(lost, Count(result, "lost"));
        Assert.Equal(unexpected, Count(result, "unexpected"));
        Assert.Equal(2, Count(result, "indeterminate"));
    }

    [Fact]
    public async Task Counter_rejects_an_increment_that_is_not_an_integer()
    {
        var result = await Verify(Verifier.Counter(_ => Task.FromResult(1L)), Op(1, 0, "add", "1", HistoryOutcome.Ok), Op(2, 0, "add", "lots", HistoryOutcome.Ok));
        Assert.False(result.Passed);
        Assert.Contains("lots", Assert.Single(result.Examples).Values[0]);
    }

    [Fact]
    public async Task Unique_ids_finds_an_id_handed_out_twice()
    {
        var result = await Verify(Verifier.UniqueIds(),
            Op(1, 0, "read", "7", HistoryOutcome.Ok), Op(2, 1, "read", "8", HistoryOutcome.Ok),
            Op(3, 2, "read", "7", HistoryOutcome.Ok), Op(4, 2, "read", "9", HistoryOutcome.Failed), Op(5, 0, "read", "9", HistoryOutcome.Ok));
        Assert.False(result.Passed);
        Assert.Equal(1, Count(result, "duplicated"));
        Assert.Equal(["7 (operations 1 and 3)"], ExamplesOf(result, "duplicated"));
        Assert.Equal(4, Count(result, "ids"));
    }

    [Fact]
    public async Task Queue_passes_when_each_item_is_taken_once_in_producer_order()
    {
        var result = await Verify(Verifier.Queue(),
            Op(1, 0, "enqueue", "p0-1", HistoryOutcome.Ok), Op(2, 1, "enqueue", "p1-1", HistoryOutcome.Ok),
            Op(3, 0, "enqueue", "p0-2", HistoryOutcome.Ok),
            Op(4, 2, "dequeue", "p0-1", HistoryOutcome.Ok), Op(5, 3, "dequeue", "p1-1", HistoryOutcome.Ok),
            Op(6, 2, "dequeue", "p0-2", HistoryOutcome.Ok));
        Assert.True(result.Passed, result.Summary);
        Assert.Equal(0, Count(result, "reordered"));
    }

    [Fact]
    public async Task Queue_reports_lost_duplicated_unexpected_reordered_and_recovered()
    {
        var result = await Verify(Verifier.Queue(),
            Op(1, 0, "enqueue", "a1", HistoryOutcome.Ok),
            Op(2, 0, "enqueue", "a2", HistoryOutcome.Ok),
            Op(3, 0, "enqueue", "a3", HistoryOutcome.Ok),                // never taken: lost
            Op(4, 1, "enqueue", "b1", HistoryOutcome.Indeterminate),     // taken: recovered
            Op(5, 2, "dequeue", "a2", HistoryOutcome.Ok),
            Op(6, 2, "dequeue", "a1", HistoryOutcome.Ok),                // after a2 by the same consumer: reordered
            Op(7, 3, "dequeue", "a2", HistoryOutcome.Ok),                // a2 again: duplicated
            Op(8, 3, "dequeue", "zz", HistoryOutcome.Ok),                // never enqueued: unexpected
            Op(9, 3, "dequeue", "b1", HistoryOutcome.Ok));
        Assert.False(result.Passed);
        Assert.Equal(1, Count(result, "lost"));
        Assert.Equal(["a3"], ExamplesOf(result, "lost"));
        Assert.Equal(1, Count(result, "duplicated"));
        Assert.Equal(1, Count(result, "unexpected"));
        Assert.Equal(1, Count(result, "reordered"));
        Assert.StartsWith("a1", ExamplesOf(result, "reordered")[0]);
        Assert.Equal(1, Count(result, "recovered"));
    }

    [Fact]
    public async Task Queue_not_drained_does_not_count_what_is_still_queued_as_lost()
    {
        var result = await Verify(Verifier.Queue(drained: false),
            Op(1, 0, "enqueue", "a1", HistoryOutcome.Ok), Op(2, 0, "enqueue", "a2", HistoryOutcome.Ok), Op(3, 1, "dequeue", "a1", HistoryOutcome.Ok));
        Assert.True(result.Passed, result.Summary);
        Assert.Contains("1 still queued", result.Summary);
    }

    [Fact]
    public async Task Queue_counts_a_value_taken_three_times_as_one_duplicate_not_also_as_reordered()
    {
        var result = await Verify(Verifier.Queue(),
            Op(1, 0, "enqueue", "a1", HistoryOutcome.Ok), Op(2, 0, "enqueue", "a2", HistoryOutcome.Ok),
            Op(3, 1, "dequeue", "a1", HistoryOutcome.Ok), Op(4, 1, "dequeue", "a2", HistoryOutcome.Ok),
            Op(5, 1, "dequeue", "a1", HistoryOutcome.Ok), Op(6, 1, "dequeue", "a1", HistoryOutcome.Ok));
        Assert.False(result.Passed);
        Assert.Equal(1, Count(result, "duplicated"));
        Assert.Equal(["a1 (×3)"], ExamplesOf(result, "duplicated"));
        Assert.Equal(0, Count(result, "reordered"));
        Assert.Equal(4, Count(result, "dequeued"));
        Assert.Equal(0, Count(result, "dropped"));
    }

    [Fact]
    public async Task Queue_value_enqueued_again_after_an_indeterminate_try_counts_once()
    {
        var result = await Verify(Verifier.Queue(),
            Op(1, 0, "enqueue", "x", HistoryOutcome.Indeterminate), Op(2, 0, "enqueue", "x", HistoryOutcome.Ok),
            Op(3, 0, "enqueue", "y", HistoryOutcome.Ok),
            Op(4, 1, "dequeue", "x", HistoryOutcome.Ok), Op(5, 1, "dequeue", "y", HistoryOutcome.Ok));
        Assert.True(result.Passed, result.Summary);
        Assert.Equal(2, Count(result, "acknowledged"));
        Assert.Equal(0, Count(result, "lost"));
        Assert.Equal(0, Count(result, "recovered"));
    }

    [Fact]
    public async Task A_dequeue_completing_before_its_enqueue_is_still_checked()
    {
        // Completion order: the consumer's dequeue completed before the producer's enqueue did.
        var result = await Verify(Verifier.Queue(),
            Op(1, 1, "dequeue", "a1", HistoryOutcome.Ok), Op(2, 0, "enqueue", "a1", HistoryOutcome.Ok));
        Assert.True(result.Passed, result.Summary);
        Assert.Equal(0, Count(result, "unexpected"));
    }

    [Fact]
    public async Task A_failing_final_read_fails_the_verifier_and_says_why()
    {
        var result = await Verify(Verifier.Set(_ => throw new IOException("store unreadable")), Op(1, 0, "write", "a", HistoryOutcome.Ok));
        Assert.False(result.Passed);
        Assert.Contains("store unreadable", result.Error);
    }

    [Fact]
    public async Task A_final_read_that_never_returns_is_bounded_by_its_timeout()
    {
        var never = Verifier.Set(async token =>
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return [];
        }).WithFinalReadTimeout(TimeSpan.FromMilliseconds(200));
        var result = await Verify(never, Op(1, 0, "write", "a", HistoryOutcome.Ok));
        Assert.False(result.Passed);
        Assert.Contains("did not finish within 200ms", result.Error);
    }
}
