using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gauntlet.Bench.Cli;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;

namespace Gauntlet.Bench.Protocols;

/// <summary>
/// WebSocket echo messages and gRPC unary calls per second through the published CLI, against the loop a .NET developer
/// writes by hand with the same client library (<see cref="WebSocketPeer"/>, <see cref="GrpcPeer"/>), both against one
/// built-in server (<c>gauntlet serve http</c>), in interleaved rounds; written to bench/results/protocols.md.
/// </summary>
internal static partial class ProtocolsBenchmark
{
    public sealed record Settings
    {
        /// <summary>The CLI to measure: the apphost of a published, precompiled build (bench/run publishes one).</summary>
        public required string Cli { get; init; }
        /// <summary>host:port of <c>gauntlet serve http</c>: its <c>/ws</c> echo and its gRPC echo service.</summary>
        public required string Server { get; init; }
        public int Rounds { get; init; } = 3;
        public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
        public int Connections { get; init; } = 32;
        public required string Output { get; init; }
        public required string Root { get; init; }
    }

    /// <summary>The message every client sends: a short text, so that the figure is the protocol's cost, not the copy's.</summary>
    private const string Message = "hello";

    public static async Task<int> RunAsync(Settings settings)
    {
        if (!File.Exists(settings.Cli)) throw new InvalidOperationException($"no CLI at {settings.Cli}: publish it first (bench/run does)");
        var machine = MachineDescription.Capture();
        var scratch = Directory.CreateTempSubdirectory("gauntlet-protocols-bench-");
        try
        {
            var sections = new List<Section>
            {
                await Interleaved.RunAsync(WebSocketSection(settings, scratch.FullName), settings.Rounds).ConfigureAwait(false),
                await Interleaved.RunAsync(GrpcSection(settings, scratch.FullName), settings.Rounds).ConfigureAwait(false),
            };
            var text = new StringBuilder();
            text.AppendLine("# Protocols: the CLI against bare .NET clients").AppendLine();
            text.AppendLine(new MarkdownTable("", "")
                .Row("Date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                .Row("Command", "`bench/run protocols` (publishes the CLI precompiled, starts `gauntlet serve http` on loopback, then `Gauntlet.Bench protocols`)")
                .Row("Gauntlet commit", SourceRevision.Describe(settings.Root))
                .Row("Server", $"`gauntlet serve http` at {settings.Server} (the published CLI)")
                .Row("CPU", machine.Cpu)
                .Row("Cores", $"{machine.LogicalCores} logical")
                .Row("Load average", $"{machine.LoadAverage} at start, {MachineDescription.LoadAverageNow()} at end")
                .ToString());
            text.Append(Interleaved.Method(settings.Rounds));
            text.AppendLine("The peers are the loops a .NET developer writes by hand (`bench/Gauntlet.Bench/Protocols/`): run by the benchmark's own");
            text.AppendLine("`dotnet` process (JIT, tiered), their rate counted over their loop. Gauntlet's rate is ok operations over its issuing");
            text.AppendLine("time, from its result.json, with every message checked (the echo compared byte for byte, the gRPC status read).");
            text.AppendLine("The server shares the two cores with the client under test.").AppendLine();
            foreach (var section in sections) Interleaved.Render(text, section, settings.Rounds);
            await File.WriteAllTextAsync(settings.Output, text.ToString().Replace("\r\n", "\n")).ConfigureAwait(false);
            Console.Write(text);
            Console.Error.WriteLine($"wrote {settings.Output}");
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static SectionPlan WebSocketSection(Settings s, string scratch)
    {
        var url = $"ws://{s.Server}/ws";
        var c = s.Connections.ToString(CultureInfo.InvariantCulture);
        var seconds = (int)s.Duration.TotalSeconds;
        var d = $"{seconds}s";
        var limit = s.Duration + TimeSpan.FromSeconds(60);
        var runners = new List<Runner>
        {
            new(Runner.Gauntlet, $"gauntlet websocket {url} -c {c} -d {d} --send {Message} --expect echo", async () =>
            {
                var output = Path.Combine(scratch, "ws");
                var run = await PeerRun.RunAsync(s.Cli, ["websocket", url, "-c", c, "-d", d, "--send", Message, "--expect", "echo", "-o", output], limit).ConfigureAwait(false);
                return Interleaved.FromResult(run, output);
            }),
            new("ClientWebSocket loop", $"Gauntlet.Bench {WebSocketPeer.Command} {url} {c} {seconds} {Message}", async () =>
            {
                var run = await PeerRun.RunAsync(ThisBenchmark.Program, [.. ThisBenchmark.Arguments, WebSocketPeer.Command, url, c, seconds.ToString(CultureInfo.InvariantCulture), Message], limit).ConfigureAwait(false);
                return FromPeer(run, PeerMessages());
            }),
        };
        return new("WebSocket echo", $"{s.Connections} connections held open, one text message of {Message.Length} bytes and its echo at a time on each, {seconds} s per run", runners, [],
            [Goal.Ratio("ClientWebSocket loop", "echo messages/s against a bare ClientWebSocket loop", x => x.Rate, 0.9, atLeast: true)]);
    }

    private static SectionPlan GrpcSection(Settings s, string scratch)
    {
        var address = $"http://{s.Server}";
        var proto = Path.Combine(s.Root, "examples", "grpc-echo", "echo.proto");
        var data = $$"""{"text":"{{Message}}"}""";
        var c = s.Connections.ToString(CultureInfo.InvariantCulture);
        var seconds = (int)s.Duration.TotalSeconds;
        var d = $"{seconds}s";
        var limit = s.Duration + TimeSpan.FromSeconds(60);
        var runners = new List<Runner>
        {
            new(Runner.Gauntlet, $"gauntlet grpc {address} --proto examples/grpc-echo/echo.proto --call gauntlet.echo.Echo/Say --data '{data}' -c {c} -d {d}", async () =>
            {
                var output = Path.Combine(scratch, "grpc");
                var run = await PeerRun.RunAsync(s.Cli, ["grpc", address, "--proto", proto, "--call", "gauntlet.echo.Echo/Say", "--data", data, "-c", c, "-d", d, "-o", output], limit).ConfigureAwait(false);
                return Interleaved.FromResult(run, output);
            }),
            new("Grpc.Net.Client loop", $"Gauntlet.Bench {GrpcPeer.Command} {address} {c} {seconds} {Message}", async () =>
            {
                var run = await PeerRun.RunAsync(ThisBenchmark.Program, [.. ThisBenchmark.Arguments, GrpcPeer.Command, address, c, seconds.ToString(CultureInfo.InvariantCulture), Message], limit).ConfigureAwait(false);
                return FromPeer(run, PeerCalls());
            }),
        };
        return new("gRPC unary", $"{s.Connections} clients calling `gauntlet.echo.Echo/Say` with a {Message.Length}-character text back to back over one HTTP/2 channel, {seconds} s per run", runners, [],
            [Goal.Ratio("Grpc.Net.Client loop", "unary calls/s against a bare Grpc.Net.Client loop", x => x.Rate, 0.9, atLeast: true)]);
    }

    /// <summary>A peer's figures from its one line: operations over its own loop's seconds.</summary>
    private static Sample FromPeer(PeerRun run, Regex line)
    {
        var match = line.Match(run.Stdout);
        var operations = Interleaved.Number(match, run);
        var seconds = double.Parse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new Sample(operations, operations / seconds, run.CpuSeconds, run.PeakRssBytes);
    }

    [GeneratedRegex(@"messages (\d+) seconds ([\d.]+)")] private static partial Regex PeerMessages();
    [GeneratedRegex(@"calls (\d+) seconds ([\d.]+)")] private static partial Regex PeerCalls();
}
