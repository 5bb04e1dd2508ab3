using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Gauntlet.Faults.Proxy;
using Gauntlet.ScenarioFiles;
using Gauntlet.Sockets;
using Gauntlet.Targets.Tcp;
using Spectre.Console;
using Gauntlet.Scenarios;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet proxy --listen ADDR:P --to HOST:Q [faults]</c>: the fault proxy on its own, in front of any TCP server.</summary>
internal static class ProxyCommand
{
    public static Command Create(CliConsole io)
    {
        var listen = new Option<string>("--listen") { Description = "Address to listen on, e.g. 127.0.0.1:7001 (port 0 picks a free one).", Required = true, HelpName = "address:port" };
        var to = new Option<string>("--to") { Description = "Server to forward to, e.g. 127.0.0.1:7000.", Required = true, HelpName = "host:port" };
        var latency = new Option<string?>("--latency") { Description = "Latency added to each chunk, e.g. 50ms.", HelpName = "duration" };
        var jitter = new Option<string?>("--jitter") { Description = "Uniform jitter around the latency, e.g. 5ms.", HelpName = "duration" };
        var latencyUp = new Option<string?>("--latency-up") { Description = "Latency of requests only (client to server), e.g. 10ms; overrides --latency for them.", HelpName = "duration" };
        var latencyDown = new Option<string?>("--latency-down") { Description = "Latency of replies only (server to client), e.g. 50ms; overrides --latency for them.", HelpName = "duration" };
        var jitterUp = new Option<string?>("--jitter-up") { Description = "Jitter of requests only, e.g. 2ms.", HelpName = "duration" };
        var jitterDown = new Option<string?>("--jitter-down") { Description = "Jitter of replies only, e.g. 5ms.", HelpName = "duration" };
        var direction = new Option<string>("--direction") { Description = "Where latency applies: both, up (requests) or down (replies).", DefaultValueFactory = _ => "both", HelpName = "both|up|down" };
        var bandwidth = new Option<string?>("--bandwidth") { Description = "Bytes per second per connection and direction, e.g. 1MB.", HelpName = "bytes" };
        var resetAfter = new Option<string?>("--reset-after") { Description = "Reset each connection after this many bytes, e.g. 4KB.", HelpName = "bytes" };
        var resetRate = new Option<string?>("--reset-rate") { Description = "Share of connections reset on their first bytes, e.g. 1%.", HelpName = "percent" };
        var blackhole = new Option<string?>("--blackhole") { Description = "Share of connections accepted and never forwarded, e.g. 100%.", HelpName = "percent" };
        var refuse = new Option<string?>("--refuse") { Description = "Share of new connections reset at once, e.g. 10%.", HelpName = "percent" };
        var slowClose = new Option<string?>("--slow-close") { Description = "Delay before passing on a close, e.g. 2s.", HelpName = "duration" };
        var from = new Option<string?>("--from") { Description = "Faults start this long after the proxy, e.g. 10s.", HelpName = "duration" };
        var until = new Option<string?>("--until") { Description = "Faults stop this long after the proxy, e.g. 20s.", HelpName = "duration" };
        var seed = Flags.OptionalWholeNumber("--seed", null, 0, int.MaxValue);
        seed.Description = "Seed for jitter and shares, for a repeatable run.";
        var command = new Command("proxy", """
            Run the fault proxy between clients and a TCP server until Ctrl-C: latency with jitter, a
            bandwidth limit, resets, blackholes, slow closes and refusals, optionally only inside a window.

            Examples:
              gauntlet proxy --listen 127.0.0.1:7001 --to 127.0.0.1:7000 --latency 50ms --jitter 5ms
              gauntlet proxy --listen 127.0.0.1:7001 --to 127.0.0.1:7000 --refuse 10% --from 10s --until 20s
              gauntlet proxy --listen 127.0.0.1:7001 --to 127.0.0.1:7000 --latency-up 5ms --latency-down 50ms
            """)
        {
            listen, to, latency, jitter, latencyUp, latencyDown, jitterUp, jitterDown, direction, bandwidth, resetAfter, resetRate, blackhole, refuse, slowClose, from, until, seed,
        };
        command.SetAction(async (parse, _) =>
        {
            var errors = new List<string>();
            var options = new FaultProxyOptions { Seed = (int?)parse.GetValue(seed) };
            if (Read(parse.GetValue(latency), "--latency", Units.TryParseDuration, errors) is { } l) options = options with { Latency = l };
            if (Read(parse.GetValue(jitter), "--jitter", Units.TryParseDuration, errors) is { } j) options = options with { Jitter = j };
            if (Read(parse.GetValue(latencyUp), "--latency-up", Units.TryParseDuration, errors) is { } lu) options = options with { UpstreamLatency = lu };
            if (Read(parse.GetValue(latencyDown), "--latency-down", Units.TryParseDuration, errors) is { } ld) options = options with { DownstreamLatency = ld };
            if (Read(parse.GetValue(jitterUp), "--jitter-up", Units.TryParseDuration, errors) is { } ju) options = options with { UpstreamJitter = ju };
            if (Read(parse.GetValue(jitterDown), "--jitter-down", Units.TryParseDuration, errors) is { } jd) options = options with { DownstreamJitter = jd };
            options = parse.GetValue(direction) switch
            {
                "both" => options,
                "up" => options with { LatencyDirection = ProxyDirection.Upstream },
                "down" => options with { LatencyDirection = ProxyDirection.Downstream },
                var other => Invalid(options, errors, $"--direction expects both, up or down, found '{other}'"),
            };
            if (Read<long>(parse.GetValue(bandwidth), "--bandwidth", Units.TryParseSize, errors) is { } b) options = options with { BandwidthBytesPerSecond = b };
            if (Read<long>(parse.GetValue(resetAfter), "--reset-after", Units.TryParseSize, errors) is { } ra) options = options with { ResetAfterBytes = ra };
            if (Read<double>(parse.GetValue(resetRate), "--reset-rate", Units.TryParseRatio, errors) is { } rr) options = options with { ResetShare = rr };
            if (Read<double>(parse.GetValue(blackhole), "--blackhole", Units.TryParseRatio, errors) is { } bh) options = options with { BlackholeShare = bh };
            if (Read<double>(parse.GetValue(refuse), "--refuse", Units.TryParseRatio, errors) is { } rf) options = options with { RefuseShare = rf };
            if (Read(parse.GetValue(slowClose), "--slow-close", Units.TryParseDuration, errors) is { } sc) options = options with { SlowClose = sc };
            if (Read(parse.GetValue(from), "--from", Units.TryParseDuration, errors) is { } f) options = options with { From = f };
            if (Read(parse.GetValue(until), "--until", Units.TryParseDuration, errors) is { } u) options = options with { Until = u };
            errors.AddRange(options.Validate().Select(p => $"--{Flag(p.Path)}: {p.Message}"));
            var listenAt = Endpoint(parse.GetValue(listen)!, "--listen", errors, allowAnyPort: true);
            var target = Endpoint(parse.GetValue(to)!, "--to", errors);
            if (errors.Count > 0)
            {
                foreach (var error in errors) io.Error($"gauntlet proxy: {error}");
                return ExitCodes.InvalidInput;
            }
            FaultProxy proxy;
            try
            {
                proxy = FaultProxy.Start(listenAt!, target!, options);
            }
            catch (SocketException e)
            {
                io.Error($"gauntlet proxy: {ListeningSocket.CannotListen(listenAt!, e, "--listen port")}");
                return ExitCodes.TargetUnreachable;
            }
            await using (proxy.ConfigureAwait(false))
            {
                using var stop = new StopSignal();
                io.Out.WriteLine($"gauntlet proxy: listening on {proxy.EndPoint}, forwarding to {proxy.Target}: {options.Describe()} (Ctrl-C to stop)");
                var signal = await stop.Stopped.ConfigureAwait(false);
                var c = proxy.Counts;
                io.Out.WriteLine($"gauntlet proxy: {signal}: stopping; {c.Accepted} connections ({c.Refused} refused, {c.Blackholed} blackholed, {c.Reset} reset, {c.UpstreamFailures} not taken by the target), {c.BytesUp} B up, {c.BytesDown} B down");
            }
            return ExitCodes.Passed;
        });
        return command;
    }

