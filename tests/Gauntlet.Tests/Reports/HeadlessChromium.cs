using System.Diagnostics;
using System.Text;

namespace Gauntlet.Tests.Reports;

/// <summary>
/// Debian's <c>chromium</c> in headless mode, run as a child process with a bounded wait (killed with its tree on
/// timeout). Missing chromium is a test failure that says how to install it, never a silent skip.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    public sealed record Output(string Dom, string Stderr);

    /// <summary>The browser's executable; fails the test when none is installed.</summary>
    public static string Executable()
    {
        if (Environment.GetEnvironmentVariable("GAUNTLET_CHROMIUM") is { Length: > 0 } configured) return configured;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in Names)
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        Assert.Fail("chromium is not installed, so the HTML report cannot be checked in a real browser. " +
            "Install it (Debian: apt-get install -y chromium; .ci/run does this) or set GAUNTLET_CHROMIUM to its path.");
        return "";
    }

    /// <summary>Loads the file, runs its scripts, and returns the DOM as serialised after the load event.</summary>
    public static async Task<Output> DumpDomAsync(string htmlPath)
    {
        var profile = Path.Combine(Path.GetTempPath(), "gauntlet-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Executable()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", $"--user-data-dir={profile}", "--dump-dom",
                     new Uri(htmlPath).AbsoluteUri])
            start.ArgumentList.Add(arg);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var cancel = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
                Assert.Fail($"chromium did not finish within {Timeout} and was killed:\n{stderr}");
            }
            process.WaitForExit();
            lock (stdout) lock (stderr)
            {
                Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}:\n{stderr}");
                return new Output(stdout.ToString(), stderr.ToString());
            }
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
