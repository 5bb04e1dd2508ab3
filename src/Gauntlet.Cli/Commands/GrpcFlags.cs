using System.CommandLine;
using System.Text;
using Gauntlet.Targets.Grpc;

namespace Gauntlet.Cli.Commands;

/// <summary>The flags of <c>gauntlet grpc</c>, and the scenario file they make.</summary>
internal sealed class GrpcFlags
{
    private const int DefaultConcurrency = 16;
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Without --threshold, a run passes only when every call ended with an expected status and passed its checks.</summary>
    private const string DefaultThreshold = "error_rate == 0%";

    private readonly Argument<string> _target = new("target") { Description = $"The server: http://HOST:PORT (clear-text HTTP/2), https://HOST:PORT, or {GrpcOptions.BuiltinHttp}.", HelpName = "target" };
    private readonly Option<string?> _proto = new("--proto") { Description = $"The .proto file that describes the service (optional with {GrpcOptions.BuiltinHttp}).", HelpName = "file" };
    private readonly Option<string?> _call = new("--call") { Description = "The method: package.Service/Method.", HelpName = "method" };
    private readonly Option<string> _data = new("--data", "-D") { Description = "The request message as JSON (proto3 JSON names), with {{iteration}}, {{worker}}, {{op}}.", DefaultValueFactory = _ => "{}", HelpName = "json" };
    private readonly Option<int> _concurrency = Flags.WholeNumber("--connections", "-c", 1, HttpCommand.MaxConnections, DefaultConcurrency);
    private readonly Option<int> _channels = Flags.WholeNumber("--channels", null, 1, GrpcOptions.MaxChannels, 1);
    private readonly Option<string?> _duration = new("--duration", "-d") { Description = $"How long to call, e.g. 10s, 1m (default {QuickYaml.Duration(DefaultDuration)}).", HelpName = "duration" };
    private readonly Option<long?> _requests = Flags.OptionalWholeNumber("--requests", "-n", 1, long.MaxValue);
    private readonly Option<string?> _rate = new("--rate", "-R") { Description = "Open model: this many calls per second (e.g. 1000 or 1000/s), latency from the intended start.", HelpName = "rate" };
    private readonly Option<string[]> _metadata = new("--header", "-H") { Description = "Request metadata (a header) 'key: value' (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "key: value" };
    private readonly Option<string?> _deadline = new("--deadline") { Description = "Each call's deadline (DEADLINE_EXCEEDED past it), e.g. 100ms.", HelpName = "duration" };
    private readonly Option<string?> _expect = new("--expect") { Description = "The statuses that count as ok, e.g. OK or OK,NOT_FOUND (default OK).", HelpName = "statuses" };
    private readonly Option<bool> _insecure = new("--insecure", "-k") { Description = "Accept any TLS certificate on https:// (self-signed), like curl -k." };
    private readonly Option<string?> _timeout = new("--timeout") { Description = $"Per-call timeout of the run (default {QuickYaml.Duration(DefaultTimeout)}).", HelpName = "duration" };
    private readonly Option<string[]> _threshold = new("--threshold") { Description = $"Pass/fail rule (repeatable), e.g. \"p99 < 10ms\"; default \"{DefaultThreshold}\".", AllowMultipleArgumentsPerToken = false, HelpName = "rule" };
    private readonly Option<string?> _output = new("--out", "-o") { Description = "Folder for result.json, report.md and report.html.", HelpName = "folder" };
    private readonly Option<string?> _warmup = new("--warmup") { Description = "Run load for this long first (e.g. 5s): warms the generator and the target, reported apart, judged by no threshold.", HelpName = "duration" };
    private readonly TelemetryFlags _telemetry = new();
    private readonly Option<bool> _printYaml = new("--print-yaml") { Description = "Print the scenario these flags make, as a file 'gauntlet run' takes, and exit." };

    public GrpcFlags()
    {
        _concurrency.Description = "Calls in flight (workers, closed model; ghz -c), or the in-flight cap with --rate.";
        _channels.Description = "HTTP/2 channels (connections) the workers share, like ghz --connections (default 1).";
        _requests.Description = "Make exactly this many calls instead of running for a duration.";
    }

    /// <summary>Adds the flags to <paramref name="command"/>, in the order its help lists them.</summary>
    public void AddTo(Command command)
    {
        command.Add(_target);
        foreach (var option in new Option[] { _proto, _call, _data, _concurrency, _channels, _duration, _requests, _rate, _metadata, _deadline, _expect, _insecure, _timeout, _threshold, _output, _warmup, _printYaml })
            command.Add(option);
        _telemetry.AddTo(command);
    }

    /// <summary>The target as given.</summary>
    public string Target(ParseResult parse) => parse.GetValue(_target)!;

    /// <summary>
    /// What the flags make: the scenario file's text, whether only to print it, and the results folder; null, with
    /// every wrong flag in <paramref name="problems"/>, when one is wrong. The .proto file, the method and the message
    /// are checked by the scenario file's reader, with the flags' names in its messages' paths.
    /// </summary>
    public QuickRun? Read(ParseResult parse, List<string> problems)
    {
        var target = parse.GetValue(_target)!.Trim();
        if (target != GrpcOptions.BuiltinHttp && !GrpcOptions.IsAddress(target))
            problems.Add($"'{target}' is not a server address such as http://127.0.0.1:8080 (scheme, host and port; no path), nor {GrpcOptions.BuiltinHttp}");
        var proto = parse.GetValue(_proto);
        if (proto is null && target != GrpcOptions.BuiltinHttp) problems.Add("--proto: give the .proto file that describes the service");
        if (proto is not null && !File.Exists(proto)) problems.Add($"--proto {proto}: there is no such file");
        var call = parse.GetValue(_call);
        if (string.IsNullOrWhiteSpace(call)) problems.Add("--call: give the method as package.Service/Method, such as gauntlet.echo.Echo/Say");
        var workers = parse.GetValue(_concurrency);
        var channels = parse.GetValue(_channels);
        var count = parse.GetValue(_requests);
        var runFor = Flags.PositiveDuration(parse.GetValue(_duration), _duration, problems);
        Flags.OneStop(parse, _duration, _requests, problems);
        var warmFor = Flags.PositiveDuration(parse.GetValue(_warmup), _warmup, problems);
        var perSecond = Flags.Rate(parse.GetValue(_rate), _rate, "calls", problems);
        var perCall = Flags.PositiveDuration(parse.GetValue(_timeout), _timeout, problems) ?? DefaultTimeout;
        var deadline = Flags.PositiveDuration(parse.GetValue(_deadline), _deadline, problems);
        var metadata = Flags.Pairs(parse.GetValue(_metadata), _metadata, "'key: value'", problems);
        var expect = new List<string>();
        if (parse.GetValue(_expect) is { } expectText)
        {
            foreach (var item in expectText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (GrpcStatuses.TryParse(item, out var code)) expect.Add(GrpcStatuses.Name(code));
                else problems.Add($"--expect: '{item}' is not a gRPC status; {DidYouMean.Hint(item.ToUpperInvariant(), [.. GrpcStatuses.All])}");
            }
        }
        var thresholds = parse.GetValue(_threshold) is { Length: > 0 } given ? given : [DefaultThreshold];
        foreach (var rule in thresholds)
            if (!Thresholds.Threshold.TryParse(rule, out _, out var thresholdError)) problems.Add($"--threshold '{rule}': {thresholdError!.Message}");
        var telemetry = _telemetry.Yaml(parse, problems);
        if (problems.Count > 0) return null;

        var yaml = new StringBuilder(QuickYaml.Header("gauntlet grpc"));
        yaml.Append($"name: {QuickYaml.Quote("grpc " + call!.Trim())}\n");
        yaml.Append("operation:\n  grpc:\n");
        yaml.Append($"    target: {QuickYaml.Quote(target)}\n");
        if (proto is not null) yaml.Append($"    proto: {QuickYaml.Quote(Path.GetFullPath(proto))}\n");
        yaml.Append($"    call: {QuickYaml.Quote(call.Trim())}\n");
        yaml.Append($"    message: {QuickYaml.Quote(parse.GetValue(_data)!)}\n");
        if (metadata.Count > 0)
            yaml.Append($"    metadata: {QuickYaml.Mapping(metadata)}\n");
        if (deadline is { } d) yaml.Append($"    deadline: {QuickYaml.Duration(d)}\n");
        if (expect.Count > 0) yaml.Append($"    expect: [{string.Join(", ", expect)}]\n");
        if (channels != 1) yaml.Append($"    channels: {channels}\n");
        if (parse.GetValue(_insecure)) yaml.Append("    insecure: true\n");
        QuickYaml.Load(yaml, perSecond, workers, warmFor, count, runFor ?? DefaultDuration);
        yaml.Append($"timeout: {QuickYaml.Duration(perCall)}\n");
        yaml.Append($"grace: {QuickYaml.Duration(perCall)}\n");
        yaml.Append($"thresholds: {QuickYaml.List(thresholds)}\n");
        yaml.Append(telemetry);
        return new QuickRun(yaml.ToString(), parse.GetValue(_printYaml), parse.GetValue(_output));
    }
}
