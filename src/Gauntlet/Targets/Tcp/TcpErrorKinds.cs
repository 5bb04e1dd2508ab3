using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// The error kinds a TCP operation reports: a closed set, spelled the same in every report and threshold
/// (<c>count(refused) == 0</c>).
/// </summary>
public static class TcpErrorKinds
{
    /// <summary>Nothing listens at the address: the connection was actively refused.</summary>
    public const string Refused = "refused";
    /// <summary>The peer reset the connection (RST) while sending or reading.</summary>
    public const string Reset = "reset";
    /// <summary>The connection was not established within the connect timeout.</summary>
    public const string ConnectTimeout = "connect_timeout";
    /// <summary>The reply did not arrive in full within the read timeout.</summary>
    public const string ReadTimeout = "read_timeout";
    /// <summary>The peer closed the connection before sending any byte of the reply.</summary>
    public const string ClosedEarly = "closed_early";
    /// <summary>The peer closed the connection in the middle of the reply.</summary>
    public const string ShortRead = "short_read";
    /// <summary>The reply arrived but is not what was expected.</summary>
    public const string WrongReply = "wrong_reply";
    /// <summary>No local port or address was left to connect from (ephemeral ports exhausted).</summary>
    public const string NoLocalPort = "no_local_port";
    /// <summary>The network or host cannot be reached.</summary>
    public const string Unreachable = "unreachable";
    /// <summary>Any other socket error; the message names it.</summary>
    public const string SocketError = "socket_error";

    /// <summary>Every kind, for documentation and tests.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Refused, Reset, ConnectTimeout, ReadTimeout, ClosedEarly, ShortRead, WrongReply, NoLocalPort, Unreachable, SocketError];

    /// <summary>
    /// A failed outcome of <paramref name="kind"/>: <see cref="Outcome.Unreachable"/> for the kinds that mean the target
    /// was never reached (refused, connect timeout, unreachable), <see cref="Outcome.Failed"/> for the others.
    /// </summary>
    internal static Outcome Failure(string kind, string message) =>
        kind is Refused or ConnectTimeout or Unreachable ? Outcome.Unreachable(kind, message) : Outcome.Failed(kind, message);

    /// <summary>The kind for a socket error code raised while connecting, sending or reading.</summary>
    internal static string Of(System.Net.Sockets.SocketError error) => error switch
    {
        System.Net.Sockets.SocketError.ConnectionRefused => Refused,
        System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted
            or System.Net.Sockets.SocketError.Shutdown or System.Net.Sockets.SocketError.NotConnected => Reset,
        System.Net.Sockets.SocketError.TimedOut => ConnectTimeout,
        System.Net.Sockets.SocketError.AddressAlreadyInUse or System.Net.Sockets.SocketError.AddressNotAvailable
            or System.Net.Sockets.SocketError.NoBufferSpaceAvailable or System.Net.Sockets.SocketError.TooManyOpenSockets => NoLocalPort,
        System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostUnreachable
            or System.Net.Sockets.SocketError.NetworkDown or System.Net.Sockets.SocketError.HostDown => Unreachable,
        _ => SocketError,
    };

    /// <summary>A socket error code in words, for messages: "connection refused", "no local port left (ephemeral ports exhausted)".</summary>
    internal static string Describe(System.Net.Sockets.SocketError error) => error switch
    {
        System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
        System.Net.Sockets.SocketError.ConnectionReset => "connection reset by the peer",
        System.Net.Sockets.SocketError.TimedOut => "timed out",
        System.Net.Sockets.SocketError.AddressNotAvailable or System.Net.Sockets.SocketError.AddressAlreadyInUse => "no local port left (ephemeral ports exhausted)",
        System.Net.Sockets.SocketError.TooManyOpenSockets => "too many open files",
        _ => "socket error " + error,
    };
}
