namespace Gauntlet.Targets.Http;

/// <summary>
/// A running built-in HTTP server (<see cref="HttpOperationOptions.BuiltinHttp"/>), as the core sees it: where it
/// listens, and how to stop it. The server itself (Kestrel) lives in the package Gauntlet.Servers, so that the core
/// library carries no web server; <see cref="BuiltinHttpServers"/> starts one.
/// </summary>
public interface IBuiltinHttpServer : IAsyncDisposable
{
    /// <summary>
    /// The base address it listens on, e.g. <c>http://127.0.0.1:8080/</c> (the actual port when started on port 0).
    /// </summary>
    Uri Address { get; }
}
