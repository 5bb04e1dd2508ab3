using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Search;
using Gauntlet.Stress.Pressure;
using RecursionDepth;

// Finds the depth at which the evaluator breaks, by bisection between 1,000 and 10,000. The evaluator aborts the
// process when it breaks, so every probe runs in a child process (Isolate = true): the crash is a data point.
// Usage: dotnet run --project examples/recursion-depth [-- RESULTS_FOLDER [FROM TO]]
var (from, to) = args.Length >= 3 ? (long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)) : (1_000L, 10_000L);
var search = new BreakingPointSearch("countdown",
    new SearchOptions { Parameter = "depth", From = from, To = to, Isolate = true, Require = from <= 5_000 && to >= 5_000 ? 5_000 : null, ProbeTimeout = TimeSpan.FromMinutes(1) },
    depth => AllocationPressure.Create("countdown", d => Evaluator.Run(d),
            // Its own 64 MiB stack: the slab, not the thread's stack, is the limit under test.
            new AllocationPressureOptions { Start = depth, StackBytes = 64 * 1024 * 1024, Unit = "depth" })
        .WithLoad(LoadProfile.IterationsPerWorker(1, 3)));

var found = await search.RunAsync();

var result = new RunResult { Environment = EnvironmentInfo.Capture(), StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, Searches = [found] };
Console.WriteLine(Gauntlet.Testing.ResultAssertions.Explain(found));
if (args.Length > 0 && args[0].Length > 0)
{
    await ResultFile.WriteAsync(result, Path.Combine(args[0], "result.json"));
    await File.WriteAllTextAsync(Path.Combine(args[0], "report.md"), MarkdownReport.Render(result));
}
return found.Passed ? 0 : 1;
