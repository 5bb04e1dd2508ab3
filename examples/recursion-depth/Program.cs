using Gauntlet.Pipeline;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Search;
using Gauntlet.Stress.Pressure;
using Gauntlet.Testing;
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

// The same pipeline as `gauntlet run`: result.json, report.md and report.html in the folder, when one is given.
var folder = args.Length > 0 && args[0].Length > 0 ? args[0] : null;
var result = await new Runner(new RunOptions { ResultsDirectory = folder }).RunAsync([], [search]);
Console.WriteLine(ResultAssertions.Explain(result.Searches![0]));
return ExitCodes.Of(result);
