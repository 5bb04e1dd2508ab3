namespace Gauntlet.Targets.Process;

/// <summary>One fully resolved command to start: no templates left, the argv exactly as the child will see it.</summary>
/// <param name="Program">The program: a path, or a name looked up in Gauntlet's own PATH.</param>
/// <param name="Arguments">The arguments after argv[0].</param>
public sealed record ProcessLaunch(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The complete environment as <c>NAME=value</c>; null: Gauntlet's own environment.</summary>
    public IReadOnlyList<string>? Environment { get; init; }

    /// <summary>The working directory; null: Gauntlet's own.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Bytes written to the child's standard input, which is then closed (an empty pipe when null: the child reads end of file at once).</summary>
    public byte[]? Stdin { get; init; }

    /// <summary>When set, every byte of standard output (up to <see cref="LogLimitBytes"/>) is also written to this file.</summary>
    public string? StdoutLog { get; init; }

    /// <summary>When set, every byte of standard error (up to <see cref="LogLimitBytes"/>) is also written to this file.</summary>
    public string? StderrLog { get; init; }

    /// <summary>
    /// Called with the child's pid (its process group) as soon as it has started, before its output is read; the
    /// pid stays valid until the run's task completes. Used to let injected faults find an agent's process.
    /// </summary>
    public Action<int>? Started { get; init; }

    /// <summary>Cap on each log file, in bytes. Default 16 MiB.</summary>
    public long LogLimitBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>The command line for reports, each argument quoted when it needs to be.</summary>
    public string Describe() => string.Join(' ', new[] { Program }.Concat(Arguments).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
