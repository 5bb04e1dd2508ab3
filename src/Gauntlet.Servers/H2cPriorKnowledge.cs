using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gauntlet.Servers;

/// <summary>
/// HTTP/2 with prior knowledge (h2c) beside HTTP/1.1 on one clear-text port, which Kestrel does not offer by itself:
/// without TLS's protocol negotiation an <c>Http1AndHttp2</c> endpoint always picks HTTP/1.1 (dotnet/aspnetcore#56984).
/// This connection middleware reads the first bytes of each connection without consuming them; when they are HTTP/2's
/// client preface (<c>PRI * HTTP/2.0</c>...), it tells Kestrel that the connection negotiated <c>h2</c>, as ALPN would
/// have, so gRPC clients and <c>gauntlet http --http2</c> reach the same server and port as HTTP/1.1 clients and
/// WebSockets. The decision is made once per connection, on its first bytes: an HTTP/1.1 request differs from the
/// preface at its first byte.
/// </summary>
internal static class H2cPriorKnowledge
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>The middleware, for <c>ListenOptions.Use</c>.</summary>
    public static ConnectionDelegate Use(ConnectionDelegate next) => async connection =>
    {
        if (await StartsWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false))
        {
            connection.Features.Set<ITlsConnectionFeature>(Negotiated.H2);
            connection.Features.Set<ITlsApplicationProtocolFeature>(Negotiated.H2);
        }
        await next(connection).ConfigureAwait(false);
    };

    private static async Task<bool> StartsWithPrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        var head = new byte[Preface.Length];
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            buffer.Slice(0, length).CopyTo(head);
            var matches = head.AsSpan(0, length).SequenceEqual(Preface.AsSpan(0, length));
            if (!matches || length == Preface.Length || result.IsCompleted)
            {
                // Nothing consumed and nothing examined: Kestrel's first read returns these same bytes at once.
                input.AdvanceTo(buffer.Start);
                return matches && length == Preface.Length;
            }
            // A prefix of the preface so far: wait for more bytes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>What Kestrel reads to pick HTTP/2 on an <c>Http1AndHttp2</c> endpoint: a TLS feature whose negotiated protocol is h2.</summary>
    private sealed class Negotiated : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static readonly Negotiated H2 = new();

        private static readonly ReadOnlyMemory<byte> Protocol = "h2"u8.ToArray();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set { }
        }

        public ReadOnlyMemory<byte> ApplicationProtocol => Protocol;

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
