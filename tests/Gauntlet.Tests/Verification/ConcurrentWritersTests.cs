using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Tests.ScenarioFiles;
using Gauntlet.Verification;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Verification;

/// <summary>
/// examples/concurrent-writers end to end from its own scenario file: agent processes writing to a file store, the
/// history, and the set verifier reading the store with a command. The racy mode loses writes; the locked mode does not.
/// </summary>
public sealed class ConcurrentWritersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-writers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<ScenarioResult> RunExample(string mode) =>
        RunExample("scenario.yaml", mode, ("workers: 10, perWorker: 100", "workers: 5, perWorker: 20"), new() { ["mode"] = mode });

    /// <summary>The example's own file, made smaller by <paramref name="smaller"/>, with a fresh store.</summary>
    private Task<ScenarioResult> RunExample(string file, string mode, (string From, string To) smaller, Dictionary<string, string> variables)
    {
        variables["store"] = Path.Combine(_folder, $"{mode}.txt");
        return ExampleRuns.RunAsync("concurrent-writers", file, variables, Path.Combine(_folder, mode), text =>
        {
            Assert.Contains(smaller.From, text);
            return text.Replace(smaller.From, smaller.To, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Unsafe_store_fails_with_the_lost_writes_named()
    {
        var result = await RunExample("unsafe");

        var store = Assert.Single(result.Verifications!);
        Assert.Equal("store", store.Name);
        Assert.True(store.Count("lost") > 0, store.Summary);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.NotEmpty(store.Examples.Single(e => e.Category == "lost").Values);
        Assert.Equal(100, result.History!.Entries);
        var history = HistoryReader.Read(Path.Combine(_folder, "unsafe", Gauntlet.Results.HistoryInfo.FileName)).ToList();
        Assert.Equal(100, history.Count);
        Assert.All(history, e => Assert.Equal(HistoryFunction.Write, e.Function));
        Assert.Contains(history, e => e.Value == "agent3-write7");
    }

    [Fact]
    public async Task Locked_store_passes_with_every_write_present()
    {
        var result = await RunExample("safe");

        Assert.True(result.Verdict == Verdict.Passed, string.Join("; ", result.Reasons));
        var store = Assert.Single(result.Verifications!);
        Assert.Equal(100, store.Count("ok"));
        Assert.Equal(0, store.Count("lost"));
    }

    [Fact]
    public async Task Chaos_kills_are_indeterminate_the_store_is_repaired_and_nothing_acknowledged_is_lost()
    {
        // Stale temp files from writers killed mid-write, which the recovery step must remove. The run lasts a fixed
        // 1.2 s rather than a number of writes: kills come every 300 ms of the run's clock, and a count of writes that a
        // quiet machine finishes in 250 ms would see none (seen on a busy full-suite run). Four kills are due in 1.2 s.
        var result = await RunExample("chaos.yaml", "chaos", ("iterations: { workers: 10, perWorker: 30, barrier: true }", "closed: { workers: 4 }\nduration: 1200ms"), []);

        Assert.True(result.Verdict == Verdict.Passed, string.Join("; ", result.Reasons));
        var kills = result.AgentFaults!.Events.Where(e => e.Action == "kill").ToList();
        Assert.NotEmpty(kills);
        var history = HistoryReader.Read(Path.Combine(_folder, "chaos", Gauntlet.Results.HistoryInfo.FileName)).ToList();
        foreach (var kill in kills)
            Assert.Equal(HistoryOutcome.Indeterminate, history.Single(e => e.Id == kill.OperationId).Outcome);
        Assert.Equal(result.AgentFaults.Events.Count, history.Count(e => e.IsFault));
        Assert.True(result.Recovery!.Ok, result.Recovery.Message);
        Assert.Contains("store.sh check", result.Recovery.Step);
        var store = Assert.Single(result.Verifications!);
        Assert.Equal(0, store.Count("lost"));
        Assert.Equal(result.Counts.Ok, store.Count("ok"));
        // mktemp's temp files (chaos.txt.XXXXXX) left by killed writers are gone; the lock file stays.
        Assert.DoesNotContain(Directory.GetFiles(_folder), f => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(f), @"^chaos\.txt\.[A-Za-z0-9]{6}$"));
        Assert.Equal(4, result.Agents!.Started);
    }

    [Fact]
    public async Task A_final_read_that_fails_fails_the_verifier_with_its_stderr()
    {
        var yaml = """
            name: broken-read
            operation: { synthetic: { latency: 0ms } }
            iterations: 3
            history: { function: write, value: "v{id}" }
            verify:
              - set: { read: { command: [sh, -c, "echo store is down >&2; exit 3"] } }
            """;
        var loaded = ScenarioFile.Parse(yaml, "broken-read.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var result = await RunOne(Assert.Single(loaded.Scenarios));

        var set = Assert.Single(result.Verifications!);
        Assert.False(set.Passed);
        Assert.Contains("store is down", set.Error);
        Assert.Contains("exit code 3", set.Error);
    }
}
