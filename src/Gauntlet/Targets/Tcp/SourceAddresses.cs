using System.Net;
using System.Net.Sockets;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// Chooses the local addresses connections come from. One source address can hold only as many connections to one
/// target as it has ephemeral ports (about 28,000 by default on Linux); the whole 127.0.0.0/8 block is loopback, so
/// past that the connections are spread over 127.0.0.1, 127.0.0.2, ... (bound with IP_BIND_ADDRESS_NO_PORT, so the
/// port is still chosen per destination at connect time).
/// </summary>
internal static class SourceAddresses
{
    /// <summary>Share of an address's ephemeral ports to plan for; the rest is left for TIME_WAIT and other programs.</summary>
    public const double UsableShare = 0.8;

    /// <summary>The most loopback source addresses spread over (127.0.0.1 to 127.0.0.250).</summary>
    public const int MaxLoopbackAddresses = 250;

    /// <summary>Ephemeral ports of one address, from /proc/sys/net/ipv4/ip_local_port_range; 28,232 (Linux's default) where unknown.</summary>
    public static int EphemeralPorts()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out var low) && int.TryParse(parts[1], out var high) && high >= low) return high - low + 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return 28_232;
    }

    /// <summary>
    /// The addresses to bind, or an empty list to let the system choose: only a loopback IPv4 target with more
    /// connections than one address can hold gets a spread.
    /// </summary>
    public static IReadOnlyList<IPAddress> Automatic(IPAddress target, int connections, int ephemeralPorts)
    {
        var perAddress = Math.Max(1, (int)(ephemeralPorts * UsableShare));
        if (target.AddressFamily != AddressFamily.InterNetwork || !IPAddress.IsLoopback(target) || connections <= perAddress) return [];
        var count = Math.Min(MaxLoopbackAddresses, (connections + perAddress - 1) / perAddress);
        var addresses = new IPAddress[count];
        for (var i = 0; i < count; i++) addresses[i] = new IPAddress([127, 0, 0, (byte)(i + 1)]);
        return addresses;
    }

    /// <summary>Binds <paramref name="socket"/> to <paramref name="source"/> with the port left to connect time.</summary>
    public static void Bind(Socket socket, IPEndPoint source)
    {
        if (OperatingSystem.IsLinux() && source.AddressFamily == AddressFamily.InterNetwork)
        {
            // IP_BIND_ADDRESS_NO_PORT (24): without it bind() reserves a port for every destination at once, and one
            // address runs out after ~28,000 connections whatever the targets.
            Span<byte> on = [1, 0, 0, 0];
            socket.SetRawSocketOption(0 /* IPPROTO_IP */, 24, on);
        }
        socket.Bind(source);
    }
}
