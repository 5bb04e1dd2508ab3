using System.CommandLine;
using System.Text;

namespace Gauntlet.Cli.Commands;

/// <summary>The flags of <c>gauntlet http</c>, and the scenario file they make.</summary>
internal sealed class HttpFlags
{
    private const int DefaultConnections = 64;
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Argument<string> _url = new("url") { Description = "The URL to request (http:// or https://)." };
    private readonly Option<int> _connections = Flags.WholeNumber("--connections", "-c", 1, HttpCommand.MaxConnections, DefaultConnections);
    private readonly Option<string?> _duration = new("--duration", "-d") { Description = $"How long to send requests, e.g. 10s, 1m (default {QuickYaml.Duration(DefaultDuration)}).", HelpName = "duration" };
    private readonly Option<long?> _requests = Flags.OptionalWholeNumber("--requests", "-n", 1, long.MaxValue);
    private readonly Option<string?> _rate = new("--rate", "-R") { Description = "Open model: this many requests per second (e.g. 1000 or 1000/s), latency from the intended start.", HelpName = "rate" };
    private readonly Option<string> _method = new("--method", "-m") { Description = "The request method.", DefaultValueFactory = _ => "GET", HelpName = "method" };
    private readonly Option<string[]> _headers = new("--header", "-H") { Description = "A request header 'Name: value' (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "name: value" };
    private readonly Option<string?> _body = new("--body") { Description = "The request body, as text.", HelpName = "text" };
    private readonly Option<string?> _bodyFile = new("--body-file") { Description = "Send this file's bytes as the request body.", HelpName = "file" };
    private readonly Option<bool> _http2 = new("--http2") { Description = "Speak HTTP/2 (h2c prior knowledge on http://, ALPN on https://); never downgraded." };
    private readonly Option<string?> _timeout = new("--timeout") { Description = $"Per-request timeout (default {QuickYaml.Duration(DefaultTimeout)}).", HelpName = "duration" };
    private readonly Option<string> _engine = new("--engine") { Description = "auto (raw sockets for plain HTTP/1.1), raw or client (HttpClient).", DefaultValueFactory = _ => "auto", HelpName = "auto|raw|client" };
    private readonly Option<bool> _sse = new("--sse") { Description = "Read each response as Server-Sent Events (text/event-stream): time to first event, gaps, events per stream; a stream cut short fails as sse_cut." };
    private readonly Option<string?> _sseUntil = new("--sse-until") { Description = "With --sse: the data of the event that ends a stream, e.g. [DONE]; a stream closed before it is cut (implies --sse).", HelpName = "data" };
    private readonly Option<bool> _insecure = new("--insecure", "-k") { Description = "Accept any TLS certificate (self-signed, expired, another name), like curl -k." };
    private readonly Option<string?> _output = new("--out", "-o") { Description = "Folder for result.json, report.md and report.html.", HelpName = "folder" };
    private readonly Option<string[]> _threshold = new("--threshold") { Description = "Pass/fail rule (repeatable), e.g. \"p99 < 10ms\", \"error_rate < 1%\"; without one, the run fails only when no request succeeded.", AllowMultipleArgumentsPerToken = false, HelpName = "rule" };
    private readonly AbortOnFlag _abortOn = new();
    private readonly Option<string?> _warmup = new("--warmup") { Description = "Run load for this long first (e.g. 5s): warms the generator and the target, reported apart, judged by no threshold.", HelpName = "duration" };
    private readonly Option<bool> _acceptInvalid = new("--accept-invalid") { Description = "With --rate: judge the run by its thresholds even when Gauntlet itself limited it (dropped or late arrivals, its CPU saturated); those become warnings instead of an INVALID verdict (exit 6)." };
    private readonly TelemetryFlags _telemetry = new();
    private readonly Option<bool> _printYaml = new("--print-yaml") { Description = "Print the scenario these flags make, as a file 'gauntlet run' takes, and exit." };
    // wrk users type -t (threads) by habit; Gauntlet has none to set, and saying so beats an unknown-flag error
    // (or, with the flag before the URL, an error about the URL). Hidden: it is not a flag to use.
    private readonly Option<string?> _threads = new("--threads", "-t") { Hidden = true, HelpName = "n" };

    public HttpFlags()
    {
        _connections.Description = "Concurrent connections (closed model), or the in-flight cap with --rate.";
        _requests.Description = "Send exactly this many requests instead of running for a duration.";
        _threads.Validators.Add(result => result.AddError($"{Flags.Label(_threads)}: {HttpCommand.NoThreads}"));
    }

    /// <summary>Adds the flags to <paramref name="command"/>, in the order its help lists them.</summary>
    public void AddTo(Command command)
    {
        command.Add(_url);
        foreach (var option in new Option[] { _connections, _duration, _requests, _rate, _method, _headers, _body, _bodyFile, _http2, _timeout, _engine, _sse, _sseUntil, _insecure, _threshold, _abortOn.Option, _acceptInvalid, _output, _warmup, _printYaml, _threads })
            command.Add(option);
        _telemetry.AddTo(command);
    }

    /// <summary>The URL the requests go to, as given.</summary>
    public string Url(ParseResult parse) => parse.GetValue(_url)!;

    /// <summary>
    /// What the flags make: the scenario file's text, whether only to print it, and the results folder; null, with
    /// every wrong flag in <paramref name="problems"/>, when one is wrong.
    /// </summary>
    public QuickRun? Read(ParseResult parse, List<string> problems)
    {
        var target = parse.GetValue(_url)!;
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            problems.Add(uri?.Scheme is "ws" or "wss"
                ? $"'{target}' is a WebSocket URL; use 'gauntlet websocket {target}'"
                : $"'{target}' is not an absolute http:// or https:// URL");
        // Whole numbers (-c, -n) were checked while parsing; what is left are the values with units.
        var workers = parse.GetValue(_connections);
        var count = parse.GetValue(_requests);
        var runFor = Flags.PositiveDuration(parse.GetValue(_duration), _duration, problems);
        Flags.OneStop(parse, _duration, _requests, problems);
        var warmFor = Flags.PositiveDuration(parse.GetValue(_warmup), _warmup, problems);
        var perSecond = Flags.Rate(parse.GetValue(_rate), _rate, "requests", problems);
        var perRequest = Flags.PositiveDuration(parse.GetValue(_timeout), _timeout, problems) ?? DefaultTimeout;
        var headerList = Flags.Pairs(parse.GetValue(_headers), _headers, "'Name: value'", problems);
        if (parse.GetValue(_body) is not null && parse.GetValue(_bodyFile) is not null) problems.Add("--body and --body-file both give the body; give one");
        if (parse.GetValue(_bodyFile) is { } bodyPath)
        {
            try
            {
                using var readable = File.OpenRead(bodyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"--body-file {bodyPath}: cannot read the file: {e.Message}");
            }
        }
        var engineName = parse.GetValue(_engine)!;
        if (engineName is not ("auto" or "raw" or "client")) problems.Add($"{Flags.Label(_engine)}: expected auto, raw or client, found '{engineName}'");
        var sse = parse.GetValue(_sse) || parse.GetValue(_sseUntil) is not null;
        if (sse && engineName == "raw") problems.Add("--sse reads responses through HttpClient; leave out --engine raw (or use --engine client)");
        if (sse && parse.GetValue(_method)!.Trim().Equals("HEAD", StringComparison.OrdinalIgnoreCase)) problems.Add("--sse needs a response body, and a HEAD response has none; use GET or POST");
        if (parse.GetValue(_sseUntil) is { Length: 0 }) problems.Add("--sse-until: give the data of the event that ends a stream, such as [DONE]");
        var thresholds = parse.GetValue(_threshold) ?? [];
        for (var i = 0; i < thresholds.Length; i++)
            if (!Thresholds.Threshold.TryParse(thresholds[i], out _, out var thresholdError))
                problems.Add($"--threshold '{thresholds[i]}': {thresholdError!.Message}");
        var abortOn = _abortOn.Read(parse, problems);
        var telemetry = _telemetry.Yaml(parse, problems);
        if (problems.Count > 0) return null;

        var yaml = new StringBuilder(QuickYaml.Header("gauntlet http"));
        yaml.Append("name: http\n");
        yaml.Append("operation:\n  http:\n");
        yaml.Append($"    url: {QuickYaml.Quote(target)}\n");
        yaml.Append($"    method: {QuickYaml.Quote(parse.GetValue(_method)!.Trim().ToUpperInvariant())}\n");
        if (headerList.Count > 0)
            yaml.Append($"    headers: {QuickYaml.Mapping(headerList)}\n");
        if (parse.GetValue(_body) is { } bodyText) yaml.Append($"    body: {QuickYaml.Quote(bodyText)}\n");
        if (parse.GetValue(_bodyFile) is { } bodyFilePath) yaml.Append($"    bodyFile: {QuickYaml.Quote(Path.GetFullPath(bodyFilePath))}\n");
        if (parse.GetValue(_http2)) yaml.Append("    version: \"2\"\n");
        if (engineName != "auto") yaml.Append($"    engine: {engineName}\n");
        if (parse.GetValue(_insecure)) yaml.Append("    insecure: true\n");
        if (sse) yaml.Append("    stream: sse\n");
        if (parse.GetValue(_sseUntil) is { Length: > 0 } until) yaml.Append($"    until: {QuickYaml.Quote(until)}\n");
        QuickYaml.Load(yaml, perSecond, workers, warmFor, count, runFor ?? DefaultDuration);
        yaml.Append($"timeout: {QuickYaml.Duration(perRequest)}\n");
        // In-flight requests may finish within their own timeout once issuing stops.
        yaml.Append($"grace: {QuickYaml.Duration(perRequest)}\n");
        if (thresholds.Length > 0 || abortOn.Length > 0)
            yaml.Append(AbortOnFlag.Yaml(thresholds, abortOn));
        if (parse.GetValue(_acceptInvalid)) yaml.Append("validity: { accept: true }\n");

        yaml.Append(telemetry);
        return new QuickRun(yaml.ToString(), parse.GetValue(_printYaml), parse.GetValue(_output));
    }
}
