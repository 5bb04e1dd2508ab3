namespace GuideSamples;

using Gauntlet;
using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;

public static class PipelineSamples
{
    public static async Task<int> ResultsFolderAsync(Scenario checkout, Scenario browse)
    {
        // <sample:pipeline>
        var runner = new Runner(new RunOptions
        {
            ResultsDirectory = "gauntlet-results/nightly",   // result.json, report.md, report.html (and history.jsonl)
            JUnit = true,                                    // junit.xml as well, one test case per scenario
        });
        var result = await runner.RunAsync([checkout, browse]);   // validated together, then run in order
        Console.Write(TextSummary.Render(result));
        return ExitCodes.Of(result);   // 0 passed, 1 failed, 3 target never reached, 5 verdict unknown, 130 interrupted
        // </sample:pipeline>
    }

    public static async Task<int> BaselineAsync(Scenario checkout)
    {
        // <sample:baseline>
        var earlier = await ResultFile.ReadAsync("gauntlet-results/main/result.json");
        var runner = new Runner(new RunOptions
        {
            ResultsDirectory = "gauntlet-results/branch",                          // adds comparison.md
            Baseline = new BaselineOptions(earlier, "gauntlet-results/main/result.json"),
        });
        var result = await runner.RunAsync(checkout);
        foreach (var regression in result.Baseline!.Regressions) Console.WriteLine("regressed: " + regression);
        return ExitCodes.Of(result);   // 1 when a figure regressed beyond noise, even if every threshold passed
        // </sample:baseline>
    }

    public static async Task WriteLaterAsync(Scenario scenario)
    {
        // <sample:write-reports>
        var result = await new Runner().RunAsync(scenario);
        var files = await result.WriteReportsAsync("gauntlet-results/later");   // Gauntlet.Reports
        Console.WriteLine($"open {files.Html}");
        // </sample:write-reports>
    }

    // <sample:print>
    static void Print(RunResult result)
    {
        var env = result.Environment;
        Console.WriteLine($"{env.CpuModel}, {env.LogicalCores} cores, {env.MemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB; {env.Os}, kernel {env.Kernel}; {env.Runtime}");
        foreach (var s in result.Scenarios)
        {
            var c = s.Counts;
            Console.WriteLine($"{s.Name}: {s.Verdict}   {s.Config.Load}; {s.Config.Bounds}");
            Console.WriteLine($"  started {c.Started}  ok {c.Ok}  failed {c.Failed}  timed out {c.TimedOut}  crashed {c.Crashed}  cut off {c.CutOff}  dropped {c.Dropped}");
            Console.WriteLine($"  latency  p50 {Format.Micros(s.Latency.P50Micros)}  p99 {Format.Micros(s.Latency.P99Micros)}  max {Format.Micros(s.Latency.MaxMicros)}");
            if (s.ServiceTime is { } service && s.SchedulingLag is { } lag)
                Console.WriteLine($"  service time p99 {Format.Micros(service.P99Micros)}  scheduling lag p99 {Format.Micros(lag.P99Micros)}");
            Console.WriteLine($"  throughput {Format.Rate(s.Throughput.Overall)} over {s.DurationSeconds:0.###} s");
            foreach (var e in s.Errors)
                Console.WriteLine($"  {e.Status} {e.Kind} x{e.Count}: {e.SampleMessage}");
            foreach (var p in s.Timeline)
                Console.WriteLine($"  {p.Second,6:0.###} s  started {p.Started,5}  ok {p.Ok,5}  errors {p.Errors,3}  p99 {Format.Micros(p.P99Micros),8}  in flight {p.InFlight}");
            foreach (var t in s.Thresholds)
                Console.WriteLine($"  {(t.Passed ? "pass" : "FAIL")}  {t.Expression}  (actual {t.ActualText})");
            foreach (var warning in s.Warnings) Console.WriteLine($"  warning: {warning}");
            foreach (var reason in s.Reasons) Console.WriteLine($"  because: {reason}");
        }
    }
    // </sample:print>

    public static Runner Progress()
    {
        // <sample:progress>
        var runner = new Runner(new RunOptions
        {
            OnProgress = p => Console.WriteLine(
                $"[{p.Scenario}] {p.Point.Second,6:0.#} s  {p.Point.Completed} done  p99 {Format.Micros(p.Point.P99Micros)}  errors so far {p.Errors}  dropped so far {p.Dropped}"),
        });
        // </sample:progress>
        return runner;
    }

    public static async Task<int> CtrlCAsync(Scenario scenario)
    {
        // <sample:ctrl-c>
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (stop.IsCancellationRequested) return;   // a second Ctrl-C ends the process at once
            e.Cancel = true;                            // keep the process alive to finish the result
            Console.Error.WriteLine("stopping: letting operations in flight finish...");
            stop.Cancel();
        };

        var result = await new Runner(new RunOptions { ResultsDirectory = "gauntlet-results/checkout" }).RunAsync(scenario, stop.Token);
        Print(result);
        return ExitCodes.Of(result);   // 130 when interrupted; the reports are written all the same
        // </sample:ctrl-c>
    }
}
