using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// One kind of request: what to send and what a good answer is. In a weighted mix each kind has a
/// <see cref="Name"/> and a <see cref="Weight"/>; a kind that <see cref="ExpectsRejection"/> counts a correct
/// rejection (by default any 4xx) as ok.
/// </summary>
public sealed record HttpRequestKind
{
    /// <summary>Creates a request for <paramref name="url"/>, e.g. <c>http://127.0.0.1:8080/tools/{{tool}}</c>.</summary>
    public HttpRequestKind(Template url) => Url = url;

    /// <summary>The kind's name in reports; <c>request</c> when a scenario sends one kind.</summary>
    public string Name { get; init; } = DefaultName;

    /// <summary>The name of a scenario's only kind of request.</summary>
    public const string DefaultName = "request";

    /// <summary>Relative weight in a mix: a kind with weight 3 is sent three times as often as one with weight 1.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>The method, e.g. <c>GET</c>, <c>POST</c>.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The absolute URL template (<c>http://</c> or <c>https://</c>).</summary>
    public Template Url { get; init; }

    /// <summary>Request headers, in order; values may hold placeholders.</summary>
    public IReadOnlyList<KeyValuePair<string, Template>> Headers { get; init; } = [];

    /// <summary>The body, or null for none.</summary>
    public HttpBody? Body { get; init; }

    /// <summary>Accepted status codes; null means 2xx/3xx, or 4xx when <see cref="ExpectsRejection"/>.</summary>
    public StatusSet? Status { get; init; }

    /// <summary>True when the target should reject this request: a rejection is this kind's ok.</summary>
    public bool ExpectsRejection { get; init; }

    /// <summary>Checks on the response beyond its status code.</summary>
    public IReadOnlyList<HttpCheck> Checks { get; init; } = [];

    /// <summary>The accepted status codes in effect.</summary>
    public StatusSet AcceptedStatus => Status ?? (ExpectsRejection ? StatusSet.Rejection : StatusSet.Success);

    /// <summary>True when a check reads the body, so the body is kept (up to <see cref="HttpOperationOptions.MaxCheckedBody"/>).</summary>
    public bool ReadsBody => Checks.Any(c => c.ReadsBody);

    internal void Validate(ProblemList problems)
    {
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("name", "is required");
        if (Weight < 1) problems.Add("weight", $"must be at least 1, found {Weight}");
        if (string.IsNullOrWhiteSpace(Method) || Method.Any(c => c <= ' ' || c >= 127))
            problems.Add("method", $"'{Method}' is not an HTTP method such as GET or POST");
        if (Url is null) problems.Add("url", "is required");
        else if (Url.Text.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) || Url.Text.StartsWith("wss://", StringComparison.OrdinalIgnoreCase))
            problems.Add("url", $"'{Url.Text}' is a WebSocket URL; use operation: websocket (with url: {Url.Text}) to send messages on it");
        else if (!Url.Text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !Url.Text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            problems.Add("url", $"'{Url.Text}' must start with http:// or https://");
        foreach (var (name, _) in Headers)
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => c <= ' ' || c == ':' || c >= 127))
                problems.Add("headers", $"'{name}' is not a header name");
    }
}
