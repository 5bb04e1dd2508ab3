using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Verification;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Verification;

/// <summary>The history file, and the engine recording one entry per started operation with an honest outcome.</summary>
public sealed class HistoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-history-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Runner Runner() => new(new RunOptions { Environment = TestEnvironment, ResultsDirectory = _folder });

    private string HistoryPath => Path.Combine(_folder, Gauntlet.Results.HistoryInfo.FileName);

    [Fact]
    public void Entries_round_trip_with_awkward_values_and_scenarios_are_kept_apart()
    {
        var path = Path.Combine(_folder, "h.jsonl");
        var tricky = "quote \" backslash \\ newline \n tab \t unicode é 日本";
        long secondStart;
        using (var first = HistoryLog.Open(path, "one", append: false))
        {
            first.Add(new HistoryEntry(1, 0, "write", tricky, 10, 20, HistoryOutcome.Ok, null));
            first.Add(new HistoryEntry(2, 1, "write", null, 11, 21, HistoryOutcome.Indeterminate, "timeout"));
            first.Complete();
        }
        using (var second = HistoryLog.Open(path, "two", append: true))
        {
            secondStart = second.StartOffset;
            second.Add(new HistoryEntry(1, 0, "read", "x", 1, 2, HistoryOutcome.Failed, "refused"));
            second.Complete();
        }

        var one = HistoryReader.Read(path, "one").ToList();
        Assert.Equal(2, one.Count);
        Assert.Equal(tricky, one[0].Value);
        Assert.Equal(new HistoryEntry(2, 1, "write", null, 11, 21, HistoryOutcome.Indeterminate, "timeout"), one[1]);
        var two = Assert.Single(HistoryReader.Read(path, "two", secondStart));
        Assert.Equal(HistoryOutcome.Failed, two.Outcome);
        Assert.Equal(3, HistoryReader.Read(path).Count());
        Assert.Equal(3, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_corrupt_line_is_reported_with_file_and_line()
    {
        var path = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllText(path, "{\"scenario\":\"s\",\"id\":1,\"f\":\"write\",\"outcome\":\"ok\"}\n{\"scenario\":\"s\",\"id\":\"two\"}\n");
        var error = Assert.Throws<InvalidDataException>(() => HistoryReader.Read(path, "s").ToList());
        Assert.StartsWith($"{path}:2:", error.Message);
    }

    [Fact]
    public void A_line_longer_than_the_read_buffer_is_read_whole()
    {
        var path = Path.Combine(_folder, "long.jsonl");
        var big = new string('v', 200_000);
        using (var log = HistoryLog.Open(path, "s", append: false))
        {
            log.Add(new HistoryEntry(1, 0, "write", big, 0, 1, HistoryOutcome.Ok, null));
            log.Add(new HistoryEntry(2, 0, "write", "small", 0, 1, HistoryOutcome.Ok, null));
            log.Complete();
        }
        var entries = HistoryReader.Read(path, "s").ToList();
        Assert.Equal([big, "small"], entries.Select(e => e.Value));
    }

    [Fact]
    public async Task A_racy_store_loses_acknowledged_writes_and_the_set_verifier_says_which()
    {
        // Read, yield, write back: the lost-update race of the storage CLI report, in process.
        var store = new RacyStore(safe: false);
        var scenario = Scenario.Create("racy", async ctx =>
            {
                ctx.Function = HistoryFunction.Write;
                ctx.Value = $"w{ctx.WorkerId}-{ctx.Iteration}";
                await store.AddAsync(ctx.Value);
                return Outcome.Ok;
            })
            .WithLoad(LoadProfile.IterationsPerWorker(10, 30).WithBarrier())
            .WithVerifiers(Verifier.Set(_ => Task.FromResult(store.Values())))
            .WithThresholds("lost == 0");
        var result = Assert.Single((await Runner().RunAsync(scenario)).Scenarios);

        var set = Assert.Single(result.Verifications!);
        var lost = set.Count("lost")!.Value;
        Assert.True(lost > 0, set.Summary);
        Assert.Equal(300 - store.Values().Count(), lost);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Message.StartsWith("verifier 'set' failed", StringComparison.Ordinal));
        Assert.Equal($"{lost}", Assert.Single(result.Thresholds).ActualText);
        Assert.Equal(300, result.History!.Entries);
        Assert.Equal(300, File.ReadLines(HistoryPath).Count());
    }

    [Fact]
    public async Task A_locked_store_passes_the_same_scenario()
    {
        var store = new RacyStore(safe: true);
        var scenario = Scenario.Create("safe", async ctx =>
            {
                ctx.Function = HistoryFunction.Write;
                ctx.Value = $"w{ctx.WorkerId}-{ctx.Iteration}";
                await store.AddAsync(ctx.Value);
                return Outcome.Ok;
            })
            .WithLoad(LoadProfile.IterationsPerWorker(10, 30).WithBarrier())
            .WithVerifiers(Verifier.Set(_ => Task.FromResult(store.Values())))
            .WithThresholds("lost == 0", "duplicated == 0");
        var result = Assert.Single((await Runner().RunAsync(scenario)).Scenarios);

        Assert.True(result.Verdict == Verdict.Passed, string.Join("; ", result.Reasons));
        Assert.Equal(300, Assert.Single(result.Verifications!).Count("ok"));
    }

    [Fact]
    public async Task Timed_out_and_cut_off_operations_are_indeterminate_never_ok_or_failed()
    {
        var scenario = Scenario.Create("slow", async ctx =>
            {
                ctx.Function = HistoryFunction.Write;
                ctx.Value = $"v{ctx.OperationId}";
                // Operation 1 times out; operation 2 ignores cancellation and is cut off at the end; the rest are quick.
                if (ctx.OperationId == 1) await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                if (ctx.OperationId == 2) await Task.Delay(Timeout.Infinite, CancellationToken.None);
                return Outcome.Ok;
            })
            .WithLoad(LoadProfile.Closed(2))
            .WithMaxIterations(6)
            .WithTimeout(Ms(100))
            .WithGracePeriod(Ms(300))
            .WithHistory();
        var result = Assert.Single((await Runner().RunAsync(scenario)).Scenarios);

        var history = HistoryReader.Read(HistoryPath, "slow").ToDictionary(e => e.Id);
        Assert.Equal(result.Counts.Started, history.Count);
        Assert.Equal(HistoryOutcome.Indeterminate, history[1].Outcome);
        Assert.Equal(Outcome.TimedOutKind, history[1].Error);
        Assert.Equal(HistoryOutcome.Indeterminate, history[2].Outcome);
        Assert.Equal("cut_off", history[2].Error);
        Assert.Equal("v2", history[2].Value);
        Assert.Equal(1, result.Counts.CutOff);
        Assert.All(history.Values.Where(e => e.Id > 2), e => Assert.Equal(HistoryOutcome.Ok, e.Outcome));
        Assert.All(history.Values, e => Assert.True(e.CompleteMicros >= e.InvokeMicros));
    }

    [Fact]
    public async Task Without_a_results_folder_the_history_is_a_temporary_file_removed_after_verification()
    {
        var scenario = Scenario.CreateSync("temp", ctx =>
            {
                ctx.Function = HistoryFunction.Add;
            })
            .WithLoad(LoadProfile.IterationsPerWorker(2, 5))
            .WithVerifiers(Verifier.Counter(_ => Task.FromResult(10L)));
        var result = await RunOne(scenario);

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Null(result.History!.File);
        Assert.Equal(10, result.History.Entries);
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"gauntlet-history-{Environment.ProcessId}-*"));
    }

    [Fact]
    public void Two_verifiers_with_one_name_are_a_validation_problem()
    {
        var scenario = Scenario.CreateSync("dup", _ => { }).WithMaxIterations(1)
            .WithVerifiers(Verifier.UniqueIds(), Verifier.UniqueIds());
        var problem = Assert.Single(scenario.Validate());
        Assert.Equal("verifiers[1]", problem.Path);
    }

    /// <summary>A store whose add is read, yield, write back: without the lock, concurrent adds overwrite each other.</summary>
    private sealed class RacyStore(bool safe)
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private string[] _values = [];

        public IEnumerable<string> Values() => Volatile.Read(ref _values);

        public async Task AddAsync(string value)
        {
            if (safe) await _lock.WaitAsync();
            try
            {
                var read = Volatile.Read(ref _values);
                // A timer, not Task.Yield: a yielded continuation may run before any other worker reads, and then no
                // update is lost (seen once in CI). A millisecond between read and write makes the barrier's ten
                // workers overlap however the pool schedules them.
                await Task.Delay(1);
                Volatile.Write(ref _values, [.. read, value]);
            }
            finally
            {
                if (safe) _lock.Release();
            }
        }
    }
}
