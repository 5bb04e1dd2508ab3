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
    /// failed TLS handshake as INTERNAL).
    /// </summary>
    internal static StatusCode Status(RpcException exception) =>
        exception.StatusCode == StatusCode.Internal && exception.Status.DebugException is { } cause && HttpErrors.Classify(cause) is var http
            && (http.Kind == HttpErrors.Tls || http.Class == ErrorClass.Unreachable)
            ? StatusCode.Unavailable
            : exception.StatusCode;

    /// <summary>The outcome of a call that ended with <paramref name="exception"/>'s status.</summary>
    public static Outcome Classify(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = Status(exception);
        var kind = GrpcStatuses.Kind(status);
        var detail = exception.Status.Detail;
        if (status == StatusCode.Unavailable && exception.Status.DebugException is { } cause)
        {
            var http = HttpErrors.Classify(cause);
            if (http.Class == ErrorClass.Unreachable) return Outcome.Unreachable(kind, $"{http.Kind}: {http.Message}");
            detail = $"{detail} ({http.Kind})";
            if (HttpErrors.CertificateRefused(http)) detail += HttpErrors.InsecureHintFor("grpc");
        }
        return Outcome.Failed(kind, string.IsNullOrEmpty(detail) ? GrpcStatuses.Name(status) : detail);
    }
}
