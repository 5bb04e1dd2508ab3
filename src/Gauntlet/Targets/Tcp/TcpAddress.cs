using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Gauntlet.Targets.Tcp;

/// <summary>Reads <c>HOST:PORT</c>: an IPv4 address, a bracketed IPv6 address (<c>[::1]:7000</c>) or a host name.</summary>
internal static class TcpAddress
{
    /// <summary>Splits <paramref name="text"/> into a host and a port; false with a message that shows the expected form.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out string? host, out int port, [NotNullWhen(false)] out string? error) =>
        TryParse(text, allowAnyPort: false, out host, out port, out error);

    /// <summary>As <see cref="TryParse(string?, out string?, out int, out string?)"/>; with <paramref name="allowAnyPort"/>, port 0 (any free port, for listening) is accepted.</summary>
    public static bool TryParse(string? text, bool allowAnyPort, [NotNullWhen(true)] out string? host, out int port, [NotNullWhen(false)] out string? error)
    {
        host = null;
        port = 0;
        var s = (text ?? "").Trim();
        var colon = s.LastIndexOf(':');
        if (colon <= 0 || colon == s.Length - 1)
        {
            error = $"expected HOST:PORT such as 127.0.0.1:7000, found '{s}'";
            return false;
        }
        var hostPart = s[..colon];
        if (hostPart.StartsWith('[') && hostPart.EndsWith(']')) hostPart = hostPart[1..^1];
        else if (hostPart.Contains(':', StringComparison.Ordinal))
        {
            error = $"an IPv6 address needs brackets, as in [::1]:7000; found '{s}'";
            return false;
        }
        if (!int.TryParse(s[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535 || (port == 0 && !allowAnyPort))
        {
            error = $"the port in '{s}' must be a number from {(allowAnyPort ? 0 : 1)} to 65535";
            return false;
        }
        host = hostPart;
        error = null;
        return true;
    }

    /// <summary>Resolves <paramref name="host"/> to one address, preferring IPv4; null when it does not resolve.</summary>
    internal static async Task<IPAddress?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address)) return address;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            return Array.Find(addresses, a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? (addresses.Length > 0 ? addresses[0] : null);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }
}