    private static FaultProxyOptions Invalid(FaultProxyOptions options, List<string> errors, string message)
    {
        errors.Add(message);
        return options;
    }

    private static string Flag(string path) => path switch
    {
        "latency.up" => "latency-up",
        "latency.down" => "latency-down",
        "jitter.up" => "jitter-up",
        "jitter.down" => "jitter-down",
        "resetAfter" => "reset-after",
        "resetRate" => "reset-rate",
        "slowClose" => "slow-close",
        _ => path,
    };

    private delegate bool Parser<T>(string? text, out T value, out string? error);

    private static T? Read<T>(string? text, string flag, Parser<T> parse, List<string> errors) where T : struct
    {
        if (text is null) return null;
        if (parse(text, out var value, out var error)) return value;
        errors.Add($"{flag}: {error}");
        return null;
    }

    private static TimeSpan? Read(string? text, string flag, Parser<TimeSpan> parse, List<string> errors) => Read<TimeSpan>(text, flag, parse, errors);

    private static IPEndPoint? Endpoint(string text, string flag, List<string> errors, bool allowAnyPort = false)
    {
        if (!TcpAddress.TryParse(text, allowAnyPort, out var host, out var port, out var error))
        {
            errors.Add($"{flag}: {error}");
            return null;
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            errors.Add($"{flag}: expects an IP address such as 127.0.0.1:7000, found '{text}'");
            return null;
        }
        return new IPEndPoint(address, port);
    }
}
