using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Gauntlet.Metrics;
using Gauntlet.Sockets;

namespace Gauntlet.Targets.Http;

/// <summary>
/// One worker's keep-alive HTTP/1.1 connection on a raw socket: send a request, read the response on spans
/// (content-length, chunked, or until close), and reconnect when the server has closed the connection. With
/// <c>connectTo</c> it connects there (a fault proxy, the built-in server) instead of resolving <c>host</c>.
/// </summary>
/// <remarks>
/// Written for speed, because it is the load generator's hot path. The socket is a <see cref="ReactorSocket"/>,
/// whose receive on a connection known to be empty waits for the reactor's readiness event instead of making a
/// system call that would find nothing (the response cannot be there before the request), then receives until the
/// response is complete. The response is parsed by a state machine over the worker's buffer, in place and without
/// strings, so one exchange is one async method and a request that needs no reconnect allocates nothing.
/// </remarks>
internal sealed class RawHttpConnection(string host, int port, TimeSpan connectTimeout, IPEndPoint? connectTo = null) : IDisposable
{
    /// <summary>
    /// The receive buffer's largest size; a response head (status line and headers) must fit in it. It starts at
    /// <see cref="InitialBufferSize"/> and doubles when a head does not fit or a receive fills it: most responses are
    /// small, and every worker's buffer is fresh memory whose page faults delay the first requests of a run.
    /// </summary>
    public const int BufferSize = 64 * 1024;

    /// <summary>The receive buffer's first size (wrk's).</summary>
    public const int InitialBufferSize = 8 * 1024;

    private byte[] _buffer = new byte[InitialBufferSize];
    private ReactorSocket? _socket;
    private int _start, _end;
    private bool _used;
    private bool _disposed;
    private IPAddress[]? _addresses = connectTo is null ? null : [connectTo.Address];
    private readonly int _port = connectTo?.Port ?? port;

    // The response being read: where the parser is, and what it has learnt.
    private State _state;
    private long _remaining;
    private int _status;
    private bool _close;
    private bool _headOnly;
    private BodyBuffer? _keep;
    private long _responseBytes;

    public long BytesIn { get; private set; }
    public int Opened { get; private set; }
    public int ServerCloses { get; private set; }

    // The phases of the last exchange, in Stopwatch ticks (plain fields: the hot path reads the clock, nothing more).
    private long _connect0, _connect1;

    /// <summary>How long the <paramref name="index"/>-th of the last exchange's <see cref="Opened"/> connections took to open (ticks).</summary>
    public long ConnectTicks(int index) => index == 0 ? _connect0 : _connect1;

    /// <summary>The last complete response: from the request written to its first byte (ticks).</summary>
    public long FirstByteTicks { get; private set; }

