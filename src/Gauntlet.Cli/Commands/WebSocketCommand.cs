using System.CommandLine;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>gauntlet websocket URL [-c 10] [-d 10s | -n N] [--rate R] [--send TEXT | --binary SIZE] [--expect echo]</c> (alias
/// <c>ws</c>): a one-off WebSocket load test. Each connection sends a message and waits for its reply, back to back.
/// </summary>
internal static class WebSocketCommand
{
    private const string Description = """
        Load a WebSocket server from the command line: each of -c connections sends a message, waits for
        its reply and checks it, back to back (or at an exact message rate with --rate). The flags make a
        scenario (--print-yaml shows it) that runs exactly as 'gauntlet run' would run it, with the same
        reports (result.json, report.md, report.html): connect time, messages sent, received and lost,
        close codes as error kinds (ws_close_1011_internal_error, ws_close_1006_abnormal). Exit code 0
        when every threshold passes (by default: every message answered right), 1 when one fails, 2 for
        invalid flags, 3 when the server cannot be reached.

        Examples:
          gauntlet websocket builtin:http/ws -c 8 -n 1000 --send 'hello {{iteration}}'
          gauntlet websocket ws://127.0.0.1:8080/ws -c 64 -d 10s --send 'hello {{iteration}}' --expect echo
          gauntlet ws ws://127.0.0.1:8080/ws -c 16 --rate 2000 -d 30s --binary 1KiB
          gauntlet ws wss://127.0.0.1:8443/ws -k -H 'Authorization: Bearer x' --subprotocol chat.v1 --expect none
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new WebSocketFlags();
        var command = new Command("websocket", Description);
        command.Aliases.Add("ws");
        flags.AddTo(command);
        command.SetAction((parse, _) => RunAsync(flags, parse, io));
        return command;
    }

    private static async Task<int> RunAsync(WebSocketFlags flags, ParseResult parse, CliConsole io)
    {
        var problems = new List<string>();
        if (flags.Read(parse, problems) is { } run) return await QuickYaml.RunAsync(run, "gauntlet websocket", io).ConfigureAwait(false);
        foreach (var problem in problems) io.Error($"gauntlet websocket: {problem}");
        io.Error("gauntlet websocket: see 'gauntlet websocket --help' for usage");
        return ExitCodes.InvalidInput;
    }
}
