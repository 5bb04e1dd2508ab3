using Gauntlet.Cli.Commands;

// Commands only: each command parses its flags and calls the library (Spec/, Engine/, Reports/).
return await CommandTree.RunAsync(args, CliConsole.FromProcess());
