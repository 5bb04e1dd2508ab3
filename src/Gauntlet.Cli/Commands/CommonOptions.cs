using System.CommandLine;

namespace Gauntlet.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Set a variable used as ${name} in the file (repeatable): --set rate=500/s.",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "name=value",
    };
}
