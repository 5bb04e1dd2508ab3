using Gauntlet.Results;

namespace Gauntlet.Cli.Commands;

/// <summary>Writes a command's text to a file atomically, or to standard output when no file is given.</summary>
internal static class OutputFile
{
    /// <returns><see cref="ExitCodes.Passed"/>, or <see cref="ExitCodes.InvalidInput"/> when the file cannot be written.</returns>
    public static async Task<int> WriteAsync(CliConsole io, string command, string? path, string text)
    {
        if (path is null)
        {
            io.Stdout.Write(text);
            return ExitCodes.Passed;
        }
        try
        {
            if (Directory.Exists(path))
            {
                io.Error($"{command}: '{path}' is a folder; give a file name, such as {Path.Combine(path, "report.html")}");
                return ExitCodes.InvalidInput;
            }
            await AtomicFile.WriteAllTextAsync(path, text, CancellationToken.None).ConfigureAwait(false);
            io.Stdout.WriteLine($"wrote {path}");
            return ExitCodes.Passed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            io.Error($"{command}: cannot write '{path}': {e.Message}; choose another file with --out");
            return ExitCodes.InvalidInput;
        }
    }
}
