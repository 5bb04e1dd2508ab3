using System.Net;
using System.Net.Sockets;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// Where an HTTP operation's requests go: the built-in server its set-up starts, the hosts it probes before a run,
/// the one address a fault proxy may stand in front of, and the address the engines connect to instead (the proxy's).
/// </summary>
internal sealed class HttpTarget(HttpOperationOptions options)
{
    private readonly HttpOperationOptions _options = options;
    private IBuiltinHttpServer? _server;

    /// <summary>The one address every request goes to, once set up; null for a mix over several hosts or one with placeholders.</summary>
    public IPEndPoint? TargetEndPoint { get; private set; }

    /// <summary>Where the engines connect instead of the URL's address (the built-in server's or a fault proxy's); null for the URL's own.</summary>
    public IPEndPoint? ConnectTo { get; set; }

    /// <summary>
    /// Before a run: one TCP connection to each host and port the requests name (those without placeholders), so a
    /// server that is not there is exit code 3 and one clear line rather than a run of refused requests.
    /// </summary>
    public async ValueTask SetUpAsync(CancellationToken cancellationToken)
    {
        await StopServerAsync().ConfigureAwait(false);
        ConnectTo = TargetEndPoint = null;
        if (_options.Target is HttpOperationOptions.BuiltinHttp)
        {
            var server = await BuiltinHttpServers.StartForRunAsync(cancellationToken).ConfigureAwait(false);
            _server = server;
            ConnectTo = TargetEndPoint = new IPEndPoint(IPAddress.Loopback, server.Address.Port);
            return;
        }
        var targets = _options.Requests.Select(r => HttpOperation.SplitUrl(r.Url.Text)).Where(u => !u.Authority.Contains('{', StringComparison.Ordinal))
            .Select(u => new Uri($"{u.Scheme}://{u.Authority}")).DistinctBy(u => (u.DnsSafeHost, u.Port)).ToList();
        foreach (var uri in _options.Probe ? targets : [])
        {
            if (await ReachAsync(uri, HttpOperation.ProbeTimeout, cancellationToken).ConfigureAwait(false) is { } why)
                throw new TargetUnreachableException($"cannot reach {uri.Host}:{uri.Port}: {why}; start the server there or check the URL "
                    + $"('gauntlet serve http --port {uri.Port}' runs Gauntlet's own, or write target: {HttpOperationOptions.BuiltinHttp})");
        }
        // A fault proxy can stand in front of one host and port only.
        if (targets.Count == 1 && targets.Count == _options.Requests.Select(r => HttpOperation.SplitUrl(r.Url.Text).Authority.ToLowerInvariant()).Distinct().Count())
        {
            var uri = targets[0];
            var address = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? literal
                : (await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (address is not null) TargetEndPoint = new IPEndPoint(address, uri.Port);
        }
    }

    /// <summary>Stops the built-in server the set-up started, if any.</summary>
    public async ValueTask StopServerAsync()
    {
        var server = _server;
        _server = null;
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One TCP connection attempt to <paramref name="uri"/>'s host and port, bounded; null when it connects, else why not.</summary>
    public static async Task<string?> ReachAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(uri.DnsSafeHost, uri.Port, bounded.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no connection within {Format.Duration(timeout)}";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve",
                _ => e.Message,
            };
        }
    }
}
