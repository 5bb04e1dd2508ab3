using System.CommandLine;
using System.Net;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Tcp;

namespace Gauntlet.Cli.Commands;

/// <summary>The flags of <c>gauntlet proxy</c>, and the addresses and fault options they make.</summary>
internal sealed class ProxyFlags
{
    private readonly Option<string> _listen = new("--listen") { Description = "Address to listen on, e.g. 127.0.0.1:7001 (port 0 picks a free one).", Required = true, HelpName = "address:port" };
    private readonly Option<string> _to = new("--to") { Description = "Server to forward to, e.g. 127.0.0.1:7000.", Required = true, HelpName = "host:port" };
    private readonly Option<string?> _latency = new("--latency") { Description = "Latency added to each chunk, e.g. 50ms.", HelpName = "duration" };
    private readonly Option<string?> _jitter = new("--jitter") { Description = "Uniform jitter around the latency, e.g. 5ms.", HelpName = "duration" };
    private readonly Option<string?> _latencyUp = new("--latency-up") { Description = "Latency of requests only (client to server), e.g. 10ms; overrides --latency for them.", HelpName = "duration" };
    private readonly Option<string?> _latencyDown = new("--latency-down") { Description = "Latency of replies only (server to client), e.g. 50ms; overrides --latency for them.", HelpName = "duration" };
    private readonly Option<string?> _jitterUp = new("--jitter-up") { Description = "Jitter of requests only, e.g. 2ms.", HelpName = "duration" };
    private readonly Option<string?> _jitterDown = new("--jitter-down") { Description = "Jitter of replies only, e.g. 5ms.", HelpName = "duration" };
    private readonly Option<string> _direction = new("--direction") { Description = "Where latency applies: both, up (requests) or down (replies).", DefaultValueFactory = _ => "both", HelpName = "both|up|down" };
    private readonly Option<string?> _bandwidth = new("--bandwidth") { Description = "Bytes per second per connection and direction, e.g. 1MB.", HelpName = "bytes" };
    private readonly Option<string?> _resetAfter = new("--reset-after") { Description = "Reset each connection after this many bytes, e.g. 4KB.", HelpName = "bytes" };
    private readonly Option<string?> _resetRate = new("--reset-rate") { Description = "Share of connections reset on their first bytes, e.g. 1%.", HelpName = "percent" };
    private readonly Option<string?> _blackhole = new("--blackhole") { Description = "Share of connections accepted and never forwarded, e.g. 100%.", HelpName = "percent" };
    private readonly Option<string?> _refuse = new("--refuse") { Description = "Share of new connections reset at once, e.g. 10%.", HelpName = "percent" };
    private readonly Option<string?> _slowClose = new("--slow-close") { Description = "Delay before passing on a close, e.g. 2s.", HelpName = "duration" };
    private readonly Option<string?> _from = new("--from") { Description = "Faults start this long after the proxy, e.g. 10s.", HelpName = "duration" };
    private readonly Option<string?> _until = new("--until") { Description = "Faults stop this long after the proxy, e.g. 20s.", HelpName = "duration" };
    private readonly Option<long?> _seed = Flags.OptionalWholeNumber("--seed", null, 0, int.MaxValue);

    public ProxyFlags()
    {
        _seed.Description = "Seed for jitter and shares, for a repeatable run.";
    }

