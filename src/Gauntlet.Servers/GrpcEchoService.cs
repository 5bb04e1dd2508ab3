using System.Buffers.Binary;
using Gauntlet.Targets.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gauntlet.Servers;

/// <summary>
/// The built-in gRPC service <c>gauntlet.echo.Echo</c> (<see cref="GrpcEcho"/>), without generated code or the
/// Grpc.AspNetCore stack: two POST endpoints that speak gRPC's framing themselves (a 5-byte prefix, flag and
/// big-endian length, before each message; <c>grpc-status</c> and <c>grpc-message</c> in the trailers, or in the
/// headers of a reply with no message). gRPC needs HTTP/2, which the server speaks in clear text beside HTTP/1.1
/// (<see cref="H2cPriorKnowledge"/>), only (<see cref="BuiltinHttpServer.StartHttp2Async"/>), and over TLS with ALPN.
/// </summary>
internal static class GrpcEchoService
{
    private const string ContentType = "application/grpc";
    private const int Prefix = 5;
    private static readonly byte[] Filler = [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)('a' + i % 26))];

    public static void Map(WebApplication app)
    {
        app.MapPost($"/{GrpcEcho.Service}/Say", (HttpContext context) => ServeAsync(context, streaming: false));
        app.MapPost($"/{GrpcEcho.Service}/Stream", (HttpContext context) => ServeAsync(context, streaming: true));
    }

    private static async Task ServeAsync(HttpContext context, bool streaming)
    {
        var response = context.Response;
        response.ContentType = ContentType;
        if (context.Request.Protocol != "HTTP/2")
        {
            TrailersOnly(response, 13, $"gRPC needs HTTP/2, this request came as {context.Request.Protocol}; gRPC clients send HTTP/2 (h2c with prior knowledge in clear text)");
            return;
        }
        var request = await ReadRequestAsync(context).ConfigureAwait(false);
        if (request is null)
        {
            TrailersOnly(response, 3, "the request is not one gRPC-framed, uncompressed EchoRequest");
            return;
        }
        var r = request.Value;
        if (r.DelayMs is < 0 or > GrpcEcho.MaxDelayMs || r.IntervalMs is < 0 or > GrpcEcho.MaxDelayMs || r.Count is < 0 or > GrpcEcho.MaxCount
            || r.Size is < 0 or > GrpcEcho.MaxSize || r.Status is < 0 or > 16)
        {
            TrailersOnly(response, 3, $"delay_ms and interval_ms are from 0 to {GrpcEcho.MaxDelayMs}, count from 0 to {GrpcEcho.MaxCount}, size from 0 to {GrpcEcho.MaxSize}, status from 0 to 16");
            return;
        }
        try
        {
            if (r.DelayMs > 0) await Task.Delay(r.DelayMs, context.RequestAborted).ConfigureAwait(false);
            var replies = streaming ? (r.Count == 0 ? 1 : r.Count) : 1;
            if (r.Status != 0 && !streaming)
            {
                TrailersOnly(response, r.Status, r.StatusMessage);
                return;
            }
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            for (var i = 0; i < replies; i++)
            {
                if (i > 0 && r.IntervalMs > 0) await Task.Delay(r.IntervalMs, context.RequestAborted).ConfigureAwait(false);
                await WriteReplyAsync(response, r.Text, i, r.Size, context.RequestAborted).ConfigureAwait(false);
            }
            response.AppendTrailer("grpc-status", r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (r.Status != 0 && r.StatusMessage.Length > 0) response.AppendTrailer("grpc-message", Uri.EscapeDataString(r.StatusMessage));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (a deadline, a cancelled call): the stream is already reset.
        }
    }

    private static void TrailersOnly(HttpResponse response, int status, string message)
    {
        response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (message.Length > 0) response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }

    private static async Task WriteReplyAsync(HttpResponse response, string text, int index, int size, CancellationToken cancellationToken)
    {
        var messageLength = (text.Length > 0 ? 1 + CodedOutputStream.ComputeStringSize(text) : 0)
            + (index != 0 ? 1 + CodedOutputStream.ComputeInt32Size(index) : 0)
            + (size > 0 ? 1 + CodedOutputStream.ComputeLengthSize(size) + size : 0);
        var frame = new byte[Prefix + messageLength];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)messageLength);
        var message = new byte[messageLength];
        var output = new CodedOutputStream(message);
        if (text.Length > 0)
        {
            output.WriteTag(GrpcEcho.ReplyFields.Text, WireFormat.WireType.LengthDelimited);
            output.WriteString(text);
        }
        if (index != 0)
        {
            output.WriteTag(GrpcEcho.ReplyFields.Index, WireFormat.WireType.Varint);
            output.WriteInt32(index);
        }
        if (size > 0)
        {
            output.WriteTag(GrpcEcho.ReplyFields.Payload, WireFormat.WireType.LengthDelimited);
            output.WriteLength(size);
        }
        output.Flush();
        message.CopyTo(frame, Prefix);
        // The payload's bytes follow its length, at the end of the message.
        for (var done = 0; done < size; done += Filler.Length)
            Filler.AsSpan(0, Math.Min(Filler.Length, size - done)).CopyTo(frame.AsSpan(frame.Length - size + done));
        await response.Body.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<EchoRequest?> ReadRequestAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        if (bytes.Length < Prefix || bytes[0] != 0) return null;
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]);
        if (length != bytes.Length - Prefix) return null;
        try
        {
            return Parse(bytes[Prefix..].ToArray());
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static EchoRequest Parse(byte[] message)
    {
        var input = new CodedInputStream(message);
        var request = new EchoRequest("", 0, 0, "", 0, 0, 0);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            request = WireFormat.GetTagFieldNumber(tag) switch
            {
                GrpcEcho.RequestFields.Text => request with { Text = input.ReadString() },
                GrpcEcho.RequestFields.DelayMs => request with { DelayMs = input.ReadInt32() },
                GrpcEcho.RequestFields.Status => request with { Status = input.ReadInt32() },
                GrpcEcho.RequestFields.StatusMessage => request with { StatusMessage = input.ReadString() },
                GrpcEcho.RequestFields.Count => request with { Count = input.ReadInt32() },
                GrpcEcho.RequestFields.IntervalMs => request with { IntervalMs = input.ReadInt32() },
                GrpcEcho.RequestFields.Size => request with { Size = input.ReadInt32() },
                _ => Skip(input, request),
            };
        }
        return request;
    }

    private static EchoRequest Skip(CodedInputStream input, EchoRequest request)
    {
        input.SkipLastField();
        return request;
    }

    private readonly record struct EchoRequest(string Text, int DelayMs, int Status, string StatusMessage, int Count, int IntervalMs, int Size);
}
