using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Http;
using Grpc.Core;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// The error kinds of gRPC operations: a call that ends with a status it does not expect fails with kind
/// <c>grpc_STATUS</c> (<c>grpc_DEADLINE_EXCEEDED</c>, <c>grpc_UNAVAILABLE</c>, ...), named as the gRPC specification
/// names the status. A call that could not reach the server at all (connection refused, the name does not resolve) is
/// <see cref="ErrorClass.Unreachable"/>, as an HTTP request's would be; everything else reached it.
/// </summary>
public static class GrpcErrors
{
    /// <summary>A templated message that, filled in, is not the request type (a feeder value that breaks the JSON).</summary>
    public const string BadMessage = "grpc_bad_message";

    /// <summary>A reply that is not the response type's wire format.</summary>
    public const string BadReply = "grpc_bad_reply";

    /// <summary>
    /// The status a call ended with, as the gRPC specification has it: a call the client could not start because the
    /// connection or its TLS handshake failed is UNAVAILABLE, as other gRPC clients report it (Grpc.Net.Client reports a
    /// failed TLS handshake as INTERNAL). <paramref name="cause"/> is the HTTP failure under it, classified once for
    /// <see cref="Classify(RpcException, StatusCode, Outcome?)"/>.
    /// </summary>
    internal static StatusCode Status(RpcException exception, out Outcome? cause)
    {
        // Only a call that failed in its transport (INTERNAL or UNAVAILABLE) has an HTTP failure worth reading.
        cause = exception.StatusCode is StatusCode.Internal or StatusCode.Unavailable && exception.Status.DebugException is { } debug
            ? HttpErrors.Classify(debug, "grpc")
            : null;
        return exception.StatusCode == StatusCode.Internal && cause is { } http && (http.Kind == HttpErrors.Tls || http.Class == ErrorClass.Unreachable)
            ? StatusCode.Unavailable
            : exception.StatusCode;
    }

    /// <summary>The outcome of a call that ended with <paramref name="exception"/>'s status.</summary>
    public static Outcome Classify(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Classify(exception, Status(exception, out var cause), cause);
    }

    /// <summary>The outcome of a call that ended with <paramref name="status"/> (from <see cref="Status"/>), over the HTTP failure <paramref name="cause"/>.</summary>
    internal static Outcome Classify(RpcException exception, StatusCode status, Outcome? cause)
    {
        var kind = GrpcStatuses.Kind(status);
        var detail = exception.Status.Detail;
        if (status == StatusCode.Unavailable && cause is { } http)
        {
            if (http.Class == ErrorClass.Unreachable) return Outcome.Unreachable(kind, $"{http.Kind}: {http.Message}");
            detail = $"{detail} ({http.Kind})";
            if (HttpErrors.CertificateRefused(http)) detail += HttpErrors.InsecureHintFor("grpc");
        }
        return Outcome.Failed(kind, string.IsNullOrEmpty(detail) ? GrpcStatuses.Name(status) : detail);
    }
}
