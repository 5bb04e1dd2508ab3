using System.Text.RegularExpressions;
using Gauntlet.Results;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Http;

/// <summary>
/// examples/kernel-requests run as its README says: `gauntlet serve http`, then `gauntlet run suite.yaml` against it
/// (on a free port, given as the README's --set target=), every scenario and threshold passing.
/// </summary>
public sealed partial class KernelExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-kernel-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Kernel_requests_suite_passes_every_threshold_against_gauntlet_serve_http()
    {
        var suite = Path.Combine(RepositoryPaths.Examples, "kernel-requests", "suite.yaml");
        CliProcess.Run? run = null;
        var server = await CliProcess.RunAsync(["serve", "http", "--port", "0"], TimeSpan.FromSeconds(180), async (process, stdout) =>
        {
            await CliProcess.WaitForOutputAsync(stdout, "listening on");
            string address;
            lock (stdout) address = ListeningOn().Match(stdout.ToString()).Groups[1].Value;
            try
            {
                run = await CliProcess.RunAsync(["run", suite, "--set", $"target={address}", "--out", _folder], TimeSpan.FromSeconds(150), null);
            }
            finally
            {
                CliProcess.Interrupt(process);
            }
        });

        Assert.True(server.ExitCode == 0, server.ToString());
        Assert.NotNull(run);
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = await ResultFile.ReadAsync(Path.Combine(_folder, "result.json"));
        Assert.Equal(["rapid-list", "registry", "rapid-invocation", "large-payload", "error-recovery", "sustained", "rapid-search"],
            result.Scenarios.Select(s => s.Name));
        Assert.All(result.Scenarios, s => Assert.True(s.Verdict == Verdict.Passed, $"{s.Name}: {string.Join("; ", s.Reasons)}"));
        Assert.All(result.Scenarios.SelectMany(s => s.Thresholds.Select(t => (s.Name, t))),
            x => Assert.True(x.t.Passed, $"{x.Name}: {x.t.Expression} = {x.t.ActualText}"));
        var byName = result.Scenarios.ToDictionary(s => s.Name);
        Assert.Equal(1000, byName["rapid-list"].Counts.Ok);
        Assert.Equal(3000, byName["registry"].Counts.Ok);
        Assert.True(byName["large-payload"].Http!.BytesIn >= 1_000_000);
        Assert.Equal(100, byName["error-recovery"].OperationKinds!.Single(k => k.Name == "invalid").Ok);
        // The coefficient of variation is measured (several whole seconds), not "n/a".
        var cv = byName["sustained"].Thresholds.Single(t => t.Expression.StartsWith("cv(", StringComparison.Ordinal));
        Assert.True(double.IsFinite(cv.Actual ?? double.NaN), $"{cv.Expression} = {cv.ActualText}");
        Assert.InRange(byName["sustained"].Counts.Ok, 9_000, 10_100);
        Assert.Equal(500, byName["rapid-search"].Counts.Ok);
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex ListeningOn();
}
