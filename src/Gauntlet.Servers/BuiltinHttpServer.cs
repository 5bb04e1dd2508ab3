using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gauntlet.Targets.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Gauntlet.Servers;

/// <summary>
/// Gauntlet's built-in HTTP server (Kestrel, from the shared framework), a known-good target to try scenarios on:
/// <c>GET /ok</c> (200, "ok"), <c>POST /echo</c> (the body back), <c>GET /delay/{ms}</c> (replies after ms, at most
/// <see cref="MaxDelayMs"/>), <c>GET /status/{code}</c> (that status), <c>GET /bytes/{n}</c> (n bytes, at most
/// <see cref="MaxBytes"/>), <c>GET /json</c> (a small document), <c>/ws</c> (a WebSocket echo; <c>?closeAfter=N&amp;closeCode=C</c> closes after N messages, <c>?abortAfter=N</c> drops the connection: see <see cref="WebSocketEndpoints"/>), <c>GET /sse?events=&amp;interval=&amp;size=&amp;cutAfter=</c> (Server-Sent Events ending with <c>data: [DONE]</c>, see <see cref="SseEndpoint"/>), <c>GET /metrics</c> (its own counters in the Prometheus
/// text format: requests, requests in flight, responses by status, memory). Used by <c>gauntlet serve http</c> and, through <see cref="BuiltinHttpServers"/>, by <c>target: builtin:http</c>. With a certificate
/// it speaks HTTPS and offers HTTP/1.1 and HTTP/2 by ALPN; without one, clear-text HTTP/1.1 and, on the same port, HTTP/2
/// with prior knowledge (h2c, <see cref="H2cPriorKnowledge"/>), which gRPC clients speak (the service gauntlet.echo.Echo).
/// </summary>
public sealed class BuiltinHttpServer : IBuiltinHttpServer
{
    /// <summary>Longest delay <c>/delay/{ms}</c> accepts: 60 s, so no request can hold the server forever.</summary>
    public const int MaxDelayMs = 60_000;

    /// <summary>Largest body <c>/bytes/{n}</c> sends: 64 MiB.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>How long <see cref="DisposeAsync"/> lets requests in progress finish.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private static readonly byte[] Filler = [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)('a' + i % 26))];

    private readonly WebApplication _app;

    private BuiltinHttpServer(WebApplication app, Uri address, X509Certificate2? certificate)
    {
        _app = app;
        Address = address;
        Certificate = certificate;
    }

    /// <summary>
    /// The base address it listens on, e.g. <c>http://127.0.0.1:8080/</c> or <c>https://127.0.0.1:8443/</c> (the actual
    /// port when started on port 0).
    /// </summary>
    public Uri Address { get; }

    /// <summary>The certificate it serves HTTPS with; null when it speaks clear text.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>
    /// Starts listening on <paramref name="endpoint"/>: HTTPS with HTTP/1.1 and HTTP/2 (ALPN) when
    /// <paramref name="certificate"/> is given (see <see cref="ServerCertificate"/>; the caller keeps ownership of it),
    /// else clear-text HTTP/1.1 and h2c on the same port. Throws <see cref="IOException"/> when it cannot bind, with the message
    /// "127.0.0.1:8080 is already in use" when another socket listens there (Kestrel never shares a port).
    /// </summary>
    public static Task<BuiltinHttpServer> StartAsync(IPEndPoint endpoint, X509Certificate2? certificate = null, CancellationToken cancellationToken = default) =>
        StartAsync(endpoint, certificate, http2Only: false, cancellationToken);

    /// <summary>
    /// Starts listening on <paramref name="endpoint"/> in clear-text HTTP/2 only (prior knowledge, h2c), as gRPC
    /// clients speak it, refusing HTTP/1.1 (<c>gauntlet serve http --http2</c>; a gRPC operation's <c>target: builtin:http</c>):
    /// a server for clients that must not fall back.
    /// </summary>
    public static Task<BuiltinHttpServer> StartHttp2Async(IPEndPoint endpoint, CancellationToken cancellationToken = default) =>
        StartAsync(endpoint, null, http2Only: true, cancellationToken);

    private static async Task<BuiltinHttpServer> StartAsync(IPEndPoint endpoint, X509Certificate2? certificate, bool http2Only, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, listen =>
            {
                if (http2Only) listen.Protocols = HttpProtocols.Http2;
                if (certificate is null)
                {
                    // Clear text: HTTP/1.1, and HTTP/2 with prior knowledge (gRPC) on the same port.
                    if (http2Only) return;
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.Use(H2cPriorKnowledge.Use);
                    return;
                }
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
            kestrel.AddServerHeader = false;
            // An h2c connection looks like TLS to Kestrel (H2cPriorKnowledge); its requests' own :scheme (http) is kept.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Limits.MaxRequestBodySize = MaxBytes;
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopTimeout);
        var app = builder.Build();
        Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            // The same words as the echo server and the fault proxy (the core's ListeningSocket.InUse, which
            // ListeningSocketTests holds both to), instead of Kestrel's "Failed to bind to address".
            throw new IOException($"{endpoint} is already in use", e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BuiltinHttpServer(app, new Uri(address.EndsWith('/') ? address : address + "/"), certificate);
    }

    private static void Map(WebApplication app)
    {
        var metrics = new ServerMetrics();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == ServerMetrics.Path)
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            metrics.Began();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                metrics.Ended(context.Response.StatusCode);
            }
        });
        app.MapGet(ServerMetrics.Path, () => HttpResults.Text(metrics.Exposition(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/ok", () => HttpResults.Text("ok"));
        app.MapPost("/echo", async (HttpContext context) =>
        {
            context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
            if (context.Request.ContentLength is { } length) context.Response.ContentLength = length;
            await context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/delay/{ms:int}", async (int ms, CancellationToken aborted) =>
        {
            if (ms is < 0 or > MaxDelayMs) return HttpResults.BadRequest($"delay must be from 0 to {MaxDelayMs} ms");
            await Task.Delay(ms, aborted).ConfigureAwait(false);
            return HttpResults.Text("ok");
        });
        app.MapGet("/status/{code:int}", (int code) =>
            code is >= 100 and <= 599 ? HttpResults.StatusCode(code) : HttpResults.BadRequest("status must be from 100 to 599"));
        app.MapGet("/bytes/{n:int}", async (int n, HttpContext context) =>
        {
            if (n is < 0 or > MaxBytes)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync($"n must be from 0 to {MaxBytes}", context.RequestAborted).ConfigureAwait(false);
                return;
            }
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = n;
            for (var sent = 0; sent < n; sent += Filler.Length)
                await context.Response.Body.WriteAsync(Filler.AsMemory(0, Math.Min(Filler.Length, n - sent)), context.RequestAborted).ConfigureAwait(false);
        });
        GrpcEchoService.Map(app);
        SseEndpoint.Map(app);
        app.MapGet("/json", () => HttpResults.Text("""{"name":"gauntlet","ok":true,"items":[1,2,3],"nested":{"message":"hello"}}""", "application/json"));
        WebSocketEndpoints.Map(app);
    }

    /// <summary>Stops the server; requests in progress get <see cref="StopTimeout"/> to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
