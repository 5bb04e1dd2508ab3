using System.Reflection;
using Gauntlet.Cli.Commands;

// `gauntlet --version` answers before the command tree exists: building every command's options and descriptions is
// half of a 70 ms start-up, and scripts call --version to check what is installed. The text is System.CommandLine's
// (the informational version), so both paths print the same line.
if (args is ["--version"])
{
    Console.Out.WriteLine(typeof(CommandTree).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
    return ExitCodes.Passed;
}

StartupWarmup.BeginFor(args);

// Commands only: each command parses its flags and calls the library (ScenarioFiles/, Pipeline/, Reports/).
return await CommandTree.RunAsync(args, CliConsole.FromProcess());
