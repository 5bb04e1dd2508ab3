using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gauntlet.Bench.Protocols;

/// <summary>
/// The peer of the gRPC section: the loop a .NET developer writes by hand with Grpc.Net.Client, one channel shared by
/// every client (as generated clients share one), each calling the unary method back to back for the duration. The
/// request is encoded once and the reply is not decoded (a byte marshaller), which is the least work a client can do,
/// so the peer is a floor no generated client beats. Run as its own process (<c>Gauntlet.Bench grpc-peer ADDRESS
/// CLIENTS SECONDS</c>); prints <c>calls N seconds S</c>.
/// </summary>
internal static class GrpcPeer
{
    public const string Command = "grpc-peer";

    public static async Task<int> RunAsync(Uri address, int clients, TimeSpan duration, string service, string method, string text)
    {
        var bytes = Marshallers.Create(static (byte[] b) => b, static b => b);
        var call = new Method<byte[], byte[]>(MethodType.Unary, service, method, bytes, bytes);
        var request = EncodeStringField(1, text);
        using var channel = GrpcChannel.ForAddress(address);
        var invoker = channel.CreateCallInvoker();
        // One call before the clock starts: the connection is open, as the clients of Gauntlet's set-up are.
        await invoker.AsyncUnaryCall(call, null, default, request).ResponseAsync.ConfigureAwait(false);
        var counts = new long[clients];
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        stop.CancelAfter(duration);
        var loops = new Task[clients];
        for (var i = 0; i < clients; i++)
        {
            var index = i;
            loops[i] = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await invoker.AsyncUnaryCall(call, null, default, request).ResponseAsync.ConfigureAwait(false);
                    counts[index]++;
                }
            });
        }
        await Task.WhenAll(loops).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calls {counts.Sum()} seconds {seconds:F3}"));
        return 0;
    }

    /// <summary>A message whose only field, number <paramref name="field"/>, is the string <paramref name="value"/> (shorter than 128 bytes).</summary>
    private static byte[] EncodeStringField(int field, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        if (utf8.Length >= 128 || field >= 16) throw new ArgumentException("a short string in a low field only");
        return [(byte)(field << 3 | 2), (byte)utf8.Length, .. utf8];
    }
}
