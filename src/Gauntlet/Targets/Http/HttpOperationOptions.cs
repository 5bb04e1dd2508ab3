using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>Which HTTP version requests use.</summary>
public enum HttpVersionChoice
{
    /// <summary>HTTP/1.1 with keep-alive.</summary>
    Http11,
    /// <summary>HTTP/2: over TLS when the URL is https://, else cleartext with prior knowledge (h2c); never downgraded.</summary>
    Http2,
}

/// <summary>How requests are sent.</summary>
public enum HttpEngineChoice
{
    /// <summary>The raw HTTP/1.1 path when it can serve the scenario (http://, HTTP/1.1, no header checks), else HttpClient.</summary>
    Auto,
    /// <summary>Keep-alive connections on raw sockets, one per worker; HTTP/1.1 over http:// only.</summary>
    Raw,
    /// <summary>HttpClient (SocketsHttpHandler): HTTP/2, TLS, header checks.</summary>
    Client,
}

/// <summary>How a weighted mix picks the next kind.</summary>
public enum MixOrder
{
    /// <summary>A fixed interleaved cycle (smooth weighted round robin): weights 1:1 alternate exactly.</summary>
    Interleaved,
    /// <summary>A weighted random draw for every operation.</summary>
    Random,
}

/// <summary>Everything an HTTP operation needs: one request kind or a weighted mix, feeders, version and engine.</summary>
public sealed record HttpOperationOptions
{
    /// <summary>Creates options for one request kind or a mix of kinds.</summary>
    public HttpOperationOptions(IReadOnlyList<HttpRequestKind> requests) => Requests = requests;

    /// <summary>The request kinds; one, or several sent in proportion to their weights.</summary>
    public IReadOnlyList<HttpRequestKind> Requests { get; init; }

    /// <summary>The built-in HTTP server, started in-process for the run: <c>builtin:http</c>.</summary>
    public const string BuiltinHttp = "builtin:http";

    /// <summary>
    /// Where requests go when their URLs are paths: <see cref="BuiltinHttp"/> starts Gauntlet's built-in server
    /// (<see cref="BuiltinHttpServers"/>, from the package Gauntlet.Servers) on a free loopback port for the run, and every URL is then a path such as
    /// <c>/ok</c> or <c>/delay/{iteration}</c>. Null: every URL is a full <c>http://</c> or <c>https://</c> URL.
    /// </summary>
    public string? Target { get; init; }

    /// <summary>What a path becomes with <see cref="BuiltinHttp"/> (the connection goes to the server's real port).</summary>
    internal const string BuiltinBase = "http://127.0.0.1";

    /// <summary>The data feeders the templates read.</summary>
    public IReadOnlyList<Feeder> Feeders { get; init; } = [];

    /// <summary>HTTP version.</summary>
    public HttpVersionChoice Version { get; init; } = HttpVersionChoice.Http11;

    /// <summary>Raw sockets, HttpClient, or the best that fits.</summary>
    public HttpEngineChoice Engine { get; init; } = HttpEngineChoice.Auto;

    /// <summary>How a mix picks kinds.</summary>
    public MixOrder MixOrder { get; init; } = MixOrder.Interleaved;

    /// <summary>Accept any TLS certificate (self-signed test servers).</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// Connect once to each host before the run, so a server that is not there ends it with exit code 3 and one clear
    /// line. False for a target that refuses or resets on purpose, whose failures are the point of the run.
    /// </summary>
    public bool Probe { get; init; } = true;

    /// <summary>Time to open a connection before the attempt fails as <c>connect_timeout</c>.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>Default <see cref="ConnectTimeout"/>: 10 s.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The largest body kept for checks (bytes); a longer body fails its checks with a clear message.</summary>
    public long MaxCheckedBody { get; init; } = DefaultMaxCheckedBody;

