using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gauntlet.Targets.Http;

/// <summary>
/// One worker's keep-alive HTTP/1.1 connection on a raw socket: send a request, read the response on spans
/// (content-length, chunked, or until close), and reconnect when the server has closed the connection. With
/// <c>connectTo</c> it connects there (a fault proxy, the built-in server) instead of resolving <c>host</c>.
/// </summary>
/// <remarks>
/// Written for speed, because it is the load generator's hot path: the receive buffer is the worker's and reused,
/// headers are parsed in place without strings, the socket's own awaitables are reused by .NET, and the async
/// methods use pooled builders, so a request that needs no reconnect allocates nothing.
/// </remarks>
internal sealed class RawHttpConnection(string host, int port, TimeSpan connectTimeout, IPEndPoint? connectTo = null) : IDisposable
{
    /// <summary>The receive buffer; a response head (status line and headers) must fit in it.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private Socket? _socket;
    private int _start, _end;
    private bool _used;
    private bool _disposed;
    private IPAddress[]? _addresses = connectTo is null ? null : [connectTo.Address];
    private readonly int _port = connectTo?.Port ?? port;

    public long BytesIn { get; private set; }
    public int Opened { get; private set; }
    public int ServerCloses { get; private set; }

    /// <summary>
    /// Sends <paramref name="head"/> then <paramref name="body"/> (empty when the head buffer holds both) and reads the
    /// response, keeping its body in <paramref name="keep"/> when given. When the server closed an idle keep-alive
    /// connection before answering, reconnects once and sends again.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RawResponse> ExchangeAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, bool headOnlyResponse, BodyBuffer? keep, CancellationToken token)
    {
        BytesIn = 0;
        Opened = 0;
        ServerCloses = 0;
        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null && _used;
            if (_socket is null) await ConnectAsync(token).ConfigureAwait(false);
            try
            {
                await SendAsync(head, token).ConfigureAwait(false);
                if (!body.IsEmpty) await SendAsync(body, token).ConfigureAwait(false);
                if (!await FillAsync(token).ConfigureAwait(false))
                    throw new RawHttpException(HttpErrors.Reset, "the server closed the connection without a response");
            }
            catch (Exception e) when (reused && attempt == 0 && IsClosedByPeer(e))
            {
                // A keep-alive connection the server closed while idle: the request never reached it. Reconnect once.
                ServerCloses++;
                Close();
                continue;
            }
            _used = true;
            var response = await ReadResponseAsync(headOnlyResponse, keep, token).ConfigureAwait(false);
            if (response.Close)
            {
                ServerCloses++;
                Close();
            }
            return response;
        }
    }

    private static bool IsClosedByPeer(Exception e) =>
        e is RawHttpException { Kind: HttpErrors.Reset } || e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown }
        || e is IOException { InnerException: SocketException };

    private async ValueTask ConnectAsync(CancellationToken token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _addresses ??= IPAddress.TryParse(host, out var literal) ? [literal] : await ResolveAsync(token).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(connectTimeout);
        Exception? last = null;
        foreach (var address in _addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, _port), timeout.Token).ConfigureAwait(false);
                _socket = socket;
                _start = _end = 0;
                _used = false;
                Opened++;
                return;
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                socket.Dispose();
                throw new RawHttpException(HttpErrors.ConnectTimeout, $"no connection to {host}:{port} within {Format.Duration(connectTimeout)}");
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new RawHttpException(HttpErrors.Dns, $"{host} has no address");
    }

    private async ValueTask<IPAddress[]> ResolveAsync(CancellationToken token)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false);
            // IPv4 first: "localhost" servers often listen on 127.0.0.1 only.
            return [.. addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)];
        }
        catch (SocketException e)
        {
            throw new RawHttpException(HttpErrors.Dns, $"cannot resolve {host}: {e.Message}");
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken token)
    {
        var socket = _socket!;
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Reads more bytes after what is buffered; false when the server closed the connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FillAsync(CancellationToken token)
    {
        if (_start == _end) _start = _end = 0;
        else if (_end == _buffer.Length)
        {
            if (_start == 0) throw new RawHttpException(HttpErrors.Protocol, $"a response head longer than {BufferSize} bytes");
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await _socket!.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, token).ConfigureAwait(false);
        if (read == 0) return false;
        _end += read;
        BytesIn += read;
        return true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RawResponse> ReadResponseAsync(bool headOnlyResponse, BodyBuffer? keep, CancellationToken token)
    {
        while (true)
        {
            int headEnd;
            while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
                if (!await FillAsync(token).ConfigureAwait(false))
                    throw new RawHttpException(HttpErrors.Reset, "the server closed the connection in the middle of a response head");
            var head = ParseHead(_buffer.AsSpan(_start, headEnd + 2));
            _start += headEnd + 4;
            if (head.Status is >= 100 and < 200 && head.Status != 101) continue; // 100 Continue and friends: the real answer follows
            var noBody = headOnlyResponse || head.Status is 204 or 304 || head.Status < 200;
            if (noBody) { }
            else if (head.Chunked) await ReadChunkedAsync(keep, token).ConfigureAwait(false);
            else if (head.ContentLength >= 0) await ReadExactAsync(head.ContentLength, keep, token).ConfigureAwait(false);
            else
            {
                await ReadToCloseAsync(keep, token).ConfigureAwait(false);
                return new RawResponse(head.Status, Close: true);
            }
            return new RawResponse(head.Status, head.Close);
        }
    }

    private static Head ParseHead(ReadOnlySpan<byte> head)
    {
        // Status line: HTTP/1.1 200 OK
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = head[..lineEnd];
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var used) || used != 3)
            throw new RawHttpException(HttpErrors.Protocol, $"not an HTTP/1.x status line: '{Encoding.ASCII.GetString(line[..Math.Min(line.Length, 60)])}'");
        var close = line[7] == (byte)'0'; // HTTP/1.0 closes unless told otherwise
        long contentLength = -1;
        var chunked = false;
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var header = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 2)..];
            var colon = header.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = header[..colon];
            var value = header[(colon + 1)..].Trim((byte)' ');
            if (System.Text.Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out var digits) || digits != value.Length || contentLength < 0)
                    throw new RawHttpException(HttpErrors.Protocol, $"bad Content-Length '{Encoding.ASCII.GetString(value)}'");
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)) chunked = EndsWithIgnoreCase(value, "chunked"u8);
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                if (ContainsIgnoreCase(value, "close"u8)) close = true;
                else if (ContainsIgnoreCase(value, "keep-alive"u8)) close = false;
            }
        }
        return new Head(status, contentLength, chunked, close);
    }

    private static bool EndsWithIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> suffix) =>
        value.Length >= suffix.Length && System.Text.Ascii.EqualsIgnoreCase(value[^suffix.Length..], suffix);

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> word)
    {
        for (var i = 0; i + word.Length <= value.Length; i++)
            if (System.Text.Ascii.EqualsIgnoreCase(value.Slice(i, word.Length), word)) return true;
        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadExactAsync(long length, BodyBuffer? keep, CancellationToken token)
    {
        while (length > 0)
        {
            if (_start == _end && !await FillAsync(token).ConfigureAwait(false))
                throw new RawHttpException(HttpErrors.Reset, $"the server closed the connection with {length} bytes of the body still to come");
            var take = (int)Math.Min(length, _end - _start);
            keep?.Append(_buffer.AsSpan(_start, take));
            _start += take;
            length -= take;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadToCloseAsync(BodyBuffer? keep, CancellationToken token)
    {
        while (true)
        {
            keep?.Append(_buffer.AsSpan(_start, _end - _start));
            _start = _end;
            if (!await FillAsync(token).ConfigureAwait(false)) return;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadChunkedAsync(BodyBuffer? keep, CancellationToken token)
    {
        while (true)
        {
            var line = await ReadLineAsync(token).ConfigureAwait(false);
            var sizeText = _buffer.AsSpan(line.Start, line.Length);
            var semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0) sizeText = sizeText[..semicolon];
            sizeText = sizeText.Trim((byte)' ');
            if (!Utf8Parser.TryParse(sizeText, out long size, out var used, 'X') || used != sizeText.Length || size < 0)
                throw new RawHttpException(HttpErrors.Protocol, $"bad chunk size '{Encoding.ASCII.GetString(sizeText[..Math.Min(sizeText.Length, 20)])}'");
            _start = line.Next;
            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                while (true)
                {
                    var trailer = await ReadLineAsync(token).ConfigureAwait(false);
                    _start = trailer.Next;
                    if (trailer.Length == 0) return;
                }
            }
            await ReadExactAsync(size, keep, token).ConfigureAwait(false);
            var crlf = await ReadLineAsync(token).ConfigureAwait(false);
            if (crlf.Length != 0) throw new RawHttpException(HttpErrors.Protocol, "a chunk is not followed by CRLF");
            _start = crlf.Next;
        }
    }

    /// <summary>The next CRLF-terminated line in the buffer (filling as needed), without consuming it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Line> ReadLineAsync(CancellationToken token)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
            if (!await FillAsync(token).ConfigureAwait(false))
                throw new RawHttpException(HttpErrors.Reset, "the server closed the connection in the middle of a chunked body");
        return new Line(_start, end, _start + end + 2);
    }

    /// <summary>Closes the socket; the next exchange opens a new one.</summary>
    public void Close()
    {
        var socket = _socket;
        _socket = null;
        _start = _end = 0;
        _used = false;
        if (socket is null) return;
        try
        {
            socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Close();
    }

    private readonly record struct Head(int Status, long ContentLength, bool Chunked, bool Close);

    private readonly record struct Line(int Start, int Length, int Next);
}

/// <summary>What the raw path learnt from a response: its status, and whether the connection is now closed.</summary>
internal readonly record struct RawResponse(int Status, bool Close);
