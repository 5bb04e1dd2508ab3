using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Http;

namespace Gauntlet.Targets.WebSocket;

/// <summary>
/// Where a WebSocket operation's connections go: the built-in server its set-up starts, the host it probes before a
/// run, the one address a fault proxy may stand in front of, and the handler every connection's upgrade is sent
/// through, which dials <see cref="ConnectTo"/> instead of the URL's address when one is set (the built-in server's
/// port, a proxy's), keeping the URL, Host header and TLS name.
/// </summary>
internal sealed class WebSocketTarget : IDisposable
{
    private readonly WebSocketOptions _options;
    private IBuiltinHttpServer? _server;
    private volatile IPEndPoint? _connectTo;

    public WebSocketTarget(WebSocketOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            ConnectCallback = ConnectAsync,
            // Upgraded connections leave the pool; nothing else is sent through it.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        };
        if (options.Insecure) handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>Every upgrade request goes through it (ClientWebSocket.ConnectAsync's invoker).</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>The one address every connection goes to, once set up; null when the URL's host has placeholders.</summary>
    public IPEndPoint? TargetEndPoint { get; private set; }

    /// <summary>Where connections go instead of the URL's address (the built-in server's or a fault proxy's); null for the URL's own.</summary>
    public IPEndPoint? ConnectTo
    {
        get => _connectTo;
        set => _connectTo = value;
    }

    /// <summary>Starts the built-in server (<c>builtin:http/...</c>), or probes the URL's host; throws <see cref="TargetUnreachableException"/> when it cannot.</summary>
    public async ValueTask SetUpAsync(CancellationToken cancellationToken)
    {
        await StopServerAsync().ConfigureAwait(false);
        ConnectTo = TargetEndPoint = null;
        if (_options.UsesBuiltinServer)
        {
            var server = await BuiltinHttpServers.StartForRunAsync(cancellationToken).ConfigureAwait(false);
            _server = server;
            ConnectTo = TargetEndPoint = new IPEndPoint(IPAddress.Loopback, server.Address.Port);
            return;
        }
        var (scheme, authority, _) = HttpOperation.SplitUrl(_options.Url.Text);
        if (authority.Contains('{', StringComparison.Ordinal)) return;
        // Uri knows the default ports of http and https; ws and wss have the same ones.
        var uri = new Uri($"{(scheme.Equals("wss", StringComparison.OrdinalIgnoreCase) ? "https" : "http")}://{authority}");
        if (_options.Probe && await HttpTarget.ReachAsync(uri, HttpOperation.ProbeTimeout, cancellationToken).ConfigureAwait(false) is { } why)
            throw new TargetUnreachableException($"cannot reach {uri.Host}:{uri.Port}: {why}; start the server there or check the URL "
                + $"('gauntlet serve http --port {uri.Port}' runs Gauntlet's own, with its echo endpoint /ws, or write url: {WebSocketOptions.BuiltinPrefix}ws)");
        IPAddress? address;
        try
        {
            address = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? literal
                : (await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }
        catch (SocketException) when (!_options.Probe)
        {
            address = null;
        }
        if (address is not null) TargetEndPoint = new IPEndPoint(address, uri.Port);
    }

    /// <summary>The URL to connect to for a rendered <paramref name="url"/>: a built-in path behind the loopback base.</summary>
    public static Uri Resolve(string url) =>
        new(url.StartsWith(WebSocketOptions.BuiltinPrefix, StringComparison.Ordinal)
            ? WebSocketOptions.BuiltinBase + url[WebSocketOptions.BuiltinPrefix.Length..]
            : url);

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        EndPoint endpoint = _connectTo ?? (EndPoint)context.DnsEndPoint;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Stops the built-in server the set-up started, if any.</summary>
    public async ValueTask StopServerAsync()
    {
        var server = _server;
        _server = null;
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => Invoker.Dispose();
}
