using System.CommandLine;
using Gauntlet.Demo;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet demo [--out DIR]</c>: the built-in suite on an embedded default.</summary>
internal static class DemoCommand
{
    public static Command Create(CliConsole io)
    {
        var output = new Option<string?>("--out", "-o") { Description = "Folder for result.json, report.md and report.html (default: gauntlet-results/<timestamp>).", HelpName = "folder" };
        var command = new Command("demo", """
            Run a short built-in suite of 4 scenarios (about 15 s) that shows every kind of output: a worker
            ramp, an open model that catches a stall (its tail threshold fails on purpose: "expected to
            fail: failed, as expected"), a barrier start with errors, and 1,000 TCP clients started in
            batches against the built-in echo server (run in-process on a free loopback port). Exit code 0
            when every scenario gave the verdict the demo expects, 1 when one did not.

            Examples:
              gauntlet demo
              gauntlet demo --out /tmp/demo
            """)
        {
            output,
        };
        command.SetAction((parse, _) =>
            ScenarioSession.RunAsync(DemoSuite.Create(), parse.GetValue(output) ?? ScenarioSession.DefaultOutputFolder(), io,
                SessionOutputs.None with { ExpectedToFail = DemoSuite.ExpectedToFail }));
        return command;
    }
}