    /// <summary>Default <see cref="MaxCheckedBody"/>: 64 MiB.</summary>
    public const long DefaultMaxCheckedBody = 64L * 1024 * 1024;

    /// <summary>
    /// Read every response as a stream of Server-Sent Events (YAML <c>stream: sse</c>), on the HttpClient engine; null
    /// reads whole bodies.
    /// </summary>
    public SseOptions? Sse { get; init; }

    /// <summary>True when the raw HTTP/1.1 path can send every kind.</summary>
    public bool RawPathFits => Version == HttpVersionChoice.Http11 && Sse is null
        && Requests.All(r => (Target is BuiltinHttp || r.Url.Text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) && r.Checks.All(c => c is not HttpCheck.Header));

    /// <summary>These options with every path URL made a full URL (with <see cref="BuiltinHttp"/>); the options themselves otherwise.</summary>
    internal HttpOperationOptions Resolved() => Target is BuiltinHttp ? this with { Requests = [.. Requests.Select(r => Resolve(r)!)] } : this;

    private HttpRequestKind? Resolve(HttpRequestKind? request)
    {
        if (request?.Url is null || Target is not BuiltinHttp || !request.Url.Text.StartsWith('/')) return request;
        // The path parsed on its own, so it parses behind the base too.
        Template.TryParse(BuiltinBase + request.Url.Text, Feeders, out var url, out _, out _);
        return request with { Url = url };
    }

    /// <summary>Every problem, each with its path.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        if (Target is not null and not BuiltinHttp)
            problems.Add("target", $"'{Target}' is not a built-in HTTP server; the built-in one is {BuiltinHttp} (for a server of your own, write full URLs)");
        else if (Target is BuiltinHttp && BuiltinHttpServers.Missing is { } missing) problems.Add("target", missing);
        if (Requests is null || Requests.Count == 0) problems.Add("needs a request (url) or a mix of them");
        else
        {
            for (var i = 0; i < Requests.Count; i++)
            {
                var at = Requests.Count == 1 ? problems : problems.At($"mix[{i}]");
                if (Target is BuiltinHttp && Requests[i]?.Url is { } url && !url.Text.StartsWith('/'))
                    at.Add("url", $"'{url.Text}' is not a path; with target: {BuiltinHttp} write the path on the built-in server, such as /ok or /delay/5");
                else Resolve(Requests[i])?.Validate(at);
            }
            var duplicate = Requests.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) problems.Add("mix", $"two kinds are named '{duplicate.Key}'; names must be unique");
        }
        if (Sse is not null) ValidateStream(problems);
        else if (Engine == HttpEngineChoice.Raw && Requests is { Count: > 0 } && !RawPathFits)
            problems.Add("engine", "the raw engine sends HTTP/1.1 over http:// without header checks; use engine: client (or auto) for HTTP/2, https:// or header checks");
        if (ConnectTimeout <= TimeSpan.Zero) problems.Add("connectTimeout", "must be positive");
        if (MaxCheckedBody < 1) problems.Add("maxCheckedBody", "must be positive");
        return problems.All;
    }

    private void ValidateStream(ProblemList problems)
    {
        Sse!.Validate(problems);
        if (Engine == HttpEngineChoice.Raw)
            problems.Add("engine", "stream: sse reads responses through HttpClient; use engine: client (or auto), or leave stream out");
        foreach (var (request, i) in (Requests ?? []).Select((r, i) => (r, i)))
        {
            if (request is null) continue;
            var at = Requests!.Count == 1 ? problems : problems.At($"mix[{i}]");
            if (string.Equals(request.Method, "HEAD", StringComparison.OrdinalIgnoreCase))
                at.Add("method", "a HEAD response has no body, so it carries no events; use GET or POST with stream: sse");
            if (request.Checks.Any(c => c.ReadsBody))
                at.Add("checks", "contains, regex and json checks read a whole body; with stream: sse check the events with lastEvent and minEvents (header checks still apply)");
        }
    }
}
