using System.Net;
using System.Net.Sockets;
using Gauntlet.Targets.Http;
using static Gauntlet.Tests.Http.HttpRuns;

namespace Gauntlet.Tests.Http;

/// <summary>
/// What the raw HTTP/1.1 path allocates per request, measured against a tiny server that allocates nothing per
/// request, as the difference between a long and a short run so that set-up costs cancel out.
/// </summary>
/// <remarks>
/// The goal is nothing per request. Measured when this was written: about 1.1 KB per request, with or without a
/// per-operation timeout and with socket cancellation switched off, so it is not the cancellation registrations;
/// about six async state-machine boxes' worth, although the methods use pooled builders. Until that is found, this
/// test holds the line at the measured figure so that nothing adds to it.
/// </remarks>
public sealed class RawAllocationTests
{
    [Fact]
    public async Task Raw_path_allocation_per_request_stays_within_its_measured_bound()
    {
        using var server = new FixedResponseServer();
        var url = $"http://127.0.0.1:{server.Port}/ok";
        await Iterations(Get(url), 2_000, workers: 2); // compile everything first

        var shortRun = await AllocatedDuring(() => Iterations(Get(url), 2_000, workers: 2));
        var longRun = await AllocatedDuring(() => Iterations(Get(url), 12_000, workers: 2));

        var perRequest = (longRun - shortRun) / 10_000.0;
        // Measured: about 1,130 bytes per request (see the remarks). A rendered request string or a response copy per
        // request would push it well past the bound.
        Assert.True(perRequest < 1_500, $"{perRequest:F1} bytes allocated per request (short run {shortRun}, long run {longRun})");
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
