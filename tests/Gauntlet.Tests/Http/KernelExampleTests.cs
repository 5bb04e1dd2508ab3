using Gauntlet.Pipeline;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Spec;
using Gauntlet.Tests.Engine;
using Gauntlet.Tests.Spec;

namespace Gauntlet.Tests.Http;

/// <summary>examples/kernel-requests runs against the test server and passes as its README says.</summary>
public sealed class KernelExampleTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    [Fact]
    public async Task Kernel_requests_suite_passes_its_correctness_scenarios()
    {
        var loaded = ScenarioFile.Load(Path.Combine(SpecPaths.Examples, "kernel-requests", "suite.yaml"),
            new Dictionary<string, string> { ["target"] = server.Url });
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal(["rapid-list", "registry", "rapid-invocation", "large-payload", "error-recovery", "sustained", "rapid-search"],
            loaded.Scenarios.Select(s => s.Name));

        // The scenarios whose thresholds are about correctness; the throughput ones are left to the real run.
        string[] chosen = ["registry", "large-payload", "error-recovery", "rapid-search"];
        var result = await new Runner(new RunOptions { Environment = RunHelpers.TestEnvironment })
            .RunAsync(loaded.Scenarios.Where(s => chosen.Contains(s.Name)));

        Assert.All(result.Scenarios, s => Assert.True(s.Verdict == Verdict.Passed, $"{s.Name}: {string.Join("; ", s.Reasons)}"));
        var byName = result.Scenarios.ToDictionary(s => s.Name);
        Assert.Equal(3000, byName["registry"].Counts.Ok);
        Assert.Equal(1, byName["large-payload"].Counts.Ok);
        Assert.True(byName["large-payload"].Http!.BytesIn >= 1_000_000);
        Assert.Equal(100, byName["error-recovery"].OperationKinds!.Single(k => k.Name == "invalid").Ok);
        var perKind = byName["error-recovery"].Thresholds.Where(t => t.Expression.Contains("(valid)") || t.Expression.Contains("(invalid)")).ToList();
        Assert.Equal(["count(valid) == 100", "count(invalid) == 100", "error_rate(valid) == 0", "error_rate(invalid) == 0"], perKind.Select(t => t.Expression));
        Assert.All(perKind, t => Assert.True(t.Passed, $"{t.Expression}: {t.ActualText}"));
        Assert.Equal("100", perKind[0].ActualText);
        Assert.Equal(500, byName["rapid-search"].Counts.Ok);
    }
}
