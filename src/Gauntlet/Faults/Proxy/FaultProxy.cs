using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Faults.Proxy;

/// <summary>
/// A TCP proxy that sits between Gauntlet and a target and injects the faults of <see cref="FaultProxyOptions"/>:
/// latency with jitter, a bandwidth limit, resets, blackholes, slow closes and refusals. Each connection is two
/// pumps (client to target, target to client) that forward chunk by chunk, in order. Every socket it opens is
/// closed when the connection ends or the proxy is disposed. The faults follow a <see cref="FaultSchedule"/> whose
/// clock starts with the proxy, or, inside a scenario, with the scenario and on its <see cref="TimeProvider"/>
/// (<see cref="IFaultWindows"/>); latency, bandwidth and slow closes wait on that clock too.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable, IFaultWindows
{
    /// <summary>How long <see cref="DisposeAsync"/> waits for connections to wind down after closing their sockets.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the proxy waits for the target to accept a connection.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private const int ChunkBytes = 16 * 1024;

    /// <summary>The shortest timer the latency loop sets: below it a timer would only spin the loop.</summary>
    private static readonly TimeSpan MinimumTimerWait = TimeSpan.FromMilliseconds(1);

    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly FaultProxyOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Random _random;
    private readonly FaultSchedule _schedule;
    private readonly Task _acceptLoop;
    private Origin? _origin;
    private long _accepted, _refused, _blackholed, _reset, _bytesUp, _bytesDown, _upstreamFailures;

    /// <summary>When and on which clock the schedule started; null: it has not, and no fault applies yet.</summary>
    private sealed record Origin(TimeProvider Time, long Timestamp);

    private FaultProxy(Socket listener, IPEndPoint target, FaultProxyOptions options, IReadOnlyList<FaultProxyOptions> schedule, bool startClock)
    {
        _listener = listener;
        _target = target;
        _options = options;
        _schedule = new FaultSchedule([options, .. schedule]);
        _origin = startClock ? new Origin(TimeProvider.System, TimeProvider.System.GetTimestamp()) : null;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The address the proxy listens on.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Where it forwards to.</summary>
    public IPEndPoint Target => _target;

    /// <summary>The faults it injects.</summary>
    public FaultProxyOptions Options => _options;

    /// <summary>Counters since the start, read at any time.</summary>
    public FaultProxyCounts Counts => new(Interlocked.Read(ref _accepted), Interlocked.Read(ref _refused), Interlocked.Read(ref _blackholed),
        Interlocked.Read(ref _reset), Interlocked.Read(ref _upstreamFailures), Interlocked.Read(ref _bytesUp), Interlocked.Read(ref _bytesDown));

    /// <summary>
    /// Starts listening on <paramref name="listen"/> and forwarding to <paramref name="target"/>, with the faults'
    /// window measured from now; throws on invalid options, or a <see cref="SocketException"/> when it cannot bind (with
    /// the message "127.0.0.1:7001 is already in use" when another socket listens there: the port is never shared).
    /// </summary>
    public static FaultProxy Start(IPEndPoint listen, IPEndPoint target, FaultProxyOptions options) =>
        Start(listen, target, options, [], startClock: true);

    /// <summary>
    /// Starts a proxy whose faults are <paramref name="options"/> (in their own window) and every window of
    /// <paramref name="schedule"/>. With <paramref name="startClock"/> false no fault applies until
    /// <see cref="ScenarioStarted"/> starts the schedule's clock.
    /// </summary>
    internal static FaultProxy Start(IPEndPoint listen, IPEndPoint target, FaultProxyOptions options, IReadOnlyList<FaultProxyOptions> schedule, bool startClock)
    {
        var problems = options.Validate().Concat(schedule.SelectMany((w, i) => w.Validate().Select(p => p with { Path = $"schedule[{i}].{p.Path}" }))).ToList();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        return new FaultProxy(Sockets.ListeningSocket.Open(listen, Targets.Tcp.EchoServer.Backlog), target, options, schedule, startClock);
    }

    /// <summary>
    /// Starts a proxy for a scenario's <paramref name="faults"/> on a free loopback port in front of
    /// <paramref name="target"/>'s address and sends the operation through it; the schedule's clock waits for
    /// <see cref="ScenarioStarted"/>. Throws <see cref="TargetUnreachableException"/> when it cannot.
    /// </summary>
    internal static FaultProxy InFrontOf(IRedirectableTarget target, Scenarios.FaultOptions faults)
    {
        var endpoint = target.TargetEndPoint ?? throw new TargetUnreachableException(
            "faults: the operation does not connect to one address, so there is nothing to put the fault proxy in front of; send every request to one host and port");
        var loopback = endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        FaultProxy proxy;
        try
        {
            proxy = Start(new IPEndPoint(loopback, 0), endpoint, faults.Proxy ?? new FaultProxyOptions(), faults.Schedule, startClock: false);
        }
        catch (SocketException e)
        {
            throw new TargetUnreachableException($"faults: cannot start the fault proxy on {loopback}: {e.Message}", e);
        }
        target.Redirect(proxy.EndPoint);
        return proxy;
    }

    /// <summary>True while a fault window is open.</summary>
    public bool FaultsActive => Current() is not null;

    /// <summary>Restarts the schedule's clock now, on <paramref name="time"/>: windows are measured from the scenario's start from now on.</summary>
    public void ScenarioStarted(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Volatile.Write(ref _origin, new Origin(time, time.GetTimestamp()));
    }

    /// <inheritdoc />
    public IReadOnlyList<TimelineWindow> WindowsUntil(TimeSpan elapsed) =>
        Volatile.Read(ref _origin) is null ? [] : _schedule.WindowsUntil(elapsed);

    private ActiveFaults? Current()
    {
        var origin = Volatile.Read(ref _origin);
        return origin is null ? null : _schedule.At(origin.Time.GetElapsedTime(origin.Timestamp));
    }

    /// <summary>The clock the faults wait on: the scenario's once it started, else the system's.</summary>
    private TimeProvider Time => Volatile.Read(ref _origin)?.Time ?? TimeProvider.System;

    private double Draw()
    {
        lock (_random) return _random.NextDouble();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            Interlocked.Increment(ref _accepted);
            client.NoDelay = true;
            var active = Current();
            if (active is { RefuseShare: > 0 } && Draw() < active.RefuseShare)
            {
                Interlocked.Increment(ref _refused);
                Reset(client);
                continue;
            }
            _sockets[client] = 0;
            var blackhole = active is { BlackholeShare: > 0 } && Draw() < active.BlackholeShare;
            var resetEarly = active is { ResetShare: > 0 } && Draw() < active.ResetShare;
            var connection = blackhole ? BlackholeAsync(client) : ForwardAsync(client, resetEarly);
            _connections[connection] = 0;
            _ = connection.ContinueWith(static (task, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(task, out _),
                _connections, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task BlackholeAsync(Socket client)
    {
        Interlocked.Increment(ref _blackholed);
        var sink = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (await client.ReceiveAsync(sink.AsMemory(), SocketFlags.None, _stop.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
            Close(client);
        }
    }

    private async Task ForwardAsync(Socket client, bool resetEarly)
    {
        var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _sockets[upstream] = 0;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                connectTimeout.CancelAfter(ConnectTimeout);
                await upstream.ConnectAsync(_target, connectTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The target is down: the client sees what it would see without the proxy, a connection that goes away.
            Interlocked.Increment(ref _upstreamFailures);
            Reset(client);
            Close(upstream);
            return;
        }
        var state = new ConnectionState(client, upstream, resetEarly);
        var up = PumpAsync(client, upstream, state, upstreamDirection: true);
        var down = PumpAsync(upstream, client, state, upstreamDirection: false);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        Close(client);
        Close(upstream);
    }

    private async Task PumpAsync(Socket from, Socket to, ConnectionState state, bool upstreamDirection)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var token = _stop.Token;
        var time = Time;
        var sendAllowedAt = time.GetTimestamp();
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(chunk.AsMemory(), SocketFlags.None, token).ConfigureAwait(false);
                if (Time is var current && current != time)
                {
                    // The scenario started on another clock: the bucket restarts on it.
                    time = current;
                    sendAllowedAt = time.GetTimestamp();
                }
                var arrived = time.GetTimestamp();
                var active = Current();
                if (n == 0)
                {
                    if (active is { SlowClose: var slowClose } && slowClose > TimeSpan.Zero) await Task.Delay(slowClose, time, token).ConfigureAwait(false);
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                if (state.ResetEarly && upstreamDirection)
                {
                    ResetBoth(state);
                    return;
                }
                if (active is not null && Delay(active, upstreamDirection) is { } delay)
                {
                    // Timers run on a coarse clock and can fire a few ms early: wait again until the delay is a floor.
                    for (var wait = delay - time.GetElapsedTime(arrived); wait > TimeSpan.Zero; wait = delay - time.GetElapsedTime(arrived))
                        await Task.Delay(wait < MinimumTimerWait ? MinimumTimerWait : wait, time, token).ConfigureAwait(false);
                }
                if (active?.BandwidthBytesPerSecond is { } rate)
                {
                    // A token bucket of one chunk: each chunk may leave only once the previous ones have drained at the rate.
                    var now = time.GetTimestamp();
                    if (sendAllowedAt > now) await Task.Delay(time.GetElapsedTime(now, sendAllowedAt), time, token).ConfigureAwait(false);
                    sendAllowedAt = Math.Max(now, sendAllowedAt) + (long)(n * (double)time.TimestampFrequency / rate);
                }
                var total = Interlocked.Add(ref state.Forwarded, n);
                if (active?.ResetAfterBytes is { } limit && total >= limit)
                {
                    var allowed = (int)Math.Max(0, n - (total - limit));
                    if (allowed > 0) await to.SendAsync(chunk.AsMemory(0, allowed), SocketFlags.None, token).ConfigureAwait(false);
                    ResetBoth(state);
                    return;
                }
                await to.SendAsync(chunk.AsMemory(0, n), SocketFlags.None, token).ConfigureAwait(false);
                Interlocked.Add(ref upstreamDirection ? ref _bytesUp : ref _bytesDown, n);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away: take the other down too, so neither waits forever.
            Close(state.Client);
            Close(state.Upstream);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private TimeSpan? Delay(ActiveFaults active, bool upstreamDirection)
    {
        var (latency, jitter) = active.Delay(upstreamDirection);
        if (latency == TimeSpan.Zero && jitter == TimeSpan.Zero) return null;
        var delay = latency;
        if (jitter > TimeSpan.Zero) delay += jitter * (Draw() * 2 - 1);
        return delay > TimeSpan.Zero ? delay : null;
    }

    private void ResetBoth(ConnectionState state)
    {
        if (Interlocked.Exchange(ref state.ResetDone, 1) == 0) Interlocked.Increment(ref _reset);
        Reset(state.Client);
        Reset(state.Upstream);
    }

    /// <summary>Closes with an RST (linger 0) instead of a FIN.</summary>
    private void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        Close(socket);
    }

    private void Close(Socket socket)
    {
        _sockets.TryRemove(socket, out _);
        socket.Dispose();
    }

    /// <summary>Stops accepting, closes every socket and waits (bounded by <see cref="StopTimeout"/>) for the pumps to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Dispose();
        foreach (var socket in _sockets.Keys) socket.Dispose();
        try
        {
            await Task.WhenAll([_acceptLoop, .. _connections.Keys]).WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        foreach (var socket in _sockets.Keys) socket.Dispose(); // any opened while stopping
    }

    private sealed class ConnectionState(Socket client, Socket upstream, bool resetEarly)
    {
        public readonly Socket Client = client;
        public readonly Socket Upstream = upstream;
        public readonly bool ResetEarly = resetEarly;
        public long Forwarded;
        public int ResetDone;
    }
}

/// <summary>What a <see cref="FaultProxy"/> has done: connections accepted, refused, blackholed and reset, connections the target would not take, bytes each way.</summary>
public readonly record struct FaultProxyCounts(long Accepted, long Refused, long Blackholed, long Reset, long UpstreamFailures, long BytesUp, long BytesDown);
