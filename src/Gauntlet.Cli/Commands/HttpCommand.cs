using System.CommandLine;
using Gauntlet.Reports;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>gauntlet http URL [-c 64] [-d 10s | -n N] [--rate R] [-m METHOD] [-H 'K: V']... [--body TEXT | --body-file FILE] [--http2]</c>:
/// a one-off load test in the manner of wrk, with a wrk-like summary.
/// </summary>
internal static class HttpCommand
{
    /// <summary>The most connections one run may ask for: beyond it a typo (an extra zero) rather than a plan.</summary>
    internal const int MaxConnections = 1_000_000;

    internal const string NoThreads = "Gauntlet has no thread count to set (its sockets run on one reactor per two cores); use -c for connections";

    private const string Description = """
        A one-off HTTP load test, like wrk: N connections back to back for a duration or a request count,
        or an exact arrival rate with --rate (coordinated-omission-corrected latency, as in wrk2). The
        flags make a scenario (--print-yaml shows it) that runs exactly as 'gauntlet run' would run it:
        the same summary, acceptance table and reports (result.json, report.md, report.html), then a
        wrk-like summary: latency distribution, requests, status codes, errors, requests/s, transfer/s.
        Exit code 0 when every --threshold passes (without one: when any request succeeded), 1 when one
        fails or no request succeeded, 2 for invalid flags, 3 when the target cannot be reached, 130
        when interrupted (the partial result is still written).

        Examples:
          gauntlet http http://127.0.0.1:8080/ok -c 64 -d 10s
          gauntlet http http://127.0.0.1:8080/echo -m POST --body-file payload.json -H 'Content-Type: application/json' -n 1000
          gauntlet http http://127.0.0.1:8080/ok --rate 2000 -c 128 -d 30s
          gauntlet http http://127.0.0.1:8081/json --http2 -c 16 -d 5s
          gauntlet http https://127.0.0.1:8443/json -k --http2 -c 16 -d 5s   (against gauntlet serve http --tls)
          gauntlet http http://127.0.0.1:8080/ok -c 64 -d 30s --threshold 'p99 < 20ms' --threshold 'error_rate < 1%'
          gauntlet http http://127.0.0.1:8080/ok -c 64 -d 30s --print-yaml > ok.yaml
        """;

    public static Command Create(CliConsole io)
    {
        var flags = new HttpFlags();
        var command = new Command("http", Description);
        flags.AddTo(command);
        command.SetAction((parse, _) => RunAsync(flags, parse, io));
        return command;
    }

    private static async Task<int> RunAsync(HttpFlags flags, ParseResult parse, CliConsole io)
    {
        var problems = new List<string>();
        if (flags.Read(parse, problems) is not { } run) return Fail(io, problems);
        var target = flags.Url(parse);
        var outputs = SessionOutputs.None with { Summary = scenario => HttpSummary.Render(scenario, target) };
        return await QuickYaml.RunAsync(run, "gauntlet http", io, outputs).ConfigureAwait(false);
    }

    private static int Fail(CliConsole io, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems) io.Error($"gauntlet http: {problem}");
        io.Error("gauntlet http: see 'gauntlet http --help' for usage");
        return ExitCodes.InvalidInput;
    }
}
