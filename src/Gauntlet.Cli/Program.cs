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
      gauntlet http http://127.0.0.1:8080/ok -c 64 -d 10s
    """)
{
    RunCommand.Create(io),
    ValidateCommand.Create(io),
    DemoCommand.Create(io),
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
