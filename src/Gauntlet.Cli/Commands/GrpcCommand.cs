using System.CommandLine;
using Gauntlet.Reports;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>gauntlet grpc TARGET --proto F --call pkg.Svc/Method [--data JSON] [-c 16] [--channels N] [-d 10s | -n N] [--rate R]</c>: a
/// one-off gRPC load test in the manner of ghz, built the way <c>gauntlet http</c> is (flags, then a scenario file's
/// text, then the same reader as <c>gauntlet run</c>).
/// </summary>
internal static class GrpcCommand
{
    private const string Description = """
        A one-off gRPC load test, like ghz: call a unary or server-streaming method of a service described
        by a .proto file (read at run time, no code generation) with a JSON request, -c calls in flight (over
        --channels HTTP/2 connections) for
        a duration or a call count, or an exact arrival rate with --rate. The flags make a scenario
        (--print-yaml shows it) that runs exactly as 'gauntlet run' would run it, then a summary: latency
        distribution, calls, statuses, errors, calls/s, and for server streaming the messages per call, the
        time to the first message and the gap between messages. Exit code 0 when every --threshold passes
        (default: every call ended with an expected status), 1 when one fails, 2 for invalid flags, a .proto
        that does not parse, a method that is not in it or a message that does not fit, 3 when the target
        cannot be reached, 130 when interrupted.

        TARGET is http://HOST:PORT (clear-text HTTP/2), https://HOST:PORT, or builtin:http (Gauntlet's own
        server, started for the run, with the service gauntlet.echo.Echo; --proto may then be left out).

        Examples:
          gauntlet grpc builtin:http --call gauntlet.echo.Echo/Say --data '{"text": "hi {{iteration}}"}' -c 16 -d 5s
          gauntlet grpc http://127.0.0.1:8080 --proto echo.proto --call gauntlet.echo.Echo/Say -c 16 -n 10000
          gauntlet grpc http://127.0.0.1:8080 --proto echo.proto --call gauntlet.echo.Echo/Stream --data '{"count": 10, "intervalMs": 5}'
          gauntlet grpc http://127.0.0.1:8080 --proto echo.proto --call gauntlet.echo.Echo/Say --rate 2000 -c 64 -d 30s --deadline 100ms
        (against 'gauntlet serve http --port 8080'; 'gauntlet serve http --print-proto > echo.proto' writes its .proto)
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new GrpcFlags();
        var command = new Command("grpc", Description);
        flags.AddTo(command);
        command.SetAction((parse, _) => RunAsync(flags, parse, io));
        return command;
    }

    private static async Task<int> RunAsync(GrpcFlags flags, ParseResult parse, CliConsole io)
    {
        var problems = new List<string>();
        if (flags.Read(parse, problems) is not { } run)
        {
            foreach (var problem in problems) io.Error($"gauntlet grpc: {problem}");
            io.Error("gauntlet grpc: see 'gauntlet grpc --help' for usage");
            return ExitCodes.InvalidInput;
        }
        var target = flags.Target(parse);
        var outputs = SessionOutputs.None with { Summary = scenario => GrpcSummary(scenario, target) };
        return await QuickYaml.RunAsync(run, "gauntlet grpc", io, outputs).ConfigureAwait(false);
    }

    /// <summary>The wrk-like summary of <c>gauntlet http</c>, with the gRPC lines after it.</summary>
    private static string GrpcSummary(Results.ScenarioResult scenario, string target)
    {
        var text = HttpSummary.Render(scenario, target);
        if (scenario.Grpc is not { } grpc) return text;
        text += $"  gRPC: {GrpcText.Line(grpc)}\n";
        if (GrpcText.StreamLine(grpc) is { } stream) text += $"  Streams: {stream}\n";
        return text;
    }
}
