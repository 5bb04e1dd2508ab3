using System.Net;
using Gauntlet.Targets.Http;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// Where the core finds the built-in server for a gRPC operation's <c>target: builtin:http</c>: the built-in HTTP
/// server (package Gauntlet.Servers) listening in clear-text HTTP/2 only, which gRPC needs and which Kestrel does not
/// offer beside HTTP/1.1 on one clear-text port (it picks HTTP/1.1 there without TLS's protocol negotiation). The
/// assembly registers it as it loads, as it does the HTTP/1.1 one (<see cref="BuiltinHttpServers"/>).
/// </summary>
public static class BuiltinGrpcServers
{
    private static volatile Func<IPEndPoint, CancellationToken, Task<IBuiltinHttpServer>>? _factory;

    /// <summary>Sets how the clear-text HTTP/2 built-in server starts; Gauntlet.Servers calls it when it loads.</summary>
    public static void Register(Func<IPEndPoint, CancellationToken, Task<IBuiltinHttpServer>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <summary>Null when the server can be started; otherwise why not and which package to add.</summary>
    public static string? Missing =>
        BuiltinHttpServers.Missing is { } missing ? missing
        : _factory is null ? BuiltinHttpServers.MissingMessage(BuiltinHttpServers.AssemblyName, "this version of it has no HTTP/2 server for gRPC") : null;

    /// <summary>Starts the server on <paramref name="endpoint"/> (port 0 picks a free one), clear-text HTTP/2 only.</summary>
    internal static Task<IBuiltinHttpServer> StartAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        if (Missing is { } missing) throw new InvalidOperationException(missing);
        return _factory!(endpoint, cancellationToken);
    }
}
