using System.CommandLine;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet tcp HOST:PORT -c N --payload 64B --expect echo [-d 10s | -n N]</c>: a one-off TCP load test, like wrk for sockets.</summary>
internal static class TcpCommand
{
    private const string Description = """
        Load a TCP server from the command line: open the connections (in batches if asked), send the
        payload, check each reply, and judge the run. The flags make a scenario (--print-yaml shows it)
        that runs exactly as 'gauntlet run' would run it, with the same reports (result.json, report.md,
        report.html). Exit code 0 when every threshold passes, 1 when
        one fails, 2 for invalid flags, 3 when the server cannot be reached or the open-files limit
        is too low.

        Examples:
          gauntlet tcp 127.0.0.1:7000 -c 100 -d 10s
          gauntlet tcp builtin:echo -c 10000 --per-connection 1 --batch 100 --every 5ms
          gauntlet tcp 127.0.0.1:6379 -c 50 --payload 'text:PING\r\n' --expect 'text:+PONG\r\n' -d 10s
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new TcpFlags();
        var command = new Command("tcp", Description);
        flags.AddTo(command);
        command.SetAction(async (parse, _) => flags.Read(parse, io) is { } run
            ? await QuickYaml.RunAsync(run, "gauntlet tcp", io).ConfigureAwait(false)
            : ExitCodes.InvalidInput);
        return command;
    }
}
