using System.Diagnostics;
using Gauntlet.Results;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.Results;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Search;

/// <summary>Searches whose probes run in child processes: a probe that kills its process is a data point.</summary>
public sealed class IsolatedSearchTests
{
    [Fact]
    public async Task A_crashing_probe_is_reported_as_a_crash_and_the_bracket_is_exact()
    {
        using var folder = new TempFolder();
        var program = Path.Combine(Path.GetDirectoryName(CliProcess.ToolPath)!.Replace(Path.Combine("src", "Gauntlet.Cli"), Path.Combine("examples", "recursion-depth")), "RecursionDepth.dll");
        Assert.True(File.Exists(program), $"the example is not built at {program}");

        var exit = await RunAsync(program, folder.Path, "6664", "6668");
        var result = await ResultFile.ReadAsync(Path.Combine(folder.Path, "result.json"));

        Assert.Equal(0, exit);
        var search = Assert.Single(result.Searches!);
        Assert.True(search.Isolated);
        Assert.Equal(6666, search.LargestPassing);
        Assert.Equal(6667, search.FirstFailing);
        Assert.Equal(ProbeStatus.Crashed, search.FailureStatus);
        Assert.Contains("SIGABRT (exit 134)", search.Failure[0].Message);
        Assert.Contains("slab exhausted", search.Failure[0].Message);
        Assert.All(search.Probes, p => Assert.Equal(p.Value <= 6666 ? ProbeStatus.Passed : ProbeStatus.Crashed, p.Status));
        Assert.All(search.Probes.Where(p => p.Status == ProbeStatus.Crashed), p => Assert.Equal(134, p.ExitCode));
        Assert.All(search.Probes.Where(p => p.Status == ProbeStatus.Passed), p => Assert.Equal(3, p.Started));
    }

    [Fact]
    public async Task Gauntlet_run_searches_a_yaml_variable_with_isolated_probes()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "fanout.yaml");
        await File.WriteAllTextAsync(file, """
            name: fanout
            variables: { n: 1 }
            operation: { synthetic: { latency: 0ms } }
            load: { iterations: { workers: "${n}", perWorker: 10 } }
            thresholds: ["count(started) <= 40", "error_rate == 0"]
            search: { parameter: n, from: 1, to: 8, isolate: true, require: 4 }
            """);

        var run = await CliProcess.RunAsync(["run", file, "--out", Path.Combine(folder.Path, "out")], TimeSpan.FromSeconds(120), null);
        var result = await ResultFile.ReadAsync(Path.Combine(folder.Path, "out", "result.json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var search = Assert.Single(result.Searches!);
        Assert.Equal((4L, 5L), (search.LargestPassing!.Value, search.FirstFailing!.Value));
        Assert.Equal(ProbeStatus.Failed, search.FailureStatus);
        Assert.Contains("count(started) <= 40", search.Failure[0].Message);
        Assert.Contains("largest passing 4, first failing 5", run.Stdout);
        Assert.Empty(result.Scenarios);
        Assert.True(result.Passed);
        var report = await File.ReadAllTextAsync(Path.Combine(folder.Path, "out", "report.md"));
        Assert.Contains("## Search: fanout over n", report);
    }

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 120 s");
        }
        return process.ExitCode;
    }
}
