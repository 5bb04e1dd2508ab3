namespace GuideSamples;

using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using Gauntlet.Pipeline;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Http;

public static class WritingOperations
{
    public static Scenario BuiltinObjects()
    {
        // <sample:operation-objects>
        var api = new HttpOperation(new HttpOperationOptions([new HttpRequestKind(Template.Constant("http://127.0.0.1:8080/api/items"))]));
        var scenario = Scenario.Create("api", api)            // the operation itself, never api.RunAsync
            .WithLoad(LoadProfile.Closed(8))
            .WithDuration(TimeSpan.FromSeconds(30))
            .WithThresholds("p99 < 100ms", "error_rate == 0");
        // </sample:operation-objects>
        return scenario;
    }

    public static Scenario[] Delegates(HttpClient http, string url)
    {
        // <sample:delegates>
        // Ok unless the task throws: the status is checked by EnsureSuccessStatusCode.
        var get = Scenario.Create("get", async ctx =>
        {
            using var response = await http.GetAsync(url, ctx.CancellationToken);
            response.EnsureSuccessStatusCode();
        });

        // The outcome is whatever it returns.
        var parse = Scenario.Create("parse", ctx => new ValueTask<Outcome>(
            int.TryParse("42", out _) ? Outcome.Ok : Outcome.Failed("parse", "not a number")));

        // Synchronous code: ok unless it throws.
        var hash = Scenario.CreateSync("hash", ctx => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(ctx.OperationId)));
        // </sample:delegates>
        return [get, parse, hash];
    }

    public static Scenario BzAdd()
    {
        // <sample:outcome-kinds>
        static async ValueTask<Outcome> AddIssueAsync(OperationContext ctx)
        {
            var start = new ProcessStartInfo("./bz", ["q", $"issue-{ctx.OperationId}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (Win32Exception e)
            {
                return Outcome.NotStarted("spawn", e.Message);   // a spawn that fails is an outcome, never a skip
            }
            using (process)
            {
                // Drain both pipes while waiting, or a chatty child blocks on a full pipe and never exits.
                var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
                try
                {
                    await process.WaitForExitAsync(ctx.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;                                     // the engine records TimedOut
                }
                await stdout;
                var errors = await stderr;
                return process.ExitCode switch
                {
                    0 => Outcome.Ok,
                    // On Linux and macOS, .NET reports a child killed by signal N as exit code 128 + N.
                    139 => Outcome.Crashed("SIGSEGV", errors),
                    134 => Outcome.Crashed("SIGABRT", errors),
                    137 => Outcome.Crashed("SIGKILL", errors),
                    var code => Outcome.Failed($"exit_{code}", errors),
                };
            }
        }

        var scenario = new Scenario("bz-add", AddIssueAsync)
            .WithLoad(LoadProfile.SharedIterations(workers: 10, iterations: 1000))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithThresholds("count(crashed) == 0", "error_rate == 0");
        // </sample:outcome-kinds>
        return scenario;
    }

    public static async Task WorkerStateAsync()
    {
        // <sample:worker-state>
        var opened = new ConcurrentBag<EchoConnection>();

        async ValueTask<Outcome> EchoAsync(OperationContext ctx)
        {
            try
            {
                if (ctx.WorkerState is not EchoConnection connection)
                {
                    var client = new TcpClient { NoDelay = true };
                    try
                    {
                        await client.ConnectAsync("127.0.0.1", 7000, ctx.CancellationToken);
                    }
                    catch
                    {
                        client.Dispose();
                        throw;
                    }
                    connection = new EchoConnection(client);
                    opened.Add(connection);
                    ctx.WorkerState = connection;
                }

                BitConverter.TryWriteBytes(connection.Sent, ctx.OperationId);   // the first 8 of 64 bytes: the operation id
                await connection.Stream.WriteAsync(connection.Sent, ctx.CancellationToken);
                var read = 0;
                while (read < connection.Received.Length)
                {
                    var n = await connection.Stream.ReadAsync(connection.Received.AsMemory(read), ctx.CancellationToken);
                    if (n == 0)
                    {
                        Forget(ctx);
                        return Outcome.Failed("closed", $"server closed the connection after {read} of 64 bytes");
                    }
                    read += n;
                }
                return connection.Received.AsSpan().SequenceEqual(connection.Sent)
                    ? Outcome.Ok
                    : Outcome.Failed("echo_mismatch", $"operation {ctx.OperationId}: the reply is not the request");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return Outcome.Unreachable("refused", e.Message);
            }
            catch (IOException e)
            {
                Forget(ctx);
                return Outcome.Failed("reset", e.Message);
            }
            catch (OperationCanceledException)
            {
                Forget(ctx);   // half a reply may be on its way: the next operation needs a fresh connection
                throw;         // the engine records TimedOut (or cut off at the end of the scenario)
            }
        }

        static void Forget(OperationContext ctx)
        {
            (ctx.WorkerState as IDisposable)?.Dispose();
            ctx.WorkerState = null;
        }

        var scenario = new Scenario("echo-64b", EchoAsync)
            .WithLoad(LoadProfile.Closed(200))
            .WithDuration(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(2))
            .WithThresholds("error_rate == 0", "p99 < 10ms");

        try
        {
            var s = (await new Runner().RunAsync(scenario)).Scenarios[0];
            Console.WriteLine($"{s.Verdict}: {s.Counts.Ok} echoes ok, p99 {s.Latency.P99Micros} us");
            foreach (var e in s.Errors) Console.WriteLine($"  {e.Status} {e.Kind} x{e.Count}: {e.SampleMessage}");
            foreach (var reason in s.Reasons) Console.WriteLine("  " + reason);
        }
        finally
        {
            foreach (var connection in opened) connection.Dispose();
        }
        // </sample:worker-state>
    }
}

// <sample:worker-state-connection>
public sealed class EchoConnection(TcpClient client) : IDisposable
{
    public NetworkStream Stream { get; } = client.GetStream();
    public byte[] Sent { get; } = new byte[64];
    public byte[] Received { get; } = new byte[64];
    public void Dispose() => client.Dispose();
}
// </sample:worker-state-connection>
