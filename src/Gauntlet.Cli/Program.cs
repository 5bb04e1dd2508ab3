using Gauntlet.Cli.Commands;

// Commands only: each command parses its flags and calls the library (ScenarioFiles/, Pipeline/, Reports/).
return await CommandTree.RunAsync(args, CliConsole.FromProcess());
