using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Tests.ScenarioFiles;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Verification;

/// <summary>
/// examples/sqlite-writers end to end against Debian's sqlite3 (installed by .ci/run): concurrent inserts that the
/// database refuses with "database is locked" are failures, never lost writes, and the ones it acknowledged are there.
/// </summary>
public sealed class SqliteWritersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-sqlite-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<ScenarioResult> RunExample(string busy)
    {
        Assert.True(File.Exists("/usr/bin/sqlite3"), "sqlite3 is not installed: apt-get install sqlite3 (.ci/run installs it)");
        var path = Path.Combine(RepositoryPaths.Examples, "sqlite-writers", "scenario.yaml");
        var loaded = ScenarioFile.Load(path, new Dictionary<string, string> { ["busy"] = busy, ["db"] = Path.Combine(_folder, $"busy{busy}.db") });
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var runner = new Runner(new RunOptions { Environment = TestEnvironment });
        var result = Assert.Single((await runner.RunAsync(Assert.Single(loaded.Scenarios))).Scenarios);
        Assert.True(result.Counts.Balanced);
        return result;
    }

    [Fact]
    public async Task Locked_database_refusals_are_failures_not_lost_writes()
    {
        var result = await RunExample("0");

        Assert.True(result.Verdict == Verdict.Passed, string.Join("; ", result.Reasons));
        Assert.Equal(80, result.Counts.Started);
        // Eight agents released together against one write lock with no busy wait: some must be turned away.
        Assert.True(result.Counts.Failed > 0, "no insert was refused; the lock was never contended");
        var locked = result.Errors.Single(e => e.Kind == "exit_5");
        Assert.Contains("database is locked", locked.SampleMessage);
        var table = Assert.Single(result.Verifications!);
        Assert.Equal(0, table.Count("lost"));
        Assert.Equal(result.Counts.Ok, table.Count("ok"));
        Assert.Equal(0, table.Count("unexpected"));
        Assert.Equal(8, result.Agents!.Started);
    }

    [Fact]
    public async Task With_a_busy_timeout_every_insert_waits_for_the_lock_and_lands()
    {
        // The example says 5000 (ms); a test machine under load can hold the lock longer, so the test waits up to 20 s.
        var result = await RunExample("20000");

        Assert.True(result.Verdict == Verdict.Passed, string.Join("; ", result.Reasons));
        Assert.Equal(80, result.Counts.Ok);
        Assert.Equal(80, Assert.Single(result.Verifications!).Count("ok"));
        Assert.All(result.Agents!.Rows!, row => Assert.Equal(10, row.Ok));
    }
}
