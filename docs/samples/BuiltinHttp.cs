namespace GuideSamples;

using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;

public static class BuiltinHttp
{
    /// <summary>Two workers, 25 requests each, against the built-in HTTP server the operation starts for the run.</summary>
    public static async Task<RunResult> RunAsync()
    {
        // <sample:builtin-http>
        var ok = new HttpOperation(new HttpOperationOptions([new HttpRequestKind(Template.Constant("/ok"))])
        {
            Target = HttpOperationOptions.BuiltinHttp,   // started on a free loopback port for the run, stopped after it
        });

        var scenario = Scenario.Create("builtin-ok", ok)
            .WithLoad(LoadProfile.IterationsPerWorker(workers: 2, iterations: 25))
            .WithThresholds("count(ok) == 50", "error_rate == 0");

        var result = await new Runner().RunAsync(scenario);
        // </sample:builtin-http>
        return result;
    }
}