    /// <summary>The last complete response: from its first byte to its last (ticks).</summary>
    public long TransferTicks { get; private set; }

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
            var socket = _socket!;
            Begin(headOnlyResponse, keep);
            try
            {
                await socket.SendAsync(head, token).ConfigureAwait(false);
                if (!body.IsEmpty) await socket.SendAsync(body, token).ConfigureAwait(false);
                var sent = Clock.Now;
                // Bytes of this response already buffered (a server that answered early) are parsed first.
                var firstByte = _start < _end ? sent : 0;
                var complete = _start < _end && Advance();
                while (!complete)
                {
                    var seen = socket.ReadSequence;
                    MakeRoom();
                    var room = _buffer.Length - _end;
                    // On a connection known to be empty this waits for the reactor's event without a failed receive.
                    var read = socket.Receive(_buffer.AsSpan(_end));
                    if (read < 0)
                    {
                        await socket.WaitReadableAsync(seen, token).ConfigureAwait(false);
                        continue;
                    }
                    if (read == 0)
                    {
                        complete = EndOfStream();
                        break;
                    }
                    _end += read;
                    if (firstByte == 0) firstByte = Clock.Now;
                    // A receive that filled the buffer says the responses are large: fewer, larger receives from now on.
                    if (read == room && _buffer.Length < BufferSize) Array.Resize(ref _buffer, _buffer.Length * 2);
                    BytesIn += read;
                    _responseBytes += read;
                    complete = Advance();
                }
                var done = Clock.Now;
                if (firstByte == 0) firstByte = done;
                FirstByteTicks = firstByte - sent;
                TransferTicks = done - firstByte;
            }
            catch (Exception e) when (reused && attempt == 0 && _responseBytes == 0 && IsClosedByPeer(e))
            {
                // A keep-alive connection the server closed while idle: the request never reached it. Reconnect once.
                ServerCloses++;
                Close();
                continue;
            }
            _used = true;
            _keep = null;
            if (_close)
            {
                ServerCloses++;
                Close();
            }
            return new RawResponse(_status, _close);
        }
    }

    private static bool IsClosedByPeer(Exception e) =>
        e is RawHttpException { Kind: HttpErrors.Reset } || e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown };

    private async ValueTask ConnectAsync(CancellationToken token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _addresses ??= IPAddress.TryParse(host, out var literal) ? [literal] : await ResolveAsync(token).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(connectTimeout);
        Exception? last = null;
        foreach (var address in _addresses)
        {
            try
            {
                var started = Clock.Now;
                _socket = await ReactorSocket.ConnectAsync(new IPEndPoint(address, _port), timeout.Token).ConfigureAwait(false);
                if (Opened == 0) _connect0 = Clock.Now - started;
                else _connect1 = Clock.Now - started;
                _start = _end = 0;
                _used = false;
                Opened++;
                return;
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new RawHttpException(HttpErrors.ConnectTimeout, $"no connection to {host}:{port} within {Format.Duration(connectTimeout)}");
            }
            catch (SocketException e)
            {
                last = e;
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

    /// <summary>Where the parser is in a response.</summary>
    private enum State
    {
        Head,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        ToClose,
    }

    private void Begin(bool headOnlyResponse, BodyBuffer? keep)
    {
        _state = State.Head;
        _headOnly = headOnlyResponse;
        _keep = keep;
        _responseBytes = 0;
        _status = 0;
        _close = false;
    }

    /// <summary>Makes room after the buffered bytes for a receive: moves them to the front when the buffer is full.</summary>
    private void MakeRoom()
    {
        if (_start == _end) _start = _end = 0;
        else if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else if (_buffer.Length < BufferSize) Array.Resize(ref _buffer, _buffer.Length * 2);
            else throw new RawHttpException(HttpErrors.Protocol, $"a response head or chunk line longer than {BufferSize} bytes");
        }
    }

    /// <summary>Parses what is buffered; true when the response is complete (its status and <c>_close</c> are set).</summary>
    private bool Advance()
    {
        while (true)
        {
            var buffered = _buffer.AsSpan(_start, _end - _start);
            switch (_state)
            {
                case State.Head:
                {
                    var headEnd = buffered.IndexOf("\r\n\r\n"u8);
                    if (headEnd < 0) return false;
                    var head = ParseHead(buffered[..(headEnd + 2)]);
                    _start += headEnd + 4;
                    if (head.Status is >= 100 and < 200 && head.Status != 101) continue; // 100 Continue and friends: the real answer follows
                    _status = head.Status;
                    _close = head.Close;
                    if (_headOnly || head.Status is 204 or 304 || head.Status < 200) return true;
                    if (head.Chunked) _state = State.ChunkSize;
                    else if (head.ContentLength >= 0)
                    {
                        if (head.ContentLength == 0) return true;
                        _state = State.Body;
                        _remaining = head.ContentLength;
                    }
                    else
                    {
                        _state = State.ToClose;
                        _close = true;
                    }
                    continue;
                }
                case State.Body or State.ChunkData:
                {
                    var take = (int)Math.Min(_remaining, buffered.Length);
                    _keep?.Append(buffered[..take]);
                    _start += take;
                    _remaining -= take;
                    if (_remaining > 0) return false;
                    if (_state == State.Body) return true;
                    _state = State.ChunkEnd;
                    continue;
                }
                case State.ChunkSize:
                {
                    var end = buffered.IndexOf("\r\n"u8);
                    if (end < 0) return false;
                    var sizeText = buffered[..end];
                    var semicolon = sizeText.IndexOf((byte)';');
                    if (semicolon >= 0) sizeText = sizeText[..semicolon];
                    sizeText = sizeText.Trim((byte)' ');
                    if (!Utf8Parser.TryParse(sizeText, out long size, out var used, 'X') || used != sizeText.Length || size < 0)
                        throw new RawHttpException(HttpErrors.Protocol, $"bad chunk size '{Encoding.ASCII.GetString(sizeText[..Math.Min(sizeText.Length, 20)])}'");
                    _start += end + 2;
                    if (size == 0) _state = State.Trailers;
                    else
                    {
                        _state = State.ChunkData;
                        _remaining = size;
                    }
                    continue;
                }
                case State.ChunkEnd:
                    if (buffered.Length < 2) return false;
                    if (buffered[0] != (byte)'\r' || buffered[1] != (byte)'\n') throw new RawHttpException(HttpErrors.Protocol, "a chunk is not followed by CRLF");
                    _start += 2;
                    _state = State.ChunkSize;
                    continue;
                case State.Trailers:
                {
                    // Trailers, if any, end with an empty line.
                    var end = buffered.IndexOf("\r\n"u8);
                    if (end < 0) return false;
                    _start += end + 2;
                    if (end == 0) return true;
                    continue;
                }
                case State.ToClose:
                    _keep?.Append(buffered);
                    _start = _end;
                    return false;
                default:
                    throw new InvalidOperationException($"unknown parser state {_state}");
            }
        }
    }

    /// <summary>The server closed the connection: the end of a body read to close, or a response cut short.</summary>
    private bool EndOfStream() => _state switch
    {
        State.ToClose => true,
        State.Head when _responseBytes == 0 => throw new RawHttpException(HttpErrors.Reset, "the server closed the connection without a response"),
        State.Head => throw new RawHttpException(HttpErrors.Reset, "the server closed the connection in the middle of a response head"),
        State.Body => throw new RawHttpException(HttpErrors.Reset, $"the server closed the connection with {_remaining} bytes of the body still to come"),
        _ => throw new RawHttpException(HttpErrors.Reset, "the server closed the connection in the middle of a chunked body"),
    };

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

    /// <summary>Closes the socket; the next exchange opens a new one.</summary>
    public void Close()
    {
        var socket = _socket;
        _socket = null;
        _start = _end = 0;
        _used = false;
        socket?.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        Close();
    }

    private readonly record struct Head(int Status, long ContentLength, bool Chunked, bool Close);
}

/// <summary>What the raw path learnt from a response: its status, and whether the connection is now closed.</summary>
internal readonly record struct RawResponse(int Status, bool Close);
