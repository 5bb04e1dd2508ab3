using Gauntlet.Results;
using Gauntlet.Tests.Cli;

namespace Gauntlet.Tests.Segments;

/// <summary>
/// A deterministic scenario run whole and as three local segments (<c>run --segments 3</c>: three processes, then
/// <c>gauntlet merge</c>) gives the same counts and the same verifier verdict: the merge is what one machine would
/// have written.
/// </summary>
public sealed class SplitRunTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-split-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(CliProcess.Run Run, RunResult Result)> Run(string file, string output, params string[] more)
    {
        var run = await CliProcess.RunAsync(["run", file, "--out", Path.Combine(_folder, output), .. more], Bound, null, _folder);
        var path = Path.Combine(_folder, output, "result.json");
        Assert.True(File.Exists(path), run.ToString());
        return (run, await ResultFile.ReadAsync(path));
    }

    [Fact]
    public async Task Iterations_against_the_builtin_echo_server_count_the_same_whole_and_as_three_segments()
    {
        var file = Path.Combine(_folder, "echo.yaml");
        await File.WriteAllTextAsync(file, """
            name: echo-split
            operation:
              tcp: { target: "builtin:echo", connect: worker, payload: 64B, expect: echo }
            load:
              iterations: { workers: 7, perWorker: 30 }
            thresholds: ["count(ok) == 210", "error_rate == 0%"]
            """);

        var (wholeRun, whole) = await Run(file, "whole");
        var (splitRun, split) = await Run(file, "split", "--segments", "3");

        Assert.True(wholeRun.ExitCode == 0, wholeRun.ToString());
        Assert.True(splitRun.ExitCode == 0, splitRun.ToString());
        var (one, merged) = (Assert.Single(whole.Scenarios), Assert.Single(split.Scenarios));
        Assert.Equal(one.Counts, merged.Counts);
        Assert.Equal(210, merged.Counts.Ok);
        Assert.All(merged.Thresholds, t => Assert.True(t.Passed, t.Expression));
        Assert.Equal(2, merged.Thresholds.Count);
        Assert.Equal([0, 1, 2], split.Segments!.Select(s => s.Index));
        Assert.Equal([90, 60, 60], split.Segments!.Select(s => s.Counts.Ok));
        Assert.Equal(one.Latency.Count, merged.Latency.Count);
    }

    [Fact]
    public async Task A_store_that_drops_one_agents_writes_fails_its_set_verifier_alike_whole_and_split_after_one_recovery()
    {
        // Agent 4 is acknowledged but never stored: 10 writes lost, whichever segment agent 4 runs in. Each segment
        // alone could not tell (the store is the whole run's); the merge reads it once against every history.
        var script = Path.Combine(_folder, "store.sh");
        await File.WriteAllTextAsync(script, """
            #!/bin/sh
            set -eu
            case "$1" in
              add) case "$2" in agent4-*) ;; *) exec 9>>"$STORE.lock"; flock 9; printf '%s\n' "$2" >> "$STORE" ;; esac ;;
              list) cat "$STORE" 2>/dev/null || true ;;
              check) echo checked >> "$STORE.checks" ;;
            esac
            """);
        var file = Path.Combine(_folder, "store.yaml");
        await File.WriteAllTextAsync(file, $$"""
            name: dropping-store
            variables: { store: unset }
            operation:
              process:
                command: [sh, "{{script}}", add, "agent{worker}-write{iteration}"]
                env: { STORE: "${store}" }
                timeout: 10s
            load:
              iterations: { workers: 6, perWorker: 10 }
            recover: { command: [sh, "{{script}}", check], env: { STORE: "${store}" } }
            history: { function: write, value: "agent{worker}-write{iteration}" }
            verify:
              - set:
                  name: store
                  read: { command: [sh, "{{script}}", list], env: { STORE: "${store}" } }
            thresholds: ["lost == 0"]
            """);

        var (wholeRun, whole) = await Run(file, "whole", "--set", $"store={Path.Combine(_folder, "whole.txt")}");
        var (splitRun, split) = await Run(file, "split", "--segments", "3", "--set", $"store={Path.Combine(_folder, "split.txt")}");

        Assert.True(wholeRun.ExitCode == 1, wholeRun.ToString());
        Assert.True(splitRun.ExitCode == 1, splitRun.ToString());
        var wholeStore = Assert.Single(Assert.Single(whole.Scenarios).Verifications!);
        var splitStore = Assert.Single(Assert.Single(split.Scenarios).Verifications!);
        Assert.Equal(10, wholeStore.Count("lost"));
        Assert.Equal(wholeStore.Count("lost"), splitStore.Count("lost"));
        Assert.False(splitStore.Passed);
        Assert.Equal(60, Assert.Single(split.Scenarios).Counts.Ok);
        // The recovery step ran once for the whole split run, at the merge, as once for the whole run.
        Assert.True(Assert.Single(split.Scenarios).Recovery is { Ok: true }, splitRun.ToString());
        Assert.Equal(["checked"], await File.ReadAllLinesAsync(Path.Combine(_folder, "split.txt.checks")));
        Assert.Equal(["checked"], await File.ReadAllLinesAsync(Path.Combine(_folder, "whole.txt.checks")));
    }
}
