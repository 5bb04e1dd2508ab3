using System.Net.WebSockets;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Http;

namespace Gauntlet.Targets.WebSocket;

/// <summary>
/// The error kinds a WebSocket operation reports, spelled the same in every report and threshold
/// (<c>count(ws_close_1006_abnormal) == 0</c>). Connecting fails as HTTP does (<c>refused</c>, <c>connect_timeout</c>,
/// <c>dns</c>, <c>unreachable</c>: the target was never reached, exit code 3 when nothing was) or with the server's
/// answer to the upgrade (<c>ws_handshake_404</c>); once open, a connection ends with a close code
/// (<c>ws_close_1011_internal_error</c>), or without one (<c>ws_close_1006_abnormal</c>: the socket was dropped).
/// </summary>
public static class WebSocketErrorKinds
{
    /// <summary>The reply did not arrive within the read timeout: the message is lost.</summary>
    public const string ReadTimeout = "read_timeout";
    /// <summary>The reply arrived but is not what was expected.</summary>
    public const string WrongReply = WebSocketExpectation.WrongReplyKind;
    /// <summary>The TCP connect and upgrade did not finish within the connect timeout.</summary>
    public const string ConnectTimeout = HttpErrors.ConnectTimeout;
    /// <summary>The prefix of a refused upgrade, followed by the status code: <c>ws_handshake_404</c>.</summary>
    public const string HandshakePrefix = "ws_handshake_";
    /// <summary>The prefix of a connection the server closed, followed by the close code and its name: <c>ws_close_1011_internal_error</c>.</summary>
    public const string ClosePrefix = "ws_close_";
    /// <summary>The connection ended without a close frame (reset, or closed under the exchange): close code 1006.</summary>
    public const string Abnormal = "ws_close_1006_abnormal";

    /// <summary>The kind for a close frame with <paramref name="code"/>: <c>ws_close_1000_normal</c>, <c>ws_close_4001</c>.</summary>
    public static string Close(int code) => code switch
    {
        1000 => "ws_close_1000_normal",
        1001 => "ws_close_1001_going_away",
        1002 => "ws_close_1002_protocol_error",
        1003 => "ws_close_1003_unsupported_data",
        1005 => "ws_close_1005_no_status",
        1006 => Abnormal,
        1007 => "ws_close_1007_invalid_payload",
        1008 => "ws_close_1008_policy_violation",
        1009 => "ws_close_1009_message_too_big",
        1010 => "ws_close_1010_extension",
        1011 => "ws_close_1011_internal_error",
        1012 => "ws_close_1012_service_restart",
        1013 => "ws_close_1013_try_again_later",
        _ => ClosePrefix + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A failure to open the connection: unreachable kinds as <see cref="Outcome.Unreachable"/>, an upgrade refused with its status.</summary>
    internal static Outcome ConnectFailure(Exception exception, int status, string url)
    {
        if (status is > 0 and not 101)
            return Outcome.Failed(HandshakePrefix + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"the server answered the upgrade to {url} with HTTP {status} instead of 101 Switching Protocols");
        // The handshake rides on HttpClient: its exceptions classify as an HTTP request's do.
        var http = HttpErrors.Classify(exception, "websocket");
        var kind = http.Kind!;
        if (HttpErrors.UnreachableKinds.Contains(kind)) return Outcome.Unreachable(kind, $"cannot connect to {url}: {http.Message}");
        if (kind == nameof(WebSocketException)) kind = HandshakePrefix + "failed";
        return Outcome.Failed(kind, $"cannot open a WebSocket to {url}: {http.Message}");
    }
}
