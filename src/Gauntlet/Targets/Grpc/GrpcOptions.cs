using Gauntlet.Scenarios;
using Gauntlet.Targets.Http;
using Grpc.Core;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// Everything a gRPC operation needs: where to call, the <c>.proto</c> file that describes the service (read at run
/// time; no generated code), the method, the request message as a JSON template, metadata, deadline, the statuses
/// that count as success and checks on the response's JSON.
/// </summary>
public sealed record GrpcOptions
{
    /// <summary>Options to call <paramref name="call"/> (<c>package.Service/Method</c>) at <paramref name="target"/> with the request <paramref name="message"/> (JSON).</summary>
    public GrpcOptions(string target, string call, Template message)
    {
        Target = target;
        Call = call;
        Message = message;
    }

    private readonly Template _message = null!;

    /// <summary>The built-in server (<c>builtin:http</c>), started in-process for the run, speaking clear-text HTTP/2, with the service <c>gauntlet.echo.Echo</c> (<see cref="GrpcEcho"/>).</summary>
    public const string BuiltinHttp = HttpOperationOptions.BuiltinHttp;

    /// <summary>Where to call: <c>http://host:port</c> (clear-text HTTP/2, prior knowledge), <c>https://host:port</c>, or <see cref="BuiltinHttp"/>.</summary>
    public string Target { get; init; }

    /// <summary>The <c>.proto</c> file that describes the service (imports are read from its folder); null with <see cref="BuiltinHttp"/> for the built-in echo service's.</summary>
    public string? Proto { get; init; }

    /// <summary>The method: <c>package.Service/Method</c>. Unary and server-streaming methods are supported.</summary>
    public string Call { get; init; }

    /// <summary>
    /// The request message as JSON (proto3 JSON names), with <c>{{iteration}}</c>, <c>{{worker}}</c>, <c>{{op}}</c> and
    /// feeder placeholders. A placeholder inside a JSON string (<c>"text": "{{name}}"</c>) is filled with its value
    /// escaped as JSON (a quote, a backslash, a newline stay text); one outside a string (<c>"n": {{id}}</c>) with the
    /// value as it is.
    /// </summary>
    public Template Message
    {
        get => _message;
        init => _message = value?.ForJson()!;
    }

    /// <summary>The data feeders the message template reads.</summary>
    public IReadOnlyList<Feeder> Feeders { get; init; } = [];

    /// <summary>Request metadata (headers), sent with every call.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>The deadline of each call; a call past it ends with DEADLINE_EXCEEDED (error kind <c>grpc_DEADLINE_EXCEEDED</c>). Null: none.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>The statuses a call may end with and count as ok; default OK only. A call that ends otherwise fails with kind <c>grpc_STATUS</c>.</summary>
    public IReadOnlyList<StatusCode> Expect { get; init; } = [StatusCode.OK];

    /// <summary>Checks on each response message as JSON (contains, regex, json path equals); header checks do not apply.</summary>
    public IReadOnlyList<HttpCheck> Checks { get; init; } = [];

    /// <summary>Channels (each an HTTP/2 connection, which opens another when its streams run out) the workers share, worker i on channel i mod N.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>
    /// Accept any TLS certificate on an <c>https://</c> target (a self-signed test server, such as
    /// <c>gauntlet serve http --tls</c>), as an HTTP operation's <see cref="HttpOperationOptions.Insecure"/> does.
    /// </summary>
    public bool Insecure { get; init; }

    /// <summary>Connect once before the run, so a server that is not there ends it with exit code 3 and one clear line.</summary>
    public bool Probe { get; init; } = true;

    /// <summary>Time to open a connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = HttpOperationOptions.DefaultConnectTimeout;

    /// <summary>The largest response message accepted (bytes); a larger one fails the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>Default <see cref="MaxMessageSize"/>: 4 MiB, gRPC's own default.</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>The most <see cref="Channels"/> one operation may open.</summary>
    public const int MaxChannels = 1024;

    /// <summary>Every problem with the options themselves, each with its path (the .proto file and the message are checked when the operation is made).</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        if (string.IsNullOrWhiteSpace(Target)) problems.Add("target", $"needs the server's address, such as http://127.0.0.1:8080, or {BuiltinHttp}");
        else if (Target != BuiltinHttp && !IsAddress(Target))
            problems.Add("target", $"'{Target}' is not an http:// or https:// address such as http://127.0.0.1:8080 (no path), nor {BuiltinHttp}");
        else if (Target == BuiltinHttp && BuiltinGrpcServers.Missing is { } missing) problems.Add("target", missing);
        if (Proto is null && Target != BuiltinHttp) problems.Add("proto", "needs the .proto file that describes the service, such as proto: echo.proto");
        if (string.IsNullOrWhiteSpace(Call)) problems.Add("call", "needs the method to call, as package.Service/Method, such as gauntlet.echo.Echo/Say");
        if (Message is null) problems.Add("message", "needs the request message as JSON, such as '{\"text\": \"hello\"}' ('{}' for an empty one)");
        if (Deadline is { } deadline && deadline <= TimeSpan.Zero) problems.Add("deadline", "must be positive");
        if (Expect is null || Expect.Count == 0) problems.Add("expect", "needs at least one status, such as OK");
        if (Channels is < 1 or > MaxChannels) problems.Add("channels", $"must be from 1 to {MaxChannels}, found {Channels}");
        if (ConnectTimeout <= TimeSpan.Zero) problems.Add("connectTimeout", "must be positive");
        if (MaxMessageSize < 1) problems.Add("maxMessageSize", "must be positive");
        foreach (var check in Checks ?? [])
            if (check is HttpCheck.Header) problems.Add("checks", "a gRPC response has no header check here; check its message with contains, regex or json");
        return problems.All;
    }

    internal static bool IsAddress(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0;
}
