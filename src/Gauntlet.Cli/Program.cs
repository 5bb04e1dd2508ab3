using Gauntlet;
using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Suites;

// The command line arrives with the CLI issue (System.CommandLine, `run`, `validate`); until then the
// executable runs the built-in demo so the README's first command does Gauntlet's main job.
if (args.Length == 0 || args[0] is not ("demo" or "--version"))
{
    Console.Error.WriteLine("usage: gauntlet demo [--out DIR]");
    Console.Error.WriteLine("       gauntlet --version");
    return 2;
}
if (args[0] == "--version")
{
    Console.WriteLine(EnvironmentInfo.Capture().GauntletVersion);
    return 0;
}
string? outDir = null;
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length) outDir = args[++i];
    else
    {
        Console.Error.WriteLine($"gauntlet demo: unknown argument '{args[i]}'; expected --out DIR");
        return 2;
    }
}
outDir ??= Path.Combine("gauntlet-results", DateTime.Now.ToString("yyyyMMdd-HHmmss"));

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var runner = new Runner(new RunOptions
{
    OnProgress = p => Console.WriteLine(
        $"[{p.Scenario} {p.Point.Second,5:0.0}s] {p.Started} started, ok {Format.Percent(p.Started == 0 ? 1 : p.Ok / (double)Math.Max(1, p.Ok + p.Errors))}, " +
        $"{p.Point.Completed}/s, p99 {Format.Micros(p.Point.P99)}, in flight {p.Point.InFlight}"),
});
var result = await runner.RunAsync(DemoSuite.Create(), cancel.Token);
Console.WriteLine();
Console.Write(TextSummary.Render(result));
var path = Path.Combine(outDir, "result.json");
await ResultFile.WriteAsync(result, path);
Console.WriteLine($"result: {path}");
return result.Interrupted ? 130 : result.Passed ? 0 : 1;
