using System.CommandLine;
using System.Text;
using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Http;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>gauntlet http URL [-c 64] [-d 10s | -n N] [--rate R] [-m METHOD] [-H 'K: V']... [--body TEXT | --body-file FILE] [--http2]</c>:
/// a one-off load test in the manner of wrk, with a wrk-like summary.
/// </summary>
internal static class HttpCommand
{
    private const int DefaultConnections = 64;
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The most connections one run may ask for: beyond it a typo (an extra zero) rather than a plan.</summary>
    internal const int MaxConnections = 1_000_000;

    internal const string NoThreads = "Gauntlet has no thread count to set (its sockets run on one reactor per two cores); use -c for connections";

    public static Command Create(CliConsole io)
    {
        var url = new Argument<string>("url") { Description = "The URL to request (http:// or https://)." };
        var connections = Flags.WholeNumber("--connections", "-c", 1, MaxConnections, DefaultConnections);
        connections.Description = "Concurrent connections (closed model), or the in-flight cap with --rate.";
        var duration = new Option<string?>("--duration", "-d") { Description = $"How long to send requests, e.g. 10s, 1m (default {QuickYaml.Duration(DefaultDuration)}).", HelpName = "duration" };
        var requests = Flags.OptionalWholeNumber("--requests", "-n", 1, long.MaxValue);
        requests.Description = "Send exactly this many requests instead of running for a duration.";
        var rate = new Option<string?>("--rate", "-R") { Description = "Open model: this many requests per second (e.g. 1000 or 1000/s), latency from the intended start.", HelpName = "rate" };
        var method = new Option<string>("--method", "-m") { Description = "The request method.", DefaultValueFactory = _ => "GET", HelpName = "method" };
        var headers = new Option<string[]>("--header", "-H") { Description = "A request header 'Name: value' (repeatable).", AllowMultipleArgumentsPerToken = false, HelpName = "name: value" };
        var body = new Option<string?>("--body") { Description = "The request body, as text.", HelpName = "text" };
        var bodyFile = new Option<string?>("--body-file") { Description = "Send this file's bytes as the request body.", HelpName = "file" };
        var http2 = new Option<bool>("--http2") { Description = "Speak HTTP/2 (h2c prior knowledge on http://, ALPN on https://); never downgraded." };
        var timeout = new Option<string?>("--timeout") { Description = $"Per-request timeout (default {QuickYaml.Duration(DefaultTimeout)}).", HelpName = "duration" };
        var engine = new Option<string>("--engine") { Description = "auto (raw sockets for plain HTTP/1.1), raw or client (HttpClient).", DefaultValueFactory = _ => "auto", HelpName = "auto|raw|client" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Accept any TLS certificate (self-signed, expired, another name), like curl -k." };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for result.json, report.md and report.html.", HelpName = "folder" };
        var threshold = new Option<string[]>("--threshold") { Description = "Pass/fail rule (repeatable), e.g. \"p99 < 10ms\", \"error_rate < 1%\"; without one, the run fails only when no request succeeded.", AllowMultipleArgumentsPerToken = false, HelpName = "rule" };
        var warmup = new Option<string?>("--warmup") { Description = "Run load for this long first (e.g. 5s): warms the generator and the target, reported apart, judged by no threshold.", HelpName = "duration" };
        var printYaml = new Option<bool>("--print-yaml") { Description = "Print the scenario these flags make, as a file 'gauntlet run' takes, and exit." };
        // wrk users type -t (threads) by habit; Gauntlet has none to set, and saying so beats an unknown-flag error
        // (or, with the flag before the URL, an error about the URL). Hidden: it is not a flag to use.
        var threads = new Option<string?>("--threads", "-t") { Hidden = true, HelpName = "n" };
        threads.Validators.Add(result => result.AddError($"{Flags.Label(threads)}: {NoThreads}"));
        var command = new Command("http", """
            A one-off HTTP load test, like wrk: N connections back to back for a duration or a request count,
            or an exact arrival rate with --rate (coordinated-omission-corrected latency, as in wrk2). The
            flags make a scenario (--print-yaml shows it) that runs exactly as 'gauntlet run' would run it:
            the same summary, acceptance table and reports (result.json, report.md, report.html), then a
            wrk-like summary: latency distribution, requests, status codes, errors, requests/s, transfer/s.
            Exit code 0 when every --threshold passes (without one: when any request succeeded), 1 when one
            fails or no request succeeded, 2 for invalid flags, 3 when the target cannot be reached, 130
            when interrupted (the partial result is still written).

            Examples:
              gauntlet http http://127.0.0.1:8080/ok -c 64 -d 10s
              gauntlet http http://127.0.0.1:8080/echo -m POST --body-file payload.json -H 'Content-Type: application/json' -n 1000
              gauntlet http http://127.0.0.1:8080/ok --rate 2000 -c 128 -d 30s
              gauntlet http http://127.0.0.1:8081/json --http2 -c 16 -d 5s
              gauntlet http https://127.0.0.1:8443/json -k --http2 -c 16 -d 5s   (against gauntlet serve http --tls)
              gauntlet http http://127.0.0.1:8080/ok -c 64 -d 30s --threshold 'p99 < 20ms' --threshold 'error_rate < 1%'
              gauntlet http http://127.0.0.1:8080/ok -c 64 -d 30s --print-yaml > ok.yaml
            """)
        {
            url, connections, duration, requests, rate, method, headers, body, bodyFile, http2, timeout, engine, insecure, threshold, output, warmup, printYaml, threads,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var problems = new List<string>();
            var target = parse.GetValue(url)!;
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                problems.Add($"'{target}' is not an absolute http:// or https:// URL");
            // Whole numbers (-c, -n) were checked while parsing; what is left are the values with units.
            var workers = parse.GetValue(connections);
            var count = parse.GetValue(requests);
            var runFor = Flags.PositiveDuration(parse.GetValue(duration), duration, problems);
            if (count is not null && parse.GetValue(duration) is not null) problems.Add("-d/--duration and -n/--requests both say when to stop; give one");
            var warmFor = Flags.PositiveDuration(parse.GetValue(warmup), warmup, problems);
            double? perSecond = null;
            if (parse.GetValue(rate) is { } rateText)
            {
                var text = rateText.Contains('/') ? rateText : rateText + "/s";
                if (Units.TryParseRate(text, out var r, out _) && r > 0) perSecond = r;
                else problems.Add($"{Flags.Label(rate)}: expected requests per second above 0, such as 1000 or 1000/s, found '{rateText}'");
            }
            var perRequest = Flags.PositiveDuration(parse.GetValue(timeout), timeout, problems) ?? DefaultTimeout;
            var headerList = new List<KeyValuePair<string, string>>();
            foreach (var header in parse.GetValue(headers) ?? [])
            {
                var colon = header.IndexOf(':');
                if (colon <= 0) problems.Add($"{Flags.Label(headers)}: expected 'Name: value', found '{header}'");
                else headerList.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
            }
            if (parse.GetValue(body) is not null && parse.GetValue(bodyFile) is not null) problems.Add("--body and --body-file both give the body; give one");
            if (parse.GetValue(bodyFile) is { } bodyPath)
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
            var engineName = parse.GetValue(engine)!;
            if (engineName is not ("auto" or "raw" or "client")) problems.Add($"{Flags.Label(engine)}: expected auto, raw or client, found '{engineName}'");
            var thresholds = parse.GetValue(threshold) ?? [];
            for (var i = 0; i < thresholds.Length; i++)
                if (!Thresholds.Threshold.TryParse(thresholds[i], out _, out var thresholdError))
                    problems.Add($"--threshold '{thresholds[i]}': {thresholdError!.Message}");
            if (problems.Count > 0) return Fail(io, problems);

            var yaml = new StringBuilder(QuickYaml.Header("gauntlet http"));
            yaml.Append("name: http\n");
            yaml.Append("operation:\n  http:\n");
            yaml.Append($"    url: {QuickYaml.Quote(target)}\n");
            yaml.Append($"    method: {QuickYaml.Quote(parse.GetValue(method)!.Trim().ToUpperInvariant())}\n");
            if (headerList.Count > 0)
                yaml.Append("    headers: { ").Append(string.Join(", ", headerList.Select(h => $"{QuickYaml.Quote(h.Key)}: {QuickYaml.Quote(h.Value)}"))).Append(" }\n");
            if (parse.GetValue(body) is { } bodyText) yaml.Append($"    body: {QuickYaml.Quote(bodyText)}\n");
            if (parse.GetValue(bodyFile) is { } bodyFilePath) yaml.Append($"    bodyFile: {QuickYaml.Quote(Path.GetFullPath(bodyFilePath))}\n");
            if (parse.GetValue(http2)) yaml.Append("    version: \"2\"\n");
            if (engineName != "auto") yaml.Append($"    engine: {engineName}\n");
            if (parse.GetValue(insecure)) yaml.Append("    insecure: true\n");
            yaml.Append(perSecond is { } arrivals
                ? $"load:\n  open: {{ rate: {QuickYaml.Rate(arrivals)}, maxInFlight: {workers} }}\n"
                : $"load:\n  closed: {{ workers: {workers} }}\n");
            if (warmFor is { } warm) yaml.Append($"warmup: {QuickYaml.Duration(warm)}\n");
            if (count is { } n) yaml.Append($"iterations: {n}\n");
            else yaml.Append($"duration: {QuickYaml.Duration(runFor ?? DefaultDuration)}\n");
            yaml.Append($"timeout: {QuickYaml.Duration(perRequest)}\n");
            // In-flight requests may finish within their own timeout once issuing stops.
            yaml.Append($"grace: {QuickYaml.Duration(perRequest)}\n");
            if (thresholds.Length > 0) yaml.Append($"thresholds: {QuickYaml.List(thresholds)}\n");

            if (parse.GetValue(printYaml))
            {
                io.Out.Write(new Text(yaml.ToString()));
                return ExitCodes.Passed;
            }
            if (QuickYaml.Load(yaml.ToString(), "gauntlet http", io) is not { } loaded) return ExitCodes.InvalidInput;
            var outputs = SessionOutputs.None with { Summary = scenario => HttpSummary.Render(scenario, target) };
            return await ScenarioSession.RunAsync(loaded.Scenarios, parse.GetValue(output) ?? ScenarioSession.DefaultOutputFolder(), io, outputs).ConfigureAwait(false);
        });
        return command;
    }

    private static int Fail(CliConsole io, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems) io.Error($"gauntlet http: {problem}");
        io.Error("gauntlet http: see 'gauntlet http --help' for usage");
        return ExitCodes.InvalidInput;
    }
}
