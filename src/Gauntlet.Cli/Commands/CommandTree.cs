using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// Every command of the tool and the root's help: one place that builds the tree, so the tool and the tests that
/// check the tree (one meaning per short flag, a help name for every value) see the same commands.
/// </summary>
internal static class CommandTree
{
    /// <summary>The groups of <c>gauntlet --help</c>, each command with its usage and one line; every command is in one.</summary>
    internal static readonly (string Group, (string Command, string Usage, string Summary)[] Commands)[] Groups =
    [
        ("Run a scenario", [
            ("run", "run FILE", "run the scenarios of a YAML file: live progress, summary, reports"),
            ("validate", "validate FILE", "check a scenario file without running it (FILE:LINE:COL problems)"),
            ("demo", "demo", "a built-in suite of 4 scenarios (about 15 s) showing every kind of output"),
        ]),
        ("Quick load (flags make a scenario; --print-yaml shows it)", [
            ("http", "http URL", "load an HTTP server like wrk: -c connections, -d duration or -n requests"),
            ("tcp", "tcp HOST:PORT", "load a TCP server: -c connections, --payload, --expect"),
            ("grpc", "grpc TARGET", "call a gRPC method like ghz: --proto, --call, --data, -c concurrency"),
            ("websocket", "websocket URL", "load a WebSocket server (alias ws): -c connections, --send, --expect echo"),
        ]),
        ("Servers and tools", [
            ("serve", "serve echo|http", "a built-in echo or HTTP server to aim scenarios at"),
            ("proxy", "proxy", "the fault proxy (latency, bandwidth, resets) in front of a TCP server"),
            ("test", "test SUITE|GLOB", "run tests in isolation: own process group, timeout, captured output"),
        ]),
        ("Results", [
            ("report", "report RESULT", "render a stored result again: md, html, junit or json"),
            ("compare", "compare OLD NEW", "compare a run with a baseline; exit code 1 on a regression"),
            ("verify", "verify HISTORY", "is a recorded history linearizable? --model register|kv|set|queue"),
        ]),
        ("Past one machine", [
            ("kubernetes", "kubernetes FILE", "manifests that run a scenario as N pods on a cluster, starting together"),
            ("merge", "merge DIR...", "merge the results of a split run's segments (--segment i/n) exactly"),
        ]),
    ];

    /// <param name="io">Where the commands write.</param>
    /// <param name="time">The clock of the commands that read one (the start instant of <c>kubernetes</c>); the system's by default.</param>
    public static RootCommand Create(CliConsole io, TimeProvider? time = null)
    {
        var root = new RootCommand("Gauntlet: stress-test code, programs and servers; account for every operation; judge the figures against thresholds.")
        {
            RunCommand.Create(io),
            ValidateCommand.Create(io),
            DemoCommand.Create(io),
            ReportCommand.Create(io),
            CompareCommand.Create(io),
            VerifyCommand.Create(io),
            MergeCommand.Create(io),
            TcpCommand.Create(io),
            ServeCommand.Create(io),
            ProxyCommand.Create(io),
            TestCommand.Create(io),
            HttpCommand.Create(io),
            GrpcCommand.Create(io),
            WebSocketCommand.Create(io),
            KubernetesCommand.Create(io, time ?? TimeProvider.System),
        };
        // System.CommandLine's root help lists every command with its whole description (80 lines and more);
        // the root gets a one-screen page of its own, and each command keeps the default help.
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new RootHelpAction((SynchronousCommandLineAction)help.Action!, io);
        // 'gauntlet' alone: the same page, on standard error, and exit 2 (a command was expected).
        root.SetAction(_ =>
        {
            io.Stderr.Write(RootHelp());
            return ExitCodes.InvalidInput;
        });
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command they name; bad flags are reported and give exit code 2.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole io, TimeProvider? time = null)
    {
        var parse = Create(io, time).Parse(args);
        if (parse.Errors.Count > 0) return Flags.ReportParseErrors(parse, io);
        // Signals are handled by the commands themselves (a first Ctrl-C still writes the partial result).
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = io.Stdout, Error = io.Stderr })
            .ConfigureAwait(false);
    }

    /// <summary>The text of <c>gauntlet --help</c>: at most about 40 lines of at most 100 columns.</summary>
    internal static string RootHelp()
    {
        var text = new System.Text.StringBuilder();
        text.Append("""
            Gauntlet: stress-test code, programs and servers; account for every operation; judge the
            figures against thresholds; write reports you can trust.

            Usage: gauntlet COMMAND [options]    ('gauntlet COMMAND --help' for a command's flags)

            """);
        text.Append('\n');
        var width = Groups.SelectMany(g => g.Commands).Max(c => c.Usage.Length) + 2;
        foreach (var (group, commands) in Groups)
        {
            text.Append(group).Append('\n');
            foreach (var (_, usage, summary) in commands) text.Append("  ").Append(usage.PadRight(width)).Append(summary).Append('\n');
            text.Append('\n');
        }
        text.Append("""
            Results go to gauntlet-results/<timestamp> unless --out names a folder.
            Exit codes: 0 passed, 1 a threshold or check failed, 2 invalid input, 3 target unreachable,
            4 harness error, 5 a verdict left unknown, 6 invalid (Gauntlet, not the target, limited the load),
            130 interrupted (the partial result is still written).

            Examples:
              gauntlet run examples/open-rate/scenario.yaml
              gauntlet http http://127.0.0.1:8080/ok -c 64 -d 10s

            Options: -h, --help this page ('gauntlet COMMAND --help' for a command); --version

            """);
        return text.ToString();
    }

    /// <summary>The root's own page for <c>gauntlet --help</c>; a command's <c>--help</c> goes to the default help.</summary>
    private sealed class RootHelpAction(SynchronousCommandLineAction commandHelp, CliConsole io) : SynchronousCommandLineAction
    {
        // As the default help's: 'gauntlet run --help' shows the help even though the file argument is missing.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.CommandResult.Command is not RootCommand) return commandHelp.Invoke(parseResult);
            io.Stdout.Write(RootHelp());
            return ExitCodes.Passed;
        }
    }
}
