namespace GuideSamples;

// <sample:quick-start>
using Gauntlet;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;

public static class HealthCheck
{
    /// <summary>Sixteen clients call <paramref name="url"/> back to back for 10 s; the reports go to <paramref name="results"/>.</summary>
    public static async Task<RunResult> RunAsync(string url, int workers = 16, double seconds = 10, string results = "gauntlet-results/get-health")
    {
        var health = new HttpOperation(new HttpOperationOptions([new HttpRequestKind(Template.Constant(url))]));

        var scenario = Scenario.Create("get-health", health)
            .WithLoad(LoadProfile.Closed(workers))
            .WithDuration(TimeSpan.FromSeconds(seconds))
            .WithTimeout(TimeSpan.FromSeconds(1))
            .WithThresholds("p99 < 50ms", "error_rate < 0.1%");

        var result = await new Runner(new RunOptions { ResultsDirectory = results }).RunAsync(scenario);

        var s = result.Scenarios[0];
        Console.WriteLine($"{s.Name}: {s.Verdict}, {s.Counts.Ok} ok, {s.Counts.Failed} failed, p99 {Format.Micros(s.Latency.P99Micros)}");
        foreach (var e in s.Errors) Console.WriteLine($"  {e.Status} {e.Kind} x{e.Count}: {e.SampleMessage}");
        foreach (var reason in s.Reasons) Console.WriteLine("  " + reason);
        return result;
    }
}
// </sample:quick-start>

public static class QuickStartProgram
{
    /// <summary>The guide's <c>Program.cs</c> for the quick start.</summary>
    public static async Task<int> RunAsync()
    {
        // <sample:quick-start-program>
        var result = await HealthCheck.RunAsync("http://localhost:5000/health");
        return ExitCodes.Of(result);   // 0 passed, 1 a threshold failed, 3 the server was never reached
        // </sample:quick-start-program>
    }
}
