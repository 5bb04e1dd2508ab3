using System.Net;
using System.Net.Sockets;

namespace Gauntlet.Sockets;

/// <summary>
/// Opens the listening sockets of the servers and proxies Gauntlet starts (the echo server, the fault proxy), so that
/// a port another process already listens on is an error that says so, never a port silently shared.
/// </summary>
internal static class ListeningSocket
{
    // Linux's SOL_SOCKET and SO_REUSEADDR, set raw: .NET's SocketOptionName.ReuseAddress sets SO_REUSEPORT too on
    // Unix, and SO_REUSEPORT lets a second listener bind a port that another one holds and take half its connections.
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddress = 2;

    /// <summary>
    /// A socket bound to <paramref name="endpoint"/> and listening with <paramref name="backlog"/>; throws a
    /// <see cref="SocketException"/> whose message is <see cref="InUse"/> when something already listens there.
    /// </summary>
    public static Socket Open(IPEndPoint endpoint, int backlog)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR alone lets a restarted server bind while its old connections sit in TIME_WAIT; on Linux it
            // never lets two sockets listen on one port.
            if (OperatingSystem.IsLinux()) listener.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddress, BitConverter.GetBytes(1));
            listener.Bind(endpoint);
            listener.Listen(backlog);
            return listener;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            throw new SocketException((int)SocketError.AddressAlreadyInUse, InUse(endpoint));
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>The one message every server and proxy gives for a taken address: "127.0.0.1:7000 is already in use".</summary>
    public static string InUse(IPEndPoint endpoint) => $"{endpoint} is already in use";

    /// <summary>True when <paramref name="e"/> is a server's or proxy's failure to bind because the address is taken.</summary>
    /// <remarks>
    /// Looks through the inner exceptions: Kestrel (in Gauntlet.Servers) wraps the socket's error in its own
    /// AddressInUseException, named here as text so the core does not reference ASP.NET Core.
    /// </remarks>
    public static bool IsInUse(Exception e)
    {
        for (Exception? at = e; at is not null; at = at.InnerException)
        {
            if (at is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || at.GetType().FullName == "Microsoft.AspNetCore.Connections.AddressInUseException")
                return true;
        }
        return false;
    }

    /// <summary>
    /// The line a command prints when it cannot listen on <paramref name="endpoint"/>: the address in use said as
    /// <see cref="InUse"/>, any other failure with the system's reason; each followed by what to do next.
    /// </summary>
    public static string CannotListen(IPEndPoint endpoint, Exception e, string flag) => IsInUse(e)
        ? $"{InUse(endpoint)}; stop what listens there or choose another {flag}"
        : $"cannot listen on {endpoint}: {e.Message.TrimEnd('.')}; choose another {flag}";
}
