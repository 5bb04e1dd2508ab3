namespace Gauntlet.Cli.Commands;

/// <summary>The exit codes of every command: a contract that CI scripts rely on (see DESIGN.md).</summary>
internal static class ExitCodes
{
    /// <summary>Every threshold passed.</summary>
    public const int Passed = 0;
    /// <summary>A threshold or verifier failed, or a scenario hung.</summary>
    public const int Failed = 1;
    /// <summary>Invalid input: a scenario file or a flag.</summary>
    public const int InvalidInput = 2;
    /// <summary>The target could not be reached or started.</summary>
    public const int TargetUnreachable = 3;
    /// <summary>Gauntlet itself failed.</summary>
    public const int HarnessError = 4;
    /// <summary>Interrupted (Ctrl-C); a partial result was still written.</summary>
    public const int Interrupted = 130;
}