    /// <summary>Adds the flags to <paramref name="command"/>, in the order its help lists them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            _listen, _to, _latency, _jitter, _latencyUp, _latencyDown, _jitterUp, _jitterDown, _direction, _bandwidth,
            _resetAfter, _resetRate, _blackhole, _refuse, _slowClose, _from, _until, _seed,
        })
            command.Add(option);
    }

    /// <summary>
    /// What the flags make: where to listen, where to forward and the validated fault options; null, with every wrong
    /// flag in <paramref name="errors"/>, when one is wrong.
    /// </summary>
    public ProxySettings? Read(ParseResult parse, List<string> errors)
    {
        var options = ReadOptions(parse, errors);
        errors.AddRange(options.Validate().Select(p => $"--{Flag(p.Path)}: {p.Message}"));
        var listenAt = Endpoint(parse.GetValue(_listen)!, "--listen", errors, allowAnyPort: true);
        var target = Endpoint(parse.GetValue(_to)!, "--to", errors);
        return errors.Count > 0 ? null : new ProxySettings(listenAt!, target!, options);
    }

    private FaultProxyOptions ReadOptions(ParseResult parse, List<string> errors)
    {
        var options = new FaultProxyOptions { Seed = (int?)parse.GetValue(_seed) };
        if (ReadValue(parse.GetValue(_latency), "--latency", Units.TryParseDuration, errors) is { } l) options = options with { Latency = l };
        if (ReadValue(parse.GetValue(_jitter), "--jitter", Units.TryParseDuration, errors) is { } j) options = options with { Jitter = j };
        if (ReadValue(parse.GetValue(_latencyUp), "--latency-up", Units.TryParseDuration, errors) is { } lu) options = options with { UpstreamLatency = lu };
        if (ReadValue(parse.GetValue(_latencyDown), "--latency-down", Units.TryParseDuration, errors) is { } ld) options = options with { DownstreamLatency = ld };
        if (ReadValue(parse.GetValue(_jitterUp), "--jitter-up", Units.TryParseDuration, errors) is { } ju) options = options with { UpstreamJitter = ju };
        if (ReadValue(parse.GetValue(_jitterDown), "--jitter-down", Units.TryParseDuration, errors) is { } jd) options = options with { DownstreamJitter = jd };
        options = parse.GetValue(_direction) switch
        {
            "both" => options,
            "up" => options with { LatencyDirection = ProxyDirection.Upstream },
            "down" => options with { LatencyDirection = ProxyDirection.Downstream },
            var other => Invalid(options, errors, $"--direction expects both, up or down, found '{other}'"),
        };
        if (ReadValue<long>(parse.GetValue(_bandwidth), "--bandwidth", Units.TryParseSize, errors) is { } b) options = options with { BandwidthBytesPerSecond = b };
        if (ReadValue<long>(parse.GetValue(_resetAfter), "--reset-after", Units.TryParseSize, errors) is { } ra) options = options with { ResetAfterBytes = ra };
        if (ReadValue<double>(parse.GetValue(_resetRate), "--reset-rate", Units.TryParseRatio, errors) is { } rr) options = options with { ResetShare = rr };
        if (ReadValue<double>(parse.GetValue(_blackhole), "--blackhole", Units.TryParseRatio, errors) is { } bh) options = options with { BlackholeShare = bh };
        if (ReadValue<double>(parse.GetValue(_refuse), "--refuse", Units.TryParseRatio, errors) is { } rf) options = options with { RefuseShare = rf };
        if (ReadValue(parse.GetValue(_slowClose), "--slow-close", Units.TryParseDuration, errors) is { } sc) options = options with { SlowClose = sc };
        if (ReadValue(parse.GetValue(_from), "--from", Units.TryParseDuration, errors) is { } f) options = options with { From = f };
        if (ReadValue(parse.GetValue(_until), "--until", Units.TryParseDuration, errors) is { } u) options = options with { Until = u };
        return options;
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

    private static T? ReadValue<T>(string? text, string flag, Parser<T> parse, List<string> errors) where T : struct
    {
        if (text is null) return null;
        if (parse(text, out var value, out var error)) return value;
        errors.Add($"{flag}: {error}");
        return null;
    }

    private static TimeSpan? ReadValue(string? text, string flag, Parser<TimeSpan> parse, List<string> errors) => ReadValue<TimeSpan>(text, flag, parse, errors);

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

/// <summary>What <c>gauntlet proxy</c>'s flags make: the address to listen on, the server to forward to and the validated fault options.</summary>
internal sealed record ProxySettings(IPEndPoint ListenAt, IPEndPoint Target, FaultProxyOptions Options);
