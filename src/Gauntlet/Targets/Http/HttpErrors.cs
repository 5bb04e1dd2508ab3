using System.Net.Sockets;
using System.Security.Authentication;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// The error kinds of HTTP operations, and the classification of what went wrong into them. The kinds are a
/// small, stable set so that results from different runs and engines group the same way.
/// </summary>
public static class HttpErrors
{
    /// <summary>The connection was refused: nothing listens on the port.</summary>
    public const string Refused = "refused";
    /// <summary>The connection was reset, or closed by the server before a complete response.</summary>
    public const string Reset = "reset";
    /// <summary>Opening the connection took longer than the connect timeout.</summary>
    public const string ConnectTimeout = "connect_timeout";
    /// <summary>The host name did not resolve.</summary>
    public const string Dns = "dns";
    /// <summary>The network or host is unreachable.</summary>
    public const string Unreachable = "unreachable";
    /// <summary>The TLS handshake failed.</summary>
    public const string Tls = "tls";
    /// <summary>The response was not valid HTTP.</summary>
    public const string Protocol = "protocol";
    /// <summary>The status code was not one the request accepts.</summary>
    public const string WrongStatus = "wrong_status";
    /// <summary>A Server-Sent Events stream was cut: the connection closed mid-stream, or before its terminating event (<see cref="SseOptions.Until"/>).</summary>
    public const string SseCut = "sse_cut";
    /// <summary>A check on the response failed.</summary>
    public const string CheckFailed = HttpCheck.FailedKind;

    /// <summary>The kinds that mean the target could not be reached at all: their outcomes are <see cref="Outcome.Unreachable"/>.</summary>
    public static readonly IReadOnlySet<string> UnreachableKinds = new HashSet<string>([Refused, ConnectTimeout, Dns, Unreachable], StringComparer.Ordinal);

    private const string HintStart = "; if the server's certificate is self-signed or otherwise untrusted and that is expected, set insecure: true (gauntlet ";
    private const string HintEnd = " -k)";

    /// <summary>What a certificate error's message ends with: the way to accept a certificate no one vouches for.</summary>
    public const string InsecureHint = HintStart + "http" + HintEnd;

    /// <summary>The certificate hint for the operation whose quick mode is <paramref name="command"/> (<c>grpc</c>, <c>websocket</c>).</summary>
    internal static string InsecureHintFor(string command) => HintStart + command + HintEnd;

    /// <summary>True when <paramref name="outcome"/> is a TLS failure over the server's certificate, which <c>insecure</c> would accept.</summary>
    internal static bool CertificateRefused(in Outcome outcome) =>
        outcome.Kind == Tls && outcome.Message is { } message && message.Contains("certificate", StringComparison.OrdinalIgnoreCase);

    /// <summary>Classifies an exception from sending a request or reading its response.</summary>
    public static Outcome Classify(Exception exception) => Classify(exception, "http");

    /// <summary>
    /// Classifies an exception from an HTTP exchange made for the operation whose quick mode is
    /// <paramref name="command"/>: a certificate failure's hint names that command's <c>-k</c>.
    /// </summary>
    internal static Outcome Classify(Exception exception, string command)
    {
        var kind = Kind(exception, out var detail);
        var outcome = UnreachableKinds.Contains(kind) ? Outcome.Unreachable(kind, detail) : Outcome.Failed(kind, detail);
        return CertificateRefused(outcome) ? Outcome.Failed(kind, detail + InsecureHintFor(command)) : outcome;
    }

    private static string Kind(Exception exception, out string detail)
    {
        detail = Describe(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RawHttpException raw: return raw.Kind;
                case SocketException socket: return FromSocket(socket.SocketErrorCode);
                case AuthenticationException: return Tls;
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }: return Dns;
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }: return Tls;
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }: return Reset;
                case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError }: return Protocol;
                case HttpProtocolException: return Protocol;
                case TimeoutException: return ConnectTimeout;
                case EndOfStreamException: return Reset;
            }
        }
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }) return Refused;
        if (exception is IOException) return Reset;
        return exception.GetType().Name;
    }

    private static string FromSocket(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => Refused,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected or SocketError.Disconnecting => Reset,
        SocketError.TimedOut => ConnectTimeout,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => Dns,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => Unreachable,
        _ => "socket_" + error.ToString().ToLowerInvariant(),
    };

    private static string Describe(Exception exception)
    {
        var message = exception.Message;
        var inner = exception.InnerException;
        while (inner?.InnerException is not null) inner = inner.InnerException;
        if (inner is not null && inner.Message != message) message += $" ({inner.Message})";
        return message;
    }
}

/// <summary>A failure of the raw HTTP/1.1 path, already classified.</summary>
internal sealed class RawHttpException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
}
