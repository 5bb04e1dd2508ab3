using Gauntlet.Results;
using Gauntlet.Tests.Cli;

namespace Gauntlet.Tests.Merge;

/// <summary><c>gauntlet merge</c> through the built tool: a merged folder, and every refusal with exit code 2 and the file blamed.</summary>
public sealed class MergeCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-merge-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private const string ScenarioYaml = """
        name: merged
        operation:
          synthetic: { latency: 1ms }
        load:
          closed: { workers: 2 }
        duration: 3s
        thresholds: ["count(ok) == ${ok}", "p99 < 50ms"]
        """;

    private Task<string> SegmentAsync(string name, int index, int count, string fingerprint = "fp-1") =>
        SegmentSamples.WriteAsync(PathOf(name), SegmentSamples.Segment(index, count, [new(0.5, 1000), new(1.5, 2000)], fingerprint: fingerprint));

    [Fact]
    public async Task Merge_writes_the_result_folder_prints_the_summary_and_the_segments_and_judges_the_thresholds()
    {
        await SegmentAsync("results/segment-0", 0, 2);
        await SegmentAsync("results/segment-1", 1, 2);
        await File.WriteAllTextAsync(Path.Combine(PathOf("results/segment-0"), "scenario.yaml"), ScenarioYaml);

        var passed = await CliProcess.RunAsync("merge", PathOf("results"), "--out", PathOf("out"), "--set", "ok=4", "--junit");
        var failed = await CliProcess.RunAsync("merge", PathOf("results"), "--out", PathOf("out-failed"), "--set", "ok=5");

        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("host-0", passed.Stdout, StringComparison.Ordinal);
        Assert.Contains("host-1", passed.Stdout, StringComparison.Ordinal);
        Assert.Contains("Merged from 2 segments", passed.Stdout, StringComparison.Ordinal);
        Assert.Contains("PASSED", passed.Stdout, StringComparison.Ordinal);
        var result = await ResultFile.ReadAsync(PathOf("out/result.json"));
        Assert.Equal(4, result.Scenarios[0].Counts.Ok);
        Assert.Equal(2, result.Segments!.Count);
        Assert.True(File.Exists(PathOf("out/junit.xml")));
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("count(ok) == 5", failed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segments_of_different_scenarios_are_refused_naming_the_file()
    {
        await SegmentAsync("a", 0, 2);
        var other = await SegmentAsync("b", 1, 2, fingerprint: "fp-other");

        var run = await CliProcess.RunAsync("merge", PathOf("a"), PathOf("b"), "--out", PathOf("out"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(Path.Combine(other, "result.json"), run.Stderr, StringComparison.Ordinal);
        Assert.Contains("fingerprint", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/result.json")));
    }

    [Fact]
    public async Task A_missing_segment_is_refused_naming_it_and_those_found()
    {
        await SegmentAsync("results/segment-0", 0, 3);
        await SegmentAsync("results/segment-1", 1, 3);

        var run = await CliProcess.RunAsync("merge", PathOf("results"), "--out", PathOf("out"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"segment 2 of 3 is missing; found 0/3 and 1/3 in {PathOf("results")}", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_given_twice_is_refused_naming_both_files()
    {
        await SegmentAsync("a", 0, 2);
        await SegmentAsync("b", 1, 2);
        await SegmentAsync("c", 1, 2);

        var run = await CliProcess.RunAsync("merge", PathOf("a"), PathOf("b"), PathOf("c"), "--out", PathOf("out"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"segment 1/2 is given twice: {PathOf("b/result.json")} and {PathOf("c/result.json")}", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segments_of_different_splits_are_refused()
    {
        await SegmentAsync("a", 0, 2);
        await SegmentAsync("b", 1, 3);

        var run = await CliProcess.RunAsync("merge", PathOf("a"), PathOf("b"), "--out", PathOf("out"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{PathOf("b/result.json")}: segment 1/3 of a split into 3", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_of_an_older_schema_or_a_whole_run_is_refused()
    {
        await SegmentAsync("a", 0, 2);
        await SegmentSamples.WriteAsync(PathOf("old"), SegmentSamples.Segment(1, 2, [new(0.5, 100)]) with { SchemaVersion = 2 });
        await SegmentSamples.WriteAsync(PathOf("whole"), SegmentSamples.Segment(1, 2, [new(0.5, 100)]) with { Segment = null });

        var old = await CliProcess.RunAsync("merge", PathOf("a"), PathOf("old"), "--out", PathOf("out"));
        var whole = await CliProcess.RunAsync("merge", PathOf("a"), PathOf("whole"), "--out", PathOf("out"));

        Assert.True(old.ExitCode == 2, old.ToString());
        Assert.Contains($"{PathOf("old/result.json")}: schemaVersion 2 results cannot be merged", old.Stderr, StringComparison.Ordinal);
        Assert.True(whole.ExitCode == 2, whole.ToString());
        Assert.Contains($"{PathOf("whole/result.json")}: not a segment's result", whole.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_result_is_refused_with_the_readers_error()
    {
        await SegmentAsync("a", 0, 2);
        var cut = await SegmentAsync("b", 1, 2);
        var text = await File.ReadAllTextAsync(Path.Combine(cut, "result.json"));
        await File.WriteAllTextAsync(Path.Combine(cut, "result.json"), text[..(text.Length / 2)]);

        var run = await CliProcess.RunAsync("merge", PathOf("a"), PathOf("b"), "--out", PathOf("out"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{PathOf("b/result.json")}: line", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_gives_up_after_its_duration_naming_the_missing_segment()
    {
        await SegmentAsync("results/segment-0", 0, 2);

        var run = await CliProcess.RunAsync("merge", PathOf("results"), "--out", PathOf("out"), "--wait", "1s");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("segment 1 of 2 is still missing; found 0/2", run.Stderr, StringComparison.Ordinal);
    }
}
