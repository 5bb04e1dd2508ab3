using System.CommandLine;
using Gauntlet.Engine;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Spec;
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
    private static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(5);

    public static Command Create(CliConsole io)
    {
        var url = new Argument<string>("url") { Description = "The URL to request (http:// or https://)." };
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent connections (closed model), or the in-flight cap with --rate.", DefaultValueFactory = _ => DefaultConnections };
        var duration = new Option<string?>("--duration", "-d") { Description = "How long to send requests, e.g. 10s, 1m (default 10s)." };
        var requests = new Option<long?>("--requests", "-n") { Description = "Send exactly this many requests instead of running for a duration." };
        var rate = new Option<string?>("--rate", "-R") { Description = "Open model: this many requests per second (e.g. 1000 or 1000/s), latency from the intended start." };
        var method = new Option<string>("--method", "-m") { Description = "The request method.", DefaultValueFactory = _ => "GET" };
        var headers = new Option<string[]>("--header", "-H") { Description = "A request header 'Name: value' (repeatable).", AllowMultipleArgumentsPerToken = false };
        var body = new Option<string?>("--body") { Description = "The request body, as text." };
        var bodyFile = new Option<string?>("--body-file") { Description = "Send this file's bytes as the request body." };
        var http2 = new Option<bool>("--http2") { Description = "Speak HTTP/2 (h2c prior knowledge on http://, ALPN on https://); never downgraded." };
        var timeout = new Option<string?>("--timeout") { Description = "Per-request timeout (default 10s)." };
        var engine = new Option<string>("--engine") { Description = "auto (raw sockets for plain HTTP/1.1), raw or client (HttpClient).", DefaultValueFactory = _ => "auto" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Accept any TLS certificate (self-signed, expired, another name), like curl -k." };
        var output = new Option<string?>("--out", "-o") { Description = "Also write result.json and report.md to this folder." };
        var command = new Command("http", """
            A one-off HTTP load test, like wrk: N connections back to back for a duration or a request count,
            or an exact arrival rate with --rate (coordinated-omission-corrected latency, as in wrk2). Prints
            latency distribution, requests, status codes, errors, requests/s and transfer/s. Exit code 0 when
            the run completed with at least one ok response, 1 when none was ok, 2 for invalid flags, 3 when
            the target cannot be reached, 130 when interrupted.

            Examples:
              gauntlet http http://127.0.0.1:8080/ok -c 64 -d 10s
              gauntlet http http://127.0.0.1:8080/echo -m POST --body-file payload.json -H 'Content-Type: application/json' -n 1000
              gauntlet http http://127.0.0.1:8080/ok --rate 2000 -c 128 -d 30s
              gauntlet http http://127.0.0.1:8081/json --http2 -c 16 -d 5s
              gauntlet http https://127.0.0.1:8443/json -k --http2 -c 16 -d 5s   (against gauntlet serve http --tls)
            """)
        {
            url, connections, duration, requests, rate, method, headers, body, bodyFile, http2, timeout, engine, insecure, output,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var problems = new List<string>();
            var target = parse.GetValue(url)!;
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                problems.Add($"'{target}' is not an absolute http:// or https:// URL");
            var workers = parse.GetValue(connections);
            if (workers < 1) problems.Add($"--connections must be at least 1, found {workers}");
            var count = parse.GetValue(requests);
            if (count is < 1) problems.Add($"--requests must be at least 1, found {count}");
            TimeSpan? runFor = null;
            if (parse.GetValue(duration) is { } durationText)
            {
                if (!Units.TryParseDuration(durationText, out var d, out var error)) problems.Add($"--duration: {error}");
                else if (d <= TimeSpan.Zero) problems.Add("--duration must be positive");
                else runFor = d;
            }
            if (count is not null && parse.GetValue(duration) is not null) problems.Add("--duration and --requests both say when to stop; give one");
            double? perSecond = null;
            if (parse.GetValue(rate) is { } rateText)
            {
                var text = rateText.Contains('/') ? rateText : rateText + "/s";
                if (!Units.TryParseRate(text, out var r, out var error)) problems.Add($"--rate: {error}");
                else if (r <= 0) problems.Add("--rate must be positive");
                else perSecond = r;
            }
            var perRequest = DefaultTimeout;
            if (parse.GetValue(timeout) is { } timeoutText && (!Units.TryParseDuration(timeoutText, out perRequest, out var timeoutError) || perRequest <= TimeSpan.Zero))
                problems.Add($"--timeout: {(Units.TryParseDuration(timeoutText, out _, out var e2) ? "must be positive" : e2)}");
            var headerList = new List<KeyValuePair<string, Template>>();
            foreach (var header in parse.GetValue(headers) ?? [])
            {
                var colon = header.IndexOf(':');
                if (colon <= 0) problems.Add($"-H '{header}': expected 'Name: value'");
                else headerList.Add(new(header[..colon].Trim(), Template.Constant(header[(colon + 1)..].Trim())));
            }
            HttpBody? requestBody = null;
            if (parse.GetValue(body) is { } bodyText) requestBody = HttpBody.FromText(bodyText);
            if (parse.GetValue(bodyFile) is { } bodyPath)
            {
                if (requestBody is not null) problems.Add("--body and --body-file both give the body; give one");
                try
                {
                    requestBody = new HttpBody.Bytes(File.ReadAllBytes(bodyPath), bodyPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    problems.Add($"--body-file {bodyPath}: cannot read the file: {e.Message}");
                }
            }
            var engineChoice = parse.GetValue(engine) switch
            {
                "auto" => HttpEngineChoice.Auto,
                "raw" => HttpEngineChoice.Raw,
                "client" => HttpEngineChoice.Client,
                var other => Invalid(problems, $"--engine: expected auto, raw or client, found '{other}'"),
            };
            if (problems.Count > 0) return Fail(io, problems);

            var request = new HttpRequestKind(Template.Constant(target)) { Method = parse.GetValue(method)!.Trim().ToUpperInvariant(), Headers = headerList, Body = requestBody };
            var options = new HttpOperationOptions([request])
            {
                Version = parse.GetValue(http2) ? HttpVersionChoice.Http2 : HttpVersionChoice.Http11,
                Engine = engineChoice,
                Insecure = parse.GetValue(insecure),
            };
            HttpOperation operation;
            try
            {
                operation = new HttpOperation(options);
            }
            catch (ScenarioValidationException invalid)
            {
                return Fail(io, [.. invalid.Problems.Select(p => p.ToString())]);
            }

            if (await ReachAsync(uri!) is { } unreachable)
            {
                io.Error($"gauntlet http: cannot reach {uri!.Host}:{uri.Port}: {unreachable}; is the server running?");
                return ExitCodes.TargetUnreachable;
            }

            var stopAfter = count is null ? runFor ?? DefaultDuration : (TimeSpan?)null;
            // An open model with a duration gets it in its profile, so the schedule itself is that long.
            LoadProfile load = perSecond is { } arrivals ? LoadProfile.Open(arrivals, workers, stopAfter) : LoadProfile.Closed(workers);
            var scenario = Scenario.Create("http", operation.RunAsync).WithLoad(load).WithTimeout(perRequest).WithGracePeriod(perRequest);
            if (stopAfter is { } d2 && perSecond is null) scenario = scenario.WithDuration(d2);
            if (count is { } n) scenario = scenario.WithMaxIterations(n);

            using var interruption = new Interruption(io.Stderr);
            RunResult result;
            try
            {
                result = await new Runner().RunAsync(scenario, interruption.Token).ConfigureAwait(false);
            }
            catch (ScenarioValidationException invalid)
            {
                return Fail(io, [.. invalid.Problems.Select(p => p.ToString())]);
            }
            catch (Exception e)
            {
                io.Error($"gauntlet: internal error (please report it): {e}");
                return ExitCodes.HarnessError;
            }
            var scenarioResult = result.Scenarios.Count > 0 ? result.Scenarios[0] : null;
            if (scenarioResult is not null) io.Out.Write(new Text(HttpSummary.Render(scenarioResult, target)));
            if (parse.GetValue(output) is { } folder)
            {
                try
                {
                    Directory.CreateDirectory(folder);
                    await ResultFile.WriteAsync(result, Path.Combine(folder, ScenarioSession.ResultFileName)).ConfigureAwait(false);
                    await AtomicFile.WriteAllTextAsync(Path.Combine(folder, ScenarioSession.ReportFileName), MarkdownReport.Render(result), CancellationToken.None).ConfigureAwait(false);
                    io.Out.WriteLine($"result: {Path.Combine(folder, ScenarioSession.ResultFileName)}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    io.Error($"gauntlet http: could not write the results to '{folder}': {e.Message}");
                    return ExitCodes.HarnessError;
                }
            }
            if (result.Interrupted) return ExitCodes.Interrupted;
            if (scenarioResult is { Counts.Ok: 0, Counts.Completed: > 0 } && scenarioResult.Errors.All(e => HttpErrors.UnreachableKinds.Contains(e.Kind)))
                return ExitCodes.TargetUnreachable;
            return scenarioResult is { Counts.Ok: > 0 } ? ExitCodes.Passed : ExitCodes.Failed;
        });
        return command;
    }

    private static HttpEngineChoice Invalid(List<string> problems, string message)
    {
        problems.Add(message);
        return HttpEngineChoice.Auto;
    }

    private static int Fail(CliConsole io, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems) io.Error($"gauntlet http: {problem}");
        io.Error("gauntlet http: see 'gauntlet http --help' for usage");
        return ExitCodes.InvalidInput;
    }

    /// <summary>One TCP connection attempt, bounded; null when it connects, else why not.</summary>
    private static Task<string?> ReachAsync(Uri uri) => HttpOperation.ReachAsync(uri, ReachTimeout);
}
