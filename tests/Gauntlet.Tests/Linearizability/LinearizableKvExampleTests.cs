using Gauntlet.Results;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Linearizability;

/// <summary>
/// examples/linearizable-kv end to end from its own scenario file: eight agent processes reading, writing and
/// compare-and-setting two keys while agents are paused, the history's functions and values read from what each agent
/// printed, and the linearizable verifier with the key-value model. The stale cache fails with its failing window;
/// the fresh store passes.
/// </summary>
public sealed class LinearizableKvExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-linearizable-kv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<ScenarioResult> RunExample(string mode) =>
        ExampleRuns.RunAsync("linearizable-kv", "scenario.yaml", new() { ["mode"] = mode, ["dir"] = Path.Combine(_folder, $"store-{mode}") }, Path.Combine(_folder, mode));

    [Fact]
    public async Task Stale_cache_fails_with_a_failing_window_around_a_stale_read()
    {
        var result = await RunExample("stale");

        var verification = Assert.Single(result.Verifications!);
        Assert.Equal("linearizable", verification.Kind);
        Assert.False(verification.Passed, verification.Summary);
        Assert.Null(verification.Error);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal(1, verification.Count("violations"));
        var counterexample = verification.Counterexample!;
        Assert.Equal("kv", counterexample.Model);
        Assert.NotNull(counterexample.Key);
        // The operation no order explains is a read (the stale cache serves reads only), in a window far smaller than the history.
        var stuck = Assert.Single(counterexample.Operations, o => o.Id == counterexample.StuckOperation);
        Assert.Equal("read", stuck.Function);
        Assert.Null(stuck.Position);
        Assert.InRange(counterexample.Operations.Count, 2, 40);
        Assert.True(counterexample.PrefixLength < counterexample.KeyOperations);
        Assert.Contains(result.AgentFaults!.Delivered, d => d.Action == "pause" && d.Count > 0);
        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "stale", "report.html"));
        Assert.Contains("class=\"linearizability\"", html);
    }

    [Fact]
    public async Task Fresh_store_passes()
    {
        var result = await RunExample("fresh");

        var verification = Assert.Single(result.Verifications!);
        Assert.True(verification.Passed, verification.Summary);
        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(0, verification.Count("violations"));
        // Every operation's function came from its output: reads, writes and compare-and-sets, none left as "op".
        var functions = Gauntlet.Verification.HistoryReader.Read(Path.Combine(_folder, "fresh", HistoryInfo.FileName))
            .Where(e => !e.IsFault).Select(e => e.Function).ToHashSet();
        Assert.Equal(["cas", "read", "write"], functions.Order());
    }
}
