using System.Net;
using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Servers;
using Gauntlet.Targets.Http;
using Gauntlet.Testing;
using Gauntlet.Tests.ScenarioFiles;
using GuideSamples;

namespace Gauntlet.Tests.Docs;

/// <summary>
/// docs/csharp-guide.md against its compiled samples (docs/samples): every ```csharp block is a copy of a sample
/// region, and the guide's runnable samples (the quick start, the built-in HTTP server, faults, an operation of one's
/// own behind a fault proxy) pass when run here, scaled down where the guide runs for long.
/// </summary>
public sealed class CsharpGuideSamplesTests
{
    private const string GuidePath = "docs/csharp-guide.md";

    [Fact]
    public void Every_csharp_block_of_the_guide_is_a_region_of_the_compiled_samples()
    {
        var root = RepositoryPaths.RepositoryRoot;
        var blocks = GuideSampleRegions.ReadBlocks(File.ReadAllText(Path.Combine(root, GuidePath)));
        var regions = GuideSampleRegions.ReadRegions(Directory.EnumerateFiles(Path.Combine(root, "docs", "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f), File.ReadAllText(f))));

        Assert.True(blocks.Count >= 20, $"only {blocks.Count} ```csharp blocks found in {GuidePath}");
        var drift = GuideSampleRegions.Drift(GuidePath, blocks, regions);
        Assert.True(drift.Count == 0, string.Join(Environment.NewLine, drift));
    }

    [Fact]
    public void A_block_that_drifted_from_its_region_is_reported_with_its_line()
    {
        var regions = GuideSampleRegions.ReadRegions([("Sample.cs", """
            class C
            {
                void M()
                {
                    // <sample:two-lines>
                    var a = 1;
                    var b = a + 1;
                    // </sample:two-lines>
                }
            }
            """)]);
        var guide = """
            # Guide

            ```csharp
            var a = 1;
            var b = a + 1;
            ```

            Text.

              ```csharp
              var a = 1;
              var b = a + 2;
              ```
            """;

        var drift = GuideSampleRegions.Drift("guide.md", GuideSampleRegions.ReadBlocks(guide), regions);

        var message = Assert.Single(drift);   // the first block is the region, de-indented; the second is not
        Assert.StartsWith("guide.md:10: the ```csharp block starting 'var a = 1;'", message, StringComparison.Ordinal);
        Assert.Contains("region 'two-lines' at the block's line 12: guide 'var b = a + 2;', sample 'var b = a + 1;'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_sample_region_is_an_error_naming_its_file_and_line()
    {
        var error = Assert.Throws<InvalidDataException>(() => GuideSampleRegions.ReadRegions([("Sample.cs", "x\n// <sample:open>\ny\n")]));
        Assert.Equal("Sample.cs:2: region 'open' is never closed with '// </sample:open>'", error.Message);
    }

    [Fact]
    public async Task Quick_start_passes_against_a_local_server_and_writes_its_reports()
    {
        await using var server = await BuiltinHttpServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var folder = Directory.CreateTempSubdirectory("gauntlet-quick-start-").FullName;
        try
        {
            var result = await HealthCheck.RunAsync(server.Address + "ok", workers: 2, seconds: 1, results: folder);

            var s = Assert.Single(result.Scenarios);
            Assert.True(s.Counts.Ok > 0, "no request succeeded");
            Assert.Equal(s.Counts.Started, s.Counts.Ok);
            Assert.Equal(ExitCodes.Passed, ExitCodes.Of(result));
            Assert.True(File.Exists(Path.Combine(folder, ReportFolder.ResultFileName)));
            Assert.True(File.Exists(Path.Combine(folder, ReportFolder.MarkdownFileName)));
            Assert.True(File.Exists(Path.Combine(folder, ReportFolder.HtmlFileName)));
            Assert.Equal(s.Counts.Ok, Assert.Single((await ResultFile.ReadAsync(Path.Combine(folder, ReportFolder.ResultFileName))).Scenarios).Counts.Ok);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Builtin_http_sample_starts_the_server_and_gets_50_ok()
    {
        var result = await BuiltinHttp.RunAsync();

        var s = Assert.Single(result.Scenarios);
        Assert.Equal(50, s.Counts.Started);
        Assert.Equal(50, s.Counts.Ok);
        Assert.Equal(new StatusCodeCount(200, 50), Assert.Single(s.Http!.StatusCodes));
        result.ShouldPass();
    }

    [Fact]
    public async Task Faults_sample_validates_and_runs_with_its_three_windows()
    {
        var result = await FaultSamples.UnderFaultAsync(TimeSpan.FromSeconds(1.5));

        var s = Assert.Single(result.Scenarios);
        Assert.True(s.Counts.Ok > 0, "no echo succeeded");
        Assert.True(s.Counts.Balanced, $"accounting does not balance: {s.Counts}");
        var windows = s.Windows!;
        Assert.Equal(3, windows.Count);
        Assert.Equal(0.5, windows[0].FromSecond, 2);
        Assert.Equal(1.0, windows[0].ToSecond, 2);
        Assert.Contains("latency 200ms", windows[0].Label, StringComparison.Ordinal);
        Assert.Contains("latency 50ms (replies)", windows[1].Label, StringComparison.Ordinal);
        Assert.Contains("refuse", windows[2].Label, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_of_ones_own_with_redirection_runs_behind_a_fault_proxy()
    {
        var result = await new Runner(new RunOptions { Environment = Engine.RunHelpers.TestEnvironment }).RunAsync(PingScenario.Create(TimeSpan.FromSeconds(1)));

        var s = Assert.Single(result.Scenarios);
        Assert.True(s.Counts.Ok > 0, "no ping succeeded");
        Assert.True(s.Latency.MinMicros >= 40_000, $"min latency {s.Latency.MinMicros} us: the pings did not cross the proxy's 20 ms each way");
        result.ShouldPass();
    }
}
