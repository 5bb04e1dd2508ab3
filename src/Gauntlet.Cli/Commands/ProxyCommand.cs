using System.CommandLine;
using System.Net.Sockets;
using Gauntlet.Faults.Proxy;
using Gauntlet.Sockets;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet proxy --listen ADDR:P --to HOST:Q [faults]</c>: the fault proxy on its own, in front of any TCP server.</summary>
internal static class ProxyCommand
{
    private const string Description = """
        Run the fault proxy between clients and a TCP server until Ctrl-C: latency with jitter, a
        bandwidth limit, resets, blackholes, slow closes and refusals, optionally only inside a window.

        Examples:
          gauntlet proxy --listen 127.0.0.1:7001 --to 127.0.0.1:7000 --latency 50ms --jitter 5ms
          gauntlet proxy --listen 127.0.0.1:7001 --to 127.0.0.1:7000 --refuse 10% --from 10s --until 20s
          gauntlet proxy --listen 127.0.0.1:7001 --to 127.0.0.1:7000 --latency-up 5ms --latency-down 50ms
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new ProxyFlags();
        var command = new Command("proxy", Description);
        flags.AddTo(command);
        command.SetAction((parse, _) => RunAsync(flags, parse, io));
        return command;
    }

    private static async Task<int> RunAsync(ProxyFlags flags, ParseResult parse, CliConsole io)
    {
        var errors = new List<string>();
        if (flags.Read(parse, errors) is not { } settings)
        {
            foreach (var error in errors) io.Error($"gauntlet proxy: {error}");
            return ExitCodes.InvalidInput;
        }
        FaultProxy proxy;
        try
        {
            proxy = FaultProxy.Start(settings.ListenAt, settings.Target, settings.Options);
        }
        catch (SocketException e)
        {
            io.Error($"gauntlet proxy: {ListeningSocket.CannotListen(settings.ListenAt, e, "--listen port")}");
            return ExitCodes.TargetUnreachable;
        }
        await using (proxy.ConfigureAwait(false))
        {
            using var stop = new StopSignal();
            io.Out.WriteLine($"gauntlet proxy: listening on {proxy.EndPoint}, forwarding to {proxy.Target}: {settings.Options.Describe()} (Ctrl-C to stop)");
            var signal = await stop.Stopped.ConfigureAwait(false);
            var c = proxy.Counts;
            io.Out.WriteLine($"gauntlet proxy: {signal}: stopping; {c.Accepted} connections ({c.Refused} refused, {c.Blackholed} blackholed, {c.Reset} reset, {c.UpstreamFailures} not taken by the target), {c.BytesUp} B up, {c.BytesDown} B down");
        }
        return ExitCodes.Passed;
    }
}
