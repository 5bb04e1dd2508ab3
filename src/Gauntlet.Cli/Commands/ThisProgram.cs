using Gauntlet.Targets.Process;

namespace Gauntlet.Cli.Commands;

/// <summary>This program, started again with other arguments: its apphost, or <c>dotnet gauntlet.dll</c> as it was started.</summary>
internal static class ThisProgram
{
    public static ProcessLaunch Launch(IReadOnlyList<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown, so it cannot start itself again");
        var underDotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return new ProcessLaunch(host, underDotnet ? [Environment.GetCommandLineArgs()[0], .. arguments] : arguments);
    }
}
