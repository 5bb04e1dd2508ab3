using Gauntlet.Cli.Reports;
using Gauntlet.Reports;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary>Where a command writes: a Spectre console for output (plain text when redirected) and standard error for problems.</summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        Stdout = stdout;
        Stderr = stderr;
        Interactive = interactive;
        // Colour only on the real terminal: with TERM set, Spectre would colour a redirected writer too.
        Out = ConsoleReport.CreateConsole(stdout);
        if (!interactive) Out.Profile.Width = 160;
    }

    public IAnsiConsole Out { get; }
    /// <summary>Standard output as plain text, for documents (a report, a comparison) that must not be wrapped or styled.</summary>
    public TextWriter Stdout { get; }
    public TextWriter Stderr { get; }
    public bool Interactive { get; }

    public void Error(string message) => Stderr.WriteLine(message);

    public static CliConsole FromProcess() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"));
}
