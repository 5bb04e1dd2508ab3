using System.CommandLine;
using Gauntlet.Cli.Commands;

// Commands only: each command parses its flags and calls the library (Spec/, Engine/, Reports/).
var io = CliConsole.FromProcess();
var root = new RootCommand("""
    Gauntlet: stress-test code, programs and servers; account for every operation; judge the figures
    against thresholds; write reports you can trust.

    Examples:
      gauntlet demo
      gauntlet run examples/open-rate/scenario.yaml
      gauntlet validate suite.yaml
      gauntlet report result.json --format html --out report.html
      gauntlet compare baseline.json result.json
      gauntlet tcp 127.0.0.1:7000 -c 1000 --payload 64B --expect echo -d 10s
      gauntlet serve echo --port 7000
      gauntlet test examples/isolated-suite/suite.yaml
      gauntlet http http://127.0.0.1:8080/ok -c 64 -d 10s
    """)
{
    RunCommand.Create(io),
    ValidateCommand.Create(io),
    DemoCommand.Create(io),
    ReportCommand.Create(io),
    CompareCommand.Create(io),
    TcpCommand.Create(io),
    ServeCommand.Create(io),
    ProxyCommand.Create(io),
    TestCommand.Create(io),
    HttpCommand.Create(io),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) io.Error($"gauntlet: {error.Message}");
    io.Error("gauntlet: see 'gauntlet --help' (or 'gauntlet COMMAND --help') for usage");
    return ExitCodes.InvalidInput;
}
// Signals are handled by the commands themselves (a first Ctrl-C still writes the partial result).
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
