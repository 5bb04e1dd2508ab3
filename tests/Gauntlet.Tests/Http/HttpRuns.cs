using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Http;

/// <summary>Short, bounded HTTP runs against the test server.</summary>
internal static class HttpRuns
{
    public static HttpOperationOptions Get(string url) =>
        new([new HttpRequestKind(Template.Constant(url))]);

    public static HttpOperationOptions One(HttpRequestKind request) => new([request]);

    public static HttpRequestKind Request(string url) => new(Template.Constant(url));

    /// <summary>Runs <paramref name="iterations"/> operations on <paramref name="workers"/> workers with a 5 s timeout and deadline 30 s.</summary>
    public static Task<ScenarioResult> Iterations(HttpOperationOptions options, long iterations, int workers = 2, TimeSpan? timeout = null)
    {
        var operation = new HttpOperation(options);
        var scenario = Scenario.Create("http", operation)
            .WithLoad(LoadProfile.Closed(workers))
            .WithMaxIterations(iterations)
            .WithTimeout(timeout ?? TimeSpan.FromSeconds(5))
            .WithDeadline(TimeSpan.FromSeconds(30));
        return RunHelpers.RunOne(scenario);
    }

    public static long Status(this ScenarioResult result, int code) =>
        result.Http!.StatusCodes.Where(s => s.Code == code).Sum(s => s.Count);

    public static long ErrorCount(this ScenarioResult result, string kind) =>
        result.Errors.Where(e => e.Kind == kind).Sum(e => e.Count);
}
