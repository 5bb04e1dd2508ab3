using System.Runtime.CompilerServices;
using Gauntlet.Targets.Http;

namespace Gauntlet.Servers;

/// <summary>Hands the core its built-in HTTP server as this assembly loads (the core loads it by name for <c>builtin:http</c>).</summary>
internal static class Registration
{
    // CA2255 warns that a library's module initializer runs code its users did not ask for. Here that is the point:
    // registering the factory is all it does (no thread, no I/O, no ASP.NET Core type touched until a server starts),
    // and it is how the core, which cannot reference this assembly, gets a server.
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Register()
    {
        BuiltinHttpServers.Register(async (endpoint, cancellationToken) =>
            await BuiltinHttpServer.StartAsync(endpoint, cancellationToken: cancellationToken).ConfigureAwait(false));
        Gauntlet.Targets.Grpc.BuiltinGrpcServers.Register(async (endpoint, cancellationToken) =>
            await BuiltinHttpServer.StartHttp2Async(endpoint, cancellationToken).ConfigureAwait(false));
    }
#pragma warning restore CA2255
}
