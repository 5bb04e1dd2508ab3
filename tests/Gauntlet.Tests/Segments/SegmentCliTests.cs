using System.Text.Json;
using Gauntlet.Tests.Cli;

namespace Gauntlet.Tests.Segments;

public sealed class SegmentCliTests
{
    [Theory]
    [InlineData("--segment", "3/2", "segments of 2 are numbered 0 to 1")]
    [InlineData("--segment", "0/0", "splits into 0 segments")]
    [InlineData("--segment", "1-3", "is not a segment")]
    [InlineData("--start-at", "tomorrow", "expected an ISO 8601 instant")]
    public async Task A_bad_segment_or_start_instant_is_refused_at_parse_time_with_the_form(string flag, string value, string says)
    {
        var run = await CliProcess.RunAsync("run", "examples/open-rate/scenario.yaml", flag, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"gauntlet run: {flag}: ", run.Stderr);
        Assert.Contains(says, run.Stderr);
    }

    [Fact]
    public async Task A_segment_run_writes_its_share_its_segment_and_a_copy_of_its_file()
    {
        var folder = Directory.CreateTempSubdirectory("gauntlet-segment-").FullName;
        try
        {
            var file = Path.Combine(folder, "shared.yaml");
            await File.WriteAllTextAsync(file, """
                name: shared
                operation: { synthetic: { latency: 0ms } }
                load: { iterations: { workers: 4, shared: 100 } }
                thresholds: ["count(ok) == 100"]
                """);
            var startAt = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");
            var run = await CliProcess.RunAsync("run", file, "--segment", "1/3", "--start-at", startAt, "--out", Path.Combine(folder, "s1"));

            Assert.True(run.ExitCode == 0, run.ToString());
            using var result = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "s1", "result.json")));
            var segment = result.RootElement.GetProperty("segment");
            Assert.Equal((1, 3), (segment.GetProperty("index").GetInt32(), segment.GetProperty("count").GetInt32()));
            // The instant had passed: the segment started at once, and says it was late.
            Assert.True(segment.GetProperty("startSkewSeconds").GetDouble() > 0);
            var scenario = result.RootElement.GetProperty("scenarios")[0];
            Assert.Equal(33, scenario.GetProperty("counts").GetProperty("ok").GetInt64());
            Assert.Equal(await File.ReadAllTextAsync(file), await File.ReadAllTextAsync(Path.Combine(folder, "s1", "scenario.yaml")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
