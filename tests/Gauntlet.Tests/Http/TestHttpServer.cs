using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gauntlet.Tests.Http;

/// <summary>
/// A Kestrel server inside the test process on 127.0.0.1, with the routes of the built-in server
/// (<c>gauntlet serve http</c>: /ok, /echo, /delay/{ms}, /status/{code}, /bytes/{n}, /json) and a few only tests need
/// (/chunked/{n}, /close, /reset, /tools/{name}). One port speaks HTTP/1.1, another HTTP/2 only (h2c).
/// </summary>
public sealed class TestHttpServer : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>Requests seen per path, for tests that check what was sent.</summary>
    public ConcurrentDictionary<string, int> Paths { get; } = new(StringComparer.Ordinal);

    /// <summary>The order in which /tools and /status requests arrived.</summary>
    public ConcurrentQueue<string> Sequence { get; } = new();

    public string Url { get; private set; } = "";
    public string Http2Url { get; private set; } = "";
    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.MapGet("/ok", () => "ok");
        app.MapPost("/echo", async context =>
        {
            context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
            if (context.Request.ContentLength is { } length) context.Response.ContentLength = length;
            await context.Request.Body.CopyToAsync(context.Response.Body);
        });
        app.MapGet("/delay/{ms:int}", async (int ms, CancellationToken token) =>
        {
            await Task.Delay(ms, token);
            return "ok";
        });
        app.MapMethods("/status/{code:int}", ["GET", "POST"], (int code) =>
        {
            Sequence.Enqueue($"status/{code}");
            return Microsoft.AspNetCore.Http.Results.Text($"status {code}", statusCode: code);
        });
        app.MapGet("/bytes/{n:int}", async (HttpContext context, int n) =>
        {
            context.Response.ContentLength = n;
            await context.Response.Body.WriteAsync(Filled(n));
        });
        app.MapGet("/json", () => Microsoft.AspNetCore.Http.Results.Json(new { status = "ok", count = 30, tools = new[] { "calculator", "uuid_generator" } }));
        app.MapGet("/chunked/{n:int}", async (HttpContext context, int n) =>
        {
            context.Response.ContentType = "text/plain";
            var sent = 0;
            while (sent < n)
            {
                var piece = Math.Min(7000, n - sent);
                await context.Response.Body.WriteAsync(Filled(piece));
                await context.Response.Body.FlushAsync();
                sent += piece;
            }
            await context.Response.WriteAsync("END");
        });
        app.MapGet("/close", (HttpContext context) =>
        {
            context.Response.Headers.Connection = "close";
            return "bye";
        });
        app.MapGet("/reset", (HttpContext context) => context.Abort());
        app.MapGet("/header/{n:int}", (HttpContext context, int n) =>
        {
            context.Response.Headers["X-Large"] = new string('h', n);
            return "ok";
        });
        app.MapGet("/tools/{name}", (string name) =>
        {
            Paths.AddOrUpdate(name, 1, (_, n) => n + 1);
            Sequence.Enqueue($"tools/{name}");
            return Microsoft.AspNetCore.Http.Results.Json(new { tool = name, status = "ok" });
        });
        await app.StartAsync();
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        Url = addresses[0].TrimEnd('/');
        Http2Url = addresses[1].TrimEnd('/');
        Port = new Uri(Url).Port;
        await WarmUpAsync();
    }

    /// <summary>One request per route, so that no test's first request pays for compiling the server's code.</summary>
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var path in new[] { "/ok", "/json", "/status/200", "/bytes/1", "/delay/1", "/chunked/1", "/close", "/tools/warm-up" })
            (await client.GetAsync(Url + path)).Dispose();
        (await client.PostAsync(Url + "/echo", new StringContent("x"))).Dispose();
        Clear();
    }

    public void Clear()
    {
        Paths.Clear();
        Sequence.Clear();
    }

    private static byte[] Filled(int n)
    {
        var bytes = new byte[n];
        bytes.AsSpan().Fill((byte)'x');
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
