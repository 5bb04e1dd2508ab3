using System.Net;
using System.Net.Sockets;
using Gauntlet.Targets.Http;
using static Gauntlet.Tests.Http.HttpRuns;

namespace Gauntlet.Tests.Http;

/// <summary>
/// What the raw HTTP/1.1 path allocates per request, against a tiny server that allocates nothing per request, next
/// to a bare socket loop (send, receive) on the same server in the same run: .NET's sockets allocate a little per
/// asynchronous completion themselves, and that is the floor. Each figure is a long run minus a short one, so
/// set-up costs cancel out.
/// </summary>
public sealed class RawAllocationTests
{
    [Fact]
    public async Task Raw_path_allocates_next_to_nothing_beyond_what_sockets_allocate()
    {
        using var server = new FixedResponseServer();
        var url = $"http://127.0.0.1:{server.Port}/ok";
        await Iterations(Get(url), 2_000, workers: 2); // compile everything first
        await BareSocketLoop(server.Port, 2_000);

        var shortRun = await AllocatedDuring(() => Iterations(Get(url), 2_000, workers: 2));
        var longRun = await AllocatedDuring(() => Iterations(Get(url), 12_000, workers: 2));
        var perRequest = (longRun - shortRun) / 10_000.0;
        var bare = await BareSocketLoop(server.Port, 10_000) / 10_000.0;

        // Debug builds compile every async method into a class, one object per call however its box is pooled: about
        // a kilobyte per request for the operation's and the exchange's async methods. Release builds compile them into
        // structs in pooled boxes, and the raw path (its own reactor, no .NET socket operation) allocates less than the
        // bare loop's sockets do.
        var optimized = typeof(HttpOperation).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            is not [System.Diagnostics.DebuggableAttribute { IsJITOptimizerDisabled: true }];
        var bound = optimized ? bare + 32 : 1_500;
        Assert.True(perRequest < bound,
            $"{perRequest:F1} bytes allocated per request ({(optimized ? "optimized" : "debug")} build; a bare socket loop allocates {bare:F1}; bound {bound:F1})");
    }

    private static async Task<long> BareSocketLoop(int port, int requests)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var request = "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray();
        var buffer = new byte[4096];
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < requests; i++)
        {
            await socket.SendAsync(request, SocketFlags.None);
            var received = 0;
            while (received < FixedResponseServer.ResponseLength) received += await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
        }
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static async Task<long> AllocatedDuring(Func<Task<Gauntlet.Results.ScenarioResult>> run)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await run();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        Assert.Equal(result.Counts.Started, result.Counts.Ok);
        return after - before;
    }

    /// <summary>Answers every request on a connection with the same bytes, on a thread per connection, allocating nothing per request.</summary>
    private sealed class FixedResponseServer : IDisposable
    {
        private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"u8.ToArray();

        public static int ResponseLength => Response.Length;
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<Socket> _connections = [];
        private readonly Thread _acceptor;

        public FixedResponseServer()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(64);
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            _acceptor = new Thread(Accept) { IsBackground = true };
            _acceptor.Start();
        }

        public int Port { get; }

        private void Accept()
        {
            try
            {
                while (true)
                {
                    var connection = _listener.Accept();
                    lock (_connections) _connections.Add(connection);
                    new Thread(() => Serve(connection)) { IsBackground = true }.Start();
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private static void Serve(Socket connection)
        {
            var buffer = new byte[8192];
            var filled = 0;
            try
            {
                while (true)
                {
                    var read = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                    if (read == 0) return;
                    filled += read;
                    int end;
                    while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
                    {
                        connection.Send(Response);
                        var rest = filled - (end + 4);
                        Buffer.BlockCopy(buffer, end + 4, buffer, 0, rest);
                        filled = rest;
                    }
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _listener.Dispose();
            lock (_connections)
                foreach (var connection in _connections) connection.Dispose();
            _acceptor.Join(TimeSpan.FromSeconds(5));
        }
    }
}
