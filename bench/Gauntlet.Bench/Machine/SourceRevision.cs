using System.Diagnostics;

namespace Gauntlet.Bench.Machine;

/// <summary>The git commit the benchmarked code came from, so a figure can be traced to the engine it measured.</summary>
internal static class SourceRevision
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Short commit hash, with "+ local changes" when the working tree differs from it; "unknown" without git.</summary>
    public static string Describe(string repositoryRoot)
    {
        var commit = Git(repositoryRoot, "rev-parse", "--short", "HEAD");
        if (commit is null) return "unknown";
        var changes = Git(repositoryRoot, "status", "--porcelain", "--", "src");
        return string.IsNullOrEmpty(changes) ? commit : commit + " + local changes in src/";
    }

    private static string? Git(string directory, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var git = Process.Start(start);
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEndAsync();
            var errors = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(GitTimeout))
            {
                git.Kill(entireProcessTree: true);
                return null;
            }
            return git.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
